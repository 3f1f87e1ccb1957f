/**
 * An error the user can fix: what is wrong (naming the input and the value) and how to fix it.
 * Hosts print it as the step's failure message without a stack trace.
 */
export class UserError extends Error {
  override readonly name = 'UserError';

  constructor(
    message: string,
    /** What to do about it; printed after the message. */
    readonly hint?: string,
  ) {
    super(message);
  }

  /** Message and hint as one line, the way hosts print it. */
  toDisplayString(): string {
    return this.hint ? `${this.message} ${this.hint}` : this.message;
  }
}

/** Several input problems found at once, reported together so one run shows every fix needed. */
export class InputErrors extends UserError {
  constructor(readonly errors: UserError[]) {
    super(errors.map((e) => e.toDisplayString()).join('\n'));
  }

  override toDisplayString(): string {
    return this.errors.length === 1
      ? this.errors[0]!.toDisplayString()
      : `${this.errors.length} inputs need fixing:\n${this.errors.map((e) => `- ${e.toDisplayString()}`).join('\n')}`;
  }
}

/**
 * Collects input problems so one run reports every fix needed: `attempt` runs a parser and keeps
 * the UserError it throws, `expect` adds a problem when a condition fails.
 */
export class InputProblems {
  private readonly errors: UserError[] = [];

  attempt<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      this.errors.push(error);
      return undefined;
    }
  }

  expect(ok: boolean, message: string, hint?: string): void {
    if (!ok) this.errors.push(new UserError(message, hint));
  }

  add(...errors: UserError[]): void {
    this.errors.push(...errors);
  }

  /** Throws the one problem as it is, or all of them together. */
  throwIfAny(): void {
    if (this.errors.length === 1) throw this.errors[0]!;
    if (this.errors.length > 1) throw new InputErrors(this.errors);
  }
}

/**
 * A step that did part of its work: the outputs say what was done (they are still set, and the
 * summary still written), the message says what was not. The step fails.
 */
export class PartialFailure extends UserError {
  constructor(
    message: string,
    hint: string | undefined,
    readonly outputs: Record<string, string>,
  ) {
    super(message, hint);
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
