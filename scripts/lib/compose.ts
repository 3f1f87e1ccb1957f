// Generates a composed flow's GitHub composite action.yml and Azure Pipelines steps template from the
// flow (scripts/lib/flow.ts) and the steps' metadata: every input a stage's step has on a host is
// forwarded from the composite input (template parameter) of its name, or the one the flow's
// `rename` names, unless the flow sets it. A new step input therefore shows up on both hosts
// without touching the flow; two steps' inputs of one name and different types stop the generator
// until the flow renames one.
import { COMMON_INPUTS, allInputs, allOutputs, connectionInputs } from '../../packages/shared/src/metadata/common';
import type { HostKind, InputSpec, StepMetadata } from '../../packages/shared/src/metadata/types';
import { kebabToCamel } from '../../packages/shared/src/names';
import type { Flow, FlowStage, FlowValue } from './flow';

export type FeedSource = { input: string } | FlowValue;

/** One step input a composite input feeds. */
export interface Feed {
  stage: string;
  step: string;
  input: string;
  spec: InputSpec;
  hosts: HostKind[];
}

export type ComposedKind = 'connection' | 'target' | 'switch' | 'common';

/** A composite input (template parameter) and the step inputs it feeds. */
export interface ComposedInput {
  name: string;
  spec: InputSpec;
  hosts: HostKind[];
  feeds: Feed[];
  kind: ComposedKind;
}

const HOSTS: HostKind[] = ['github', 'azure-pipelines'];

/**
 * The hosts a step input exists on as the host files declare it: GitHub's action.yml inputs, and
 * task.json's (inputs the service connection decides are not in task.json, so no template can pass them).
 */
export function inputHosts(spec: InputSpec): HostKind[] {
  return HOSTS.filter((host) => (!spec.host || spec.host === host) && !(host === 'azure-pipelines' && spec.notInTaskJson));
}

/** Every step input of a stage on some host, with where the flow takes its value from. */
export function stageSources(stage: FlowStage, meta: StepMetadata): { input: string; spec: InputSpec; hosts: HostKind[]; source: FeedSource }[] {
  return Object.entries(allInputs(meta))
    .map(([input, spec]) => ({ input, spec, hosts: inputHosts(spec) }))
    .filter(({ hosts }) => hosts.length > 0)
    .map((entry) => ({ ...entry, source: stage.set?.[entry.input] ?? { input: stage.rename?.[entry.input] ?? entry.input } }));
}

/** The flow's own mistakes: unknown steps, stages or inputs, and references to later stages. */
export function flowProblems(flow: Flow, metas: ReadonlyMap<string, StepMetadata>): string[] {
  const problems: string[] = [];
  const seen = new Map<string, StepMetadata>();
  for (const stage of flow.stages) {
    const meta = metas.get(stage.step);
    if (!meta) {
      problems.push(`stage '${stage.id}': no step '${stage.step}'`);
      continue;
    }
    if (seen.has(stage.id)) problems.push(`stage '${stage.id}' appears twice`);
    const inputs = allInputs(meta);
    for (const name of [...Object.keys(stage.rename ?? {}), ...Object.keys(stage.set ?? {})]) {
      if (!(name in inputs)) problems.push(`stage '${stage.id}': ${stage.step} has no input '${name}'`);
    }
    const outputs = [...Object.values(stage.set ?? {}), ...(stage.when ?? [])].filter((v): v is { stage: string; output: string } => 'stage' in v);
    for (const ref of outputs) {
      const from = seen.get(ref.stage);
      if (!from) problems.push(`stage '${stage.id}': stage '${ref.stage}' has not run before it`);
      else if (!(ref.output in allOutputs(from))) problems.push(`stage '${stage.id}': ${from.id} has no output '${ref.output}'`);
    }
    seen.set(stage.id, meta);
  }
  for (const [name, output] of Object.entries(flow.outputs)) {
    const from = seen.get(output.stage);
    if (!from || !(output.output in allOutputs(from))) problems.push(`output '${name}': no output '${output.output}' of stage '${output.stage}'`);
  }
  return problems;
}

/** Every step input fed by a composite input, by composite input name. */
function feedsByInput(flow: Flow, metas: ReadonlyMap<string, StepMetadata>): Map<string, Feed[]> {
  const feeds = new Map<string, Feed[]>();
  for (const stage of flow.stages) {
    const meta = metas.get(stage.step)!;
    for (const { input, spec, hosts, source } of stageSources(stage, meta)) {
      if (!('input' in source)) continue;
      const list = feeds.get(source.input) ?? [];
      list.push({ stage: stage.id, step: stage.step, input, spec, hosts });
      feeds.set(source.input, list);
    }
  }
  return feeds;
}

const sameChoices = (a: InputSpec, b: InputSpec) => JSON.stringify(a.options ?? null) === JSON.stringify(b.options ?? null);

/**
 * One composite input's spec from the step inputs it feeds: their type (which must agree), the
 * description of the first stage in the flow's reading order, their common default (or none, and
 * the description names each step's), required when a stage that always runs requires it.
 */
function mergedSpec(flow: Flow, name: string, feeds: Feed[]): InputSpec {
  const [first] = feeds;
  const where = feeds.map((f) => `${f.stage}.${f.input} (${f.spec.type})`).join(', ');
  if (feeds.some((f) => f.spec.type !== first!.spec.type || !sameChoices(f.spec, first!.spec))) {
    throw new Error(`composite input '${name}' would feed step inputs of different types or choices: ${where}; give one a name of its own in the flow's \`rename\``);
  }
  const rank = (stage: string) => (flow.readingOrder.includes(stage) ? flow.readingOrder.indexOf(stage) : flow.readingOrder.length);
  const primary = [...feeds].sort((a, b) => rank(a.stage) - rank(b.stage))[0]!.spec;
  const defaults = new Set(feeds.map((f) => f.spec.default));
  const always = new Set(flow.stages.filter((s) => !s.when?.length).map((s) => s.id));
  const hosts = HOSTS.filter((h) => feeds.some((f) => f.hosts.includes(h)));
  const ownDefaults = eachStepsDefault(feeds);
  return {
    type: primary.type,
    description: defaults.size > 1 ? `${primary.description} Default: each step's own (${ownDefaults}).` : primary.description,
    ...(feeds.some((f) => f.spec.required && always.has(f.stage)) ? { required: true } : {}),
    ...(defaults.size === 1 && primary.default !== undefined ? { default: primary.default } : {}),
    ...(primary.options ? { options: primary.options } : {}),
    ...(feeds.some((f) => f.spec.secret) ? { secret: true } : {}),
    ...(hosts.length === 1 ? { host: hosts[0] } : {}),
  };
}

/** `900 for aks-api-access; 600 for the others`: the defaults of the steps an input feeds, most common last. */
function eachStepsDefault(feeds: Feed[]): string {
  const steps = new Map<string, Set<string>>();
  for (const f of feeds) steps.set(f.spec.default ?? 'none', (steps.get(f.spec.default ?? 'none') ?? new Set()).add(f.step));
  const groups = [...steps].sort((a, b) => a[1].size - b[1].size);
  return groups.map(([d, s], i) => (i === groups.length - 1 ? `${d} for the others` : `${d} for ${[...s].join(', ')}`)).join('; ');
}

/** Where a composite input is listed: sign-in and cluster first, then the steps' own, the switches, the common ones. */
function kindOf(flow: Flow, name: string): ComposedKind {
  if (name in flow.switches) return 'switch';
  if (name in connectionInputs('azure-and-kubernetes')) return 'connection';
  if (name in COMMON_INPUTS) return 'common';
  return 'target';
}

/** Sort key of a composite input within its kind. */
function orderKey(flow: Flow, metas: ReadonlyMap<string, StepMetadata>, input: ComposedInput): number {
  const kinds: ComposedKind[] = ['connection', 'target', 'switch', 'common'];
  const base = kinds.indexOf(input.kind) * 1_000_000;
  if (input.kind === 'switch') return base + Object.keys(flow.switches).indexOf(input.name);
  if (input.kind === 'common') return base + Object.keys(COMMON_INPUTS).indexOf(input.name);
  // Azure sign-in before the cluster's, in the order the steps declare them.
  const connection = Object.keys({ ...connectionInputs('azure'), ...connectionInputs('kubernetes') });
  if (input.kind === 'connection') return base + connection.indexOf(input.name);
  const ranks = input.feeds.map((f) => {
    const reading = flow.readingOrder.indexOf(f.stage);
    const stage = flow.stages.find((s) => s.id === f.stage)!;
    return (reading < 0 ? flow.readingOrder.length : reading) * 1000 + Object.keys(allInputs(metas.get(stage.step)!)).indexOf(f.input);
  });
  return base + Math.min(...ranks);
}

/** The composite's inputs (the template's parameters, camelCased), in the order both files list them. */
export function composedInputs(flow: Flow, metas: ReadonlyMap<string, StepMetadata>): ComposedInput[] {
  const problems = flowProblems(flow, metas);
  if (problems.length > 0) throw new Error(`flow ${flow.id}:\n  ${problems.join('\n  ')}`);
  const feeds = feedsByInput(flow, metas);
  const inputs: ComposedInput[] = [];
  for (const [name, list] of feeds) {
    if (name in flow.switches) throw new Error(`flow ${flow.id}: switch '${name}' is also a step input (${list.map((f) => f.stage).join(', ')}); rename one`);
    const spec = mergedSpec(flow, name, list);
    inputs.push({ name, spec, hosts: HOSTS.filter((h) => list.some((f) => f.hosts.includes(h))), feeds: list, kind: kindOf(flow, name) });
  }
  for (const [name, spec] of Object.entries(flow.switches)) inputs.push({ name, spec, hosts: [...HOSTS], feeds: [], kind: 'switch' });
  for (const [name, override] of Object.entries(flow.overrides ?? {})) {
    const input = inputs.find((i) => i.name === name);
    if (!input) throw new Error(`flow ${flow.id}: override of '${name}', which is no composite input`);
    input.spec = { ...input.spec, ...override };
  }
  const keys = new Map(inputs.map((i) => [i.name, orderKey(flow, metas, i)]));
  return inputs.sort((a, b) => keys.get(a.name)! - keys.get(b.name)!);
}

/** The composite input of a name as a template parameter name (`dry-run` → `dryRun`). */
export const parameterName = kebabToCamel;
