// Checks a composed flow's generated files as the hosts would read them, without the flow data:
// every input a step has on a host is given in the composite's `with:` / the template's `inputs:`,
// and both files give each step input the same thing (the same composite input, the same earlier
// stage's output, or the same fixed value). `pnpm generate` refuses files that fail it, and
// test/compose.test.ts runs it on the files on disk.
import { parse } from 'yaml';
import { allInputs } from '../../packages/shared/src/metadata/common';
import type { HostKind, StepMetadata } from '../../packages/shared/src/metadata/types';
import { kebabToCamel, kebabToPascal } from '../../packages/shared/src/names';
import { inputHosts } from './compose';

/** One step run as a file spells it: its id/name, its step, and its inputs by host spelling. */
interface Invocation {
  id: string;
  step: string;
  inputs: Record<string, unknown>;
}

function compositeInvocations(text: string): Invocation[] {
  const doc = parse(text) as { runs?: { steps?: { id: string; uses: string; with?: Record<string, unknown> }[] } };
  return (doc.runs?.steps ?? []).map((s) => ({ id: s.id, step: /\/actions\/([a-z0-9-]+)@/.exec(s.uses)?.[1] ?? s.uses, inputs: s.with ?? {} }));
}

/** The template's tasks, also those inside `${{ if }}` blocks, in order. */
export function taskSteps(steps: unknown[]): Record<string, unknown>[] {
  return steps.flatMap((s) => {
    const step = s as Record<string, unknown>;
    if (step.task) return [step];
    return Object.entries(step)
      .filter(([k]) => k.startsWith('${{'))
      .flatMap(([, v]) => taskSteps(v as unknown[]));
  });
}

function templateInvocations(text: string, metas: readonly StepMetadata[]): Invocation[] {
  const doc = parse(text) as { steps?: unknown[] };
  const byTask = new Map(metas.map((m) => [`PrivateWire${kebabToPascal(m.id)}`, m.id]));
  return taskSteps(doc.steps ?? []).map((t) => ({
    id: String(t.name),
    step: byTask.get(String(t.task).replace(/@.*$/, '')) ?? String(t.task),
    inputs: (t.inputs ?? {}) as Record<string, unknown>,
  }));
}

/** A value as both hosts would mean it: `input:dryRun`, `output:coredns.dnsIp`, or `value:preflight`. */
function meaning(value: unknown): string {
  const text = String(value).trim();
  const gh = /^\$\{\{\s*inputs\.([\w-]+)\s*\}\}$/.exec(text) ?? /^\$\{\{\s*parameters\.(\w+)\s*\}\}$/.exec(text);
  if (gh) return `input:${kebabToCamel(gh[1]!)}`;
  const out = /^\$\{\{\s*steps\.([\w-]+)\.outputs\.([\w-]+)\s*\}\}$/.exec(text) ?? /^\$\((\w+)\.(\w+)\)$/.exec(text);
  if (out) return `output:${out[1]}.${kebabToCamel(out[2]!)}`;
  return `value:${text}`;
}

/** What a host file gives one step invocation's inputs that the step has on that host, and what it misses. */
function hostProblems(where: string, calls: Invocation[], metas: ReadonlyMap<string, StepMetadata>, host: HostKind): string[] {
  const problems: string[] = [];
  for (const call of calls) {
    const meta = metas.get(call.step);
    if (!meta) {
      problems.push(`${where}: ${call.id} runs '${call.step}', which is no step`);
      continue;
    }
    for (const [name, spec] of Object.entries(allInputs(meta))) {
      if (!inputHosts(spec).includes(host)) continue;
      const key = host === 'github' ? name : kebabToCamel(name);
      if (!(key in call.inputs)) problems.push(`${where}: ${call.id} (${call.step}) neither forwards nor sets its input '${key}'`);
    }
  }
  return problems;
}

/** Where the two files run different steps, or give an input both hosts have different things. */
function agreementProblems(gh: Invocation[], azp: Invocation[], metas: ReadonlyMap<string, StepMetadata>): string[] {
  const order = (calls: Invocation[]) => calls.map((c) => `${c.id}:${c.step}`).join(', ');
  if (order(gh) !== order(azp)) return [`the composite runs ${order(gh)} but the template runs ${order(azp)}`];
  const problems: string[] = [];
  gh.forEach((call, i) => {
    const other = azp[i]!;
    const meta = metas.get(call.step);
    if (!meta) return;
    for (const [name, spec] of Object.entries(allInputs(meta))) {
      if (inputHosts(spec).length < 2) continue;
      const [a, b] = [call.inputs[name], other.inputs[kebabToCamel(name)]];
      if (a === undefined || b === undefined) continue;
      if (meaning(a) !== meaning(b)) problems.push(`${call.id}: '${name}' is ${meaning(a)} in the composite but ${meaning(b)} in the template`);
    }
  });
  return problems;
}

/** Every forwarding problem of a composite action.yml and its Azure Pipelines template. */
export function forwardingProblems(compositeText: string, templateText: string, steps: readonly StepMetadata[]): string[] {
  const metas = new Map(steps.map((m) => [m.id, m]));
  const gh = compositeInvocations(compositeText);
  const azp = templateInvocations(templateText, steps);
  return [
    ...hostProblems('composite', gh, metas, 'github'),
    ...hostProblems('template', azp, metas, 'azure-pipelines'),
    ...agreementProblems(gh, azp, metas),
  ];
}
