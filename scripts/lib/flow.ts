// The shape of a composed flow: which steps run in which order, when, and where each step input's
// value comes from. Pure data; scripts/lib/compose.ts turns one flow plus the steps' metadata into
// a GitHub composite action.yml and an Azure Pipelines steps template.
import type { InputSpec } from '../../packages/shared/src/metadata/types';

/** One term of a stage's condition; a stage runs when all its terms hold. */
export type FlowTerm =
  /** A composite input (template parameter) equals / differs from a value. */
  | { input: string; is: string }
  | { input: string; isNot: string }
  /** An output of an earlier stage is not empty. */
  | { stage: string; output: string; notEmpty: true };

/** Where a step input's value comes from when the flow decides it (instead of forwarding a composite input). */
export type FlowValue =
  /** A fixed value, with the reason the flow fixes it. */
  | { value: string; why: string }
  /** An output of an earlier stage. */
  | { stage: string; output: string };

export interface FlowStage {
  /** The composite step's `id` and the template task's `name` (output references use it). */
  id: string;
  /** The step it runs (steps/<step>/metadata.ts). */
  step: string;
  /** Why the stage is where it is / runs when it does (a comment above it on both hosts). */
  why?: string;
  /** Extra comment lines for one host only. */
  githubWhy?: string;
  azurePipelinesWhy?: string;
  /** The template task's `displayName`; `{input-name}` stands for that composite input's value. */
  displayName: string;
  /** Runs only when every term holds (no terms: always, after the stages before it succeeded). */
  when?: readonly FlowTerm[];
  /** Step inputs fed by a composite input of another name (step input → composite input). */
  rename?: Readonly<Record<string, string>>;
  /** Step inputs the flow sets itself. */
  set?: Readonly<Record<string, FlowValue>>;
  /** Only reads: its `changed` does not count towards the composite's `changed`. */
  readOnly?: boolean;
}

export interface FlowOutput {
  stage: string;
  output: string;
  /** Default: the step output's own description. */
  description?: string;
}

export interface Flow {
  /** The composite's folder under actions/ and the template's file name. */
  id: string;
  title: string;
  description: string;
  branding: { icon: string; color: string };
  /** What the header comment of both files says the flow does. */
  summary: string;
  stages: readonly FlowStage[];
  /** Composite inputs that steer the flow (used in `when`), fed to no step input of the same name. */
  switches: Readonly<Record<string, InputSpec>>;
  /**
   * Fields of a composite input that read better said for the whole flow than taken from a step
   * (e.g. `private-link`, whose default the flow fixes because `approve` depends on it).
   */
  overrides?: Readonly<Record<string, Partial<InputSpec>>>;
  /**
   * Stages in the order their own inputs are listed (a shared input's description is the first
   * of these stages' that has it: the wiring steps say what a value means, the checks reuse it).
   */
  readingOrder: readonly string[];
  outputs: Readonly<Record<string, FlowOutput>>;
}
