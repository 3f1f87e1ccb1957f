import { UserError } from '../errors';

/**
 * The longest one request may stay unanswered, whatever the step's deadline. ARM answers a
 * synchronous request or hands back an async operation well within this; an API server answers
 * any non-watch request within its 60 s default request timeout (kube-apiserver
 * --request-timeout, https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/).
 */
export const REQUEST_TIMEOUT_MS = 60_000;

/** The step ran out of time: raised by the engine, whatever was still waiting then. */
export class DeadlineExceeded extends UserError {}

/**
 * When the step must be done (its `timeout` input, counted from the start). Waits use the time
 * left; every request is bounded by both the time left and REQUEST_TIMEOUT_MS; the engine fails the
 * step when the time is up even if a request never answers.
 */
export class StepDeadline {
  readonly at: number;
  /** Aborts when the deadline passes (requests and polls listen to it). */
  readonly signal: AbortSignal;

  constructor(
    readonly seconds: number,
    /** The input's name as the host spells it, for the message. */
    readonly inputName: string,
    now = Date.now(),
  ) {
    this.at = now + seconds * 1000;
    this.signal = AbortSignal.timeout(Math.max(0, this.at - now));
  }

  remainingMs(now = Date.now()): number {
    return Math.max(0, this.at - now);
  }

  /** Whole seconds left, at least 1 (for wait APIs that take seconds). */
  remainingSeconds(): number {
    return Math.max(1, Math.ceil(this.remainingMs() / 1000));
  }

  /**
   * When a wait (for an IP, a rollout) gives up: a little before the deadline, so the wait can
   * still read what it needs to say why (the last tenth of the time, at most 5 s).
   */
  waitEndsAt(): number {
    return this.at - Math.min(5000, this.seconds * 100);
  }

  /** How long the next request may take. */
  requestTimeoutMs(): number {
    return Math.max(1, Math.min(REQUEST_TIMEOUT_MS, this.remainingMs()));
  }

  expired(): boolean {
    return this.remainingMs() === 0;
  }

  error(doing: string): DeadlineExceeded {
    return new DeadlineExceeded(
      `The step did not finish within its timeout of ${this.seconds} s (it was ${doing}).`,
      `Raise '${this.inputName}' if Azure or the cluster is just slow; otherwise the log above shows what did not answer.`,
    );
  }

  /** The work's result, or DeadlineExceeded as soon as the deadline passes first. */
  async race<T>(work: Promise<T>, doing: () => string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(this.error(doing())), this.remainingMs());
    });
    try {
      return await Promise.race([work, expired]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Waits `ms`, or less when `signal` aborts first (the caller then sees the abort on its next request). */
export const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
