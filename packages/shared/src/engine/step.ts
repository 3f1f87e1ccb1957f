import type { InputSpec, StepMetadata } from '../metadata/types';
import type { Host } from '../hosts/host';
import type { InputValues } from './inputs';
import type { Change } from './plan';
import { COMMON_INPUTS } from '../metadata/common';
import type { StepDeadline } from './deadline';

export type AllInputValues<I extends Record<string, InputSpec>> = InputValues<I & typeof COMMON_INPUTS> & {
  'dry-run': boolean;
  timeout: number;
};

/** What a step sees while it runs. */
export interface StepContext {
  host: Host;
  dryRun: boolean;
  /** When the step must be done (its `timeout`): waits use the time left, requests are bounded by it. */
  deadline: StepDeadline;
  /** Shows a warning in the log and in the job summary. */
  warn(message: string): void;
}

export interface Plan {
  changes: Change[];
  /** Outputs already known from reading the current state (e.g. an existing subnet id). */
  outputs?: Record<string, string>;
}

/**
 * A step: metadata plus read → plan → apply. `settings` validates and types the inputs (no I/O);
 * `plan` reads the current state and returns the changes without writing anything; the engine
 * applies them unless dry-run; `finish` computes outputs after applying (e.g. waits for an IP).
 */
export interface Step<I extends Record<string, InputSpec>, S> {
  metadata: StepMetadata & { inputs: I };
  settings(inputs: AllInputValues<I>, ctx: StepContext): S | Promise<S>;
  plan(settings: S, ctx: StepContext): Promise<Plan>;
  finish?(settings: S, ctx: StepContext, plan: Plan): Promise<Record<string, string>>;
  /** Post-job cleanup (GitHub `post`, Azure Pipelines `postjobexecution`). */
  post?(ctx: Omit<StepContext, 'dryRun'>): Promise<void>;
}

// Identity helper so TypeScript infers I and S from the object literal.
export function defineStep<const I extends Record<string, InputSpec>, S>(step: Step<I, S>): Step<I, S> {
  return step;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyStep = Step<any, any>;
