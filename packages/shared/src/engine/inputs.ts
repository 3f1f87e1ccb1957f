import { InputErrors, UserError } from '../errors';
import type { InputSpec } from '../metadata/types';

type ValueOf<S extends InputSpec> = S['type'] extends 'boolean'
  ? boolean
  : S['type'] extends 'integer'
    ? number
    : S['type'] extends 'list'
      ? string[]
      : S extends { type: 'choice'; options: readonly (infer O extends string)[] }
        ? O
        : string;

/** The typed values of a set of inputs: required or defaulted inputs are always present; lists are never undefined. */
export type InputValues<I extends Record<string, InputSpec>> = {
  [K in keyof I]: I[K] extends { required: true }
    ? ValueOf<I[K]>
    : I[K] extends { default: string }
      ? ValueOf<I[K]>
      : I[K] extends { type: 'list' }
        ? string[]
        : ValueOf<I[K]> | undefined;
};

export interface RawInputSource {
  /** The raw text of an input by its kebab-case name; undefined or '' when not given. */
  read(name: string): string | undefined;
  /** How the user spells the input on this host, for messages (`resource-group` / `resourceGroup`). */
  displayName(name: string): string;
}

/** Splits a comma- or newline-separated list, trimming and dropping empty entries. */
export function splitList(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function parseOne(name: string, spec: InputSpec, text: string, source: RawInputSource): unknown {
  const shown = source.displayName(name);
  switch (spec.type) {
    case 'boolean': {
      const lower = text.toLowerCase();
      if (lower === 'true') return true;
      if (lower === 'false') return false;
      throw new UserError(`Input '${shown}' is '${text}', which is not a boolean.`, `Use 'true' or 'false'.`);
    }
    case 'integer': {
      if (!/^-?\d+$/.test(text)) {
        throw new UserError(`Input '${shown}' is '${text}', which is not a whole number.`, rangeHint(spec));
      }
      const n = Number(text);
      if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
        throw new UserError(`Input '${shown}' is ${n}, which is out of range.`, rangeHint(spec));
      }
      return n;
    }
    case 'choice': {
      const match = spec.options?.find((o) => o.toLowerCase() === text.toLowerCase());
      if (!match) {
        throw new UserError(
          `Input '${shown}' is '${text}', which is not one of the allowed values.`,
          `Use one of: ${spec.options?.join(', ')}.`,
        );
      }
      return match;
    }
    case 'list':
      return splitList(text);
    default:
      return text;
  }
}

function rangeHint(spec: InputSpec): string {
  if (spec.min !== undefined && spec.max !== undefined) return `Use a whole number from ${spec.min} to ${spec.max}.`;
  if (spec.min !== undefined) return `Use a whole number of at least ${spec.min}.`;
  if (spec.max !== undefined) return `Use a whole number of at most ${spec.max}.`;
  return 'Use a whole number.';
}

/**
 * Reads and parses every input once, collecting all problems so the user sees every fix at once.
 * Throws InputErrors (a UserError) before anything is written when any input is bad.
 */
export function parseInputs<I extends Record<string, InputSpec>>(
  specs: I,
  source: RawInputSource,
): InputValues<I> {
  const values: Record<string, unknown> = {};
  const errors: UserError[] = [];
  for (const [name, spec] of Object.entries(specs)) {
    const raw = source.read(name)?.trim();
    const text = raw ? raw : spec.default;
    if (text === undefined || text === '') {
      if (spec.required) {
        errors.push(
          new UserError(`Input '${source.displayName(name)}' is required but was not given.`, spec.description),
        );
      }
      values[name] = spec.type === 'list' ? [] : undefined;
      continue;
    }
    try {
      values[name] = parseOne(name, spec, text, source);
    } catch (error) {
      if (error instanceof UserError) errors.push(error);
      else throw error;
    }
  }
  if (errors.length > 0) throw new InputErrors(errors);
  return values as InputValues<I>;
}
