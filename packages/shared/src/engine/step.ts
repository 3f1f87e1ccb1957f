import type { InputsOf } from '../metadata/common';
import type { StepMetadata } from '../metadata/types';
import type { Host } from '../hosts/host';
import type { StepDeadline } from './deadline';
import type { InputValues } from './inputs';
import type { Change } from './plan';

/**
 * The typed values of every input a step has (its own, its connection inputs, the common ones),
 * from its metadata: reading an input the step does not declare does not compile, and an input
 * with a default is never undefined (the default lives in the metadata only).
 */
export type StepInputs<M extends StepMetadata> = InputValues<InputsOf<M>>;

/** The outputs a step may set: those its metadata declares (`changed` is the engine's). */
export type StepOutputs<M extends StepMetadata> = Partial<Record<keyof M['outputs'] & string, string>>;

/** What a step sees while it runs. */
export interface StepContext {
  host: Host;
  dryRun: boolean;
  /** When the step must be done (its `timeout`): waits use the time left, requests are bounded by it. */
  deadline: StepDeadline;
  /** Shows a warning in the log and in the job summary. */
  warn(message: string): void;
}

/** What `plan` returns: the changes, outputs known already, and what `finish` needs (`state`). */
export interface Plan<M extends StepMetadata = StepMetadata, P = unknown> {
  changes: Change[];
  /** Outputs already known from reading the current state (e.g. an existing subnet id). */
  outputs?: StepOutputs<M>;
  /** What plan learned that finish needs (a pending load balancer, a pool of writes); handed to finish as is. */
  state?: P;
}

/**
 * A step: metadata plus read → plan → apply. `settings` validates and types the inputs (no I/O);
 * `plan` reads the current state and returns the changes without writing anything; the engine
 * applies them unless dry-run; `finish` computes outputs after applying from the plan's `state`
 * (e.g. waits for an IP).
 */
export interface Step<M extends StepMetadata, S, P> {
  metadata: M;
  settings(inputs: StepInputs<M>, ctx: StepContext): S | Promise<S>;
  plan(settings: S, ctx: StepContext): Promise<Plan<M, P>>;
  finish?(settings: S, ctx: StepContext, state: P): Promise<StepOutputs<M>>;
  /**
   * Post-job cleanup (GitHub `post`, Azure Pipelines `postjobexecution`; the metadata says
   * `post: true`), with the same inputs as the main run and what it saved with `host.saveState`.
   */
  post?(ctx: Omit<StepContext, 'dryRun'>, inputs: StepInputs<M>): Promise<void>;
}

// Identity helper so TypeScript infers the metadata, settings and state types from the literal.
export function defineStep<const M extends StepMetadata, S, P = undefined>(step: Step<M, S, P>): Step<M, S, P> {
  return step;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyStep = Step<any, any, any>;
