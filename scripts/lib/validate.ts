// Checks that a step's metadata can become a valid action.yml and task.json: the hosts reject
// (or silently mangle) names and references that do not fit their rules.
import { isGuid } from '../../packages/shared/src/azure/names';
import { allInputs, allOutputs, inputsFor } from '../../packages/shared/src/metadata/common';
import type { InputSpec, StepMetadata } from '../../packages/shared/src/metadata/types';
import { INPUT_GROUPS, friendlyName, isTriState, taskInputs } from './generate';
import { KEBAB_NAME, kebabToCamel } from '../../packages/shared/src/names';

const TASK_NAME = /^[A-Za-z][A-Za-z0-9]*$/;
/**
 * tfx-cli's task.json check (lib/jsonvalidate.ts validateTask: "friendlyName is a required string
 * <= 40 chars"); `tfx extension create` reports it as a warning that "will be treated as an error".
 */
export const FRIENDLY_NAME_MAX = 40;

export function metadataProblems(meta: StepMetadata): string[] {
  const problems: string[] = [];
  const where = `step '${meta.id}'`;
  if (!KEBAB_NAME.test(meta.id)) problems.push(`${where}: id must be kebab-case`);
  if (!isGuid(meta.task.id) || meta.task.id !== meta.task.id.toLowerCase()) problems.push(`${where}: task id '${meta.task.id}' is not a lower-case GUID`);
  const shown = friendlyName(meta);
  if (shown.length > FRIENDLY_NAME_MAX) {
    problems.push(`${where}: task friendlyName '${shown}' has ${shown.length} characters (at most ${FRIENDLY_NAME_MAX}); set a shorter task.friendlyName`);
  }
  for (const [name, spec] of Object.entries(allInputs(meta))) {
    if (!KEBAB_NAME.test(name)) problems.push(`${where}: input '${name}' must be kebab-case`);
    if (!TASK_NAME.test(kebabToCamel(name))) problems.push(`${where}: input '${name}' has no valid task.json name`);
    if (spec.type === 'choice' && !spec.options?.length) problems.push(`${where}: choice input '${name}' has no options`);
    if (spec.type === 'choice' && spec.default !== undefined && !spec.options?.includes(spec.default)) {
      problems.push(`${where}: default of '${name}' is not one of its options`);
    }
    if (spec.required && spec.default !== undefined) problems.push(`${where}: input '${name}' is required and has a default`);
    if (spec.type === 'service-connection' && !spec.connection) problems.push(`${where}: '${name}' needs a connection type`);
  }
  for (const name of Object.keys(allOutputs(meta))) {
    if (!KEBAB_NAME.test(name)) problems.push(`${where}: output '${name}' must be kebab-case`);
  }
  const declared = new Set(taskInputs(meta).map(([n]) => kebabToCamel(n)));
  for (const [, ref] of meta.task.instanceNameFormat.matchAll(/\$\(([^)]+)\)/g)) {
    if (!declared.has(ref!)) problems.push(`${where}: instanceNameFormat refers to unknown input '${ref}'`);
  }
  return [...problems, ...taskUiProblems(meta)];
}

/** Groups and visible rules must name what task.json has, with values the named input can take. */
function taskUiProblems(meta: StepMetadata): string[] {
  const problems: string[] = [];
  const where = `step '${meta.id}'`;
  const inputs = new Map(taskInputs(meta));
  for (const [name, spec] of inputsFor(meta, 'azure-pipelines')) {
    if (spec.group && !(spec.group in INPUT_GROUPS)) problems.push(`${where}: input '${name}' is in unknown group '${spec.group}'`);
    problems.push(...optionLabelProblems(where, name, spec));
    for (const [other, value] of Object.entries(spec.visibleWhen ?? {})) {
      const target = inputs.get(other);
      if (!target) {
        problems.push(`${where}: visibleWhen of '${name}' names '${other}', which is not a task.json input`);
      } else if (other === name) {
        problems.push(`${where}: visibleWhen of '${name}' names the input itself`);
      } else if (!allowedValues(target).includes(value)) {
        problems.push(`${where}: visibleWhen of '${name}' wants '${other}' = '${value}', which is not one of ${allowedValues(target).join(', ')}`);
      }
    }
  }
  return problems;
}

/** Labels must name values the input takes; a three-state boolean's pick list needs all three. */
function optionLabelProblems(where: string, name: string, spec: InputSpec): string[] {
  const values = isTriState(spec) ? ['', 'true', 'false'] : spec.type === 'choice' ? (spec.options ?? []) : [];
  const labels = Object.keys(spec.optionLabels ?? {});
  const problems = labels.filter((v) => !values.includes(v)).map((v) => `${where}: optionLabels of '${name}' names '${v}', which is not one of its values`);
  if (isTriState(spec) && values.some((v) => !labels.includes(v))) {
    problems.push(`${where}: '${name}' is a boolean without a default (true, false or empty): its optionLabels must label '', 'true' and 'false' for the task editor's pick list`);
  }
  return problems;
}

/** Values a visible rule may test: a boolean's two, a choice's options (other types are not tested). */
function allowedValues(spec: InputSpec): readonly string[] {
  if (spec.type === 'boolean') return ['true', 'false'];
  return spec.options ?? [];
}

/** Problems across a set of steps: each step's own, plus ids and task GUIDs used twice. */
export function catalogProblems(metas: readonly StepMetadata[]): string[] {
  const problems = metas.flatMap(metadataProblems);
  for (const key of ['id', 'task id'] as const) {
    const seen = new Set<string>();
    for (const meta of metas) {
      const value = key === 'id' ? meta.id : meta.task.id;
      if (seen.has(value)) problems.push(`${key} '${value}' is used by more than one step`);
      seen.add(value);
    }
  }
  return problems;
}
