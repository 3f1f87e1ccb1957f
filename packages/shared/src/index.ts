export { UserError, InputErrors, PartialFailure, errorMessage } from './errors';
export { kebabToCamel, kebabToPascal } from './names';
export type { InputSpec, InputType, OutputSpec, StepMetadata, StepService, HostKind } from './metadata/types';
export { COMMON_INPUTS, COMMON_OUTPUTS, allInputs, allOutputs, inputsFor, connectionInputs } from './metadata/common';
export { parseInputs, splitList, type InputValues, type RawInputSource } from './engine/inputs';
export { type Change, type ChangeAction, isWrite, planToText, planToMarkdown } from './engine/plan';
export { defineStep, type Step, type AnyStep, type StepContext, type Plan } from './engine/step';
export { executeStep, runStep, type StepResult } from './engine/run';
export type { Host } from './hosts/host';
