// The example workflows and pipelines use only steps, inputs and outputs that exist, and give every
// required input: a user copies them first, so a renamed input must fail here, not in their pipeline.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { ROOT } from './support/bundles';

const read = (file: string) => parse(readFileSync(path.join(ROOT, file), 'utf8'));

interface ActionYml {
  inputs?: Record<string, { required?: boolean; default?: string }>;
  outputs?: Record<string, unknown>;
}
interface TaskJson {
  name: string;
  version: { Major: number };
  inputs: { name: string; required?: boolean; defaultValue?: string }[];
  outputVariables?: { name: string }[];
}

const tasks = new Map<string, TaskJson>(
  readdirSync(path.join(ROOT, 'tasks')).map((d) => {
    const t = JSON.parse(readFileSync(path.join(ROOT, 'tasks', d, 'task.json'), 'utf8')) as TaskJson;
    return [`${t.name}@${t.version.Major}`, t];
  }),
);

const workflows = readdirSync(path.join(ROOT, '.github/workflows')).filter((f) => f.startsWith('example-'));
const pipelines = readdirSync(path.join(ROOT, 'examples/azure-pipelines')).filter((f) => f.endsWith('.yml'));

test('there are example workflows and pipelines to check', () => {
  assert.ok(workflows.length >= 2 && pipelines.length >= 2, `${workflows.join(', ')} / ${pipelines.join(', ')}`);
});

for (const file of workflows) {
  test(`GitHub example ${file}: every private-wire step input and output exists; required inputs given`, () => {
    const doc = read(`.github/workflows/${file}`);
    for (const job of Object.values(doc.jobs as Record<string, { steps: { id?: string; uses?: string; with?: Record<string, unknown> }[] }>)) {
      const outputsOf = new Map<string, ActionYml>();
      for (const step of job.steps) {
        const text = JSON.stringify(step);
        for (const [, id, output] of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
          const action = outputsOf.get(id!);
          assert.ok(action, `${file}: step '${id}' has not run before`);
          assert.ok(output! in (action.outputs ?? {}), `${file}: step '${id}' has no output '${output}'`);
        }
        const m = /^private-wire\/private-wire\/actions\/([a-z0-9-]+)@v\d+$/.exec(step.uses ?? '');
        if (!m) continue;
        const action = read(`actions/${m[1]}/action.yml`) as ActionYml;
        const given = step.with ?? {};
        for (const name of Object.keys(given)) assert.ok(name in (action.inputs ?? {}), `${file}: '${name}' is not an input of ${m[1]}`);
        for (const [name, spec] of Object.entries(action.inputs ?? {})) if (spec.required && spec.default === undefined) assert.ok(name in given, `${file}: required '${name}' of ${m[1]} missing`);
        if (step.id) outputsOf.set(step.id, action);
      }
    }
  });
}

for (const file of pipelines) {
  test(`Azure Pipelines example ${file}: every private-wire task input and output variable exists; required inputs given`, () => {
    const doc = read(`examples/azure-pipelines/${file}`);
    const named = new Map<string, TaskJson>();
    for (const step of doc.steps as { task?: string; name?: string; inputs?: Record<string, unknown>; script?: string }[]) {
      for (const [, name, output] of JSON.stringify(step).matchAll(/\$\((\w+)\.(\w+)\)/g)) {
        const task = named.get(name!);
        assert.ok(task, `${file}: step '${name}' has not run before`);
        assert.ok(task.outputVariables?.some((o) => o.name === output), `${file}: ${task.name} has no output variable '${output}'`);
      }
      if (!step.task?.startsWith('PrivateWire')) continue;
      const task = tasks.get(step.task);
      assert.ok(task, `${file}: unknown task ${step.task}`);
      const inputs = step.inputs ?? {};
      for (const name of Object.keys(inputs)) assert.ok(task.inputs.some((i) => i.name === name), `${file}: '${name}' is not an input of ${task.name}`);
      for (const input of task.inputs.filter((i) => i.required && !i.defaultValue)) assert.ok(input.name in inputs, `${file}: required '${input.name}' of ${task.name} missing`);
      if (step.name) named.set(step.name, task);
    }
  });
}

// The composite and the template run check-private-path's preflight by default: an example that
// leaves it on must give every input the preflight requires, even those the composite makes optional.
test('the examples of connect-webapp-to-aks give every input its preflight requires (or turn it off)', () => {
  const requiredOf = (task: string) => new Set(tasks.get(task)!.inputs.filter((i) => i.required).map((i) => i.name));
  const composite = read('actions/connect-webapp-to-aks/action.yml');
  const preflight = composite.runs.steps.find((s: { id: string }) => s.id === 'preflight');
  assert.ok(preflight, 'the composite has no preflight step');
  const action = read('actions/check-private-path/action.yml') as ActionYml;
  const needed = Object.entries(preflight.with as Record<string, string>)
    .filter(([name]) => action.inputs?.[name]?.required)
    .map(([, value]) => /^\$\{\{ inputs\.([\w-]+) \}\}$/.exec(value)?.[1])
    .filter((name): name is string => !!name && !composite.inputs[name].required);
  assert.ok(needed.includes('cluster-name'), needed.join(', '));
  let uses = 0;
  for (const file of workflows) {
    for (const job of Object.values(read(`.github/workflows/${file}`).jobs as Record<string, { steps: { uses?: string; with?: Record<string, unknown> }[] }>)) {
      for (const step of job.steps.filter((s) => /\/actions\/connect-webapp-to-aks@/.test(s.uses ?? ''))) {
        uses++;
        if (String(step.with?.preflight) === 'false') continue;
        for (const name of needed) assert.ok(step.with && name in step.with, `${file}: the preflight needs '${name}'`);
      }
    }
  }
  const template = read('examples/azure-pipelines/templates/connect-webapp-to-aks.yml');
  const inIfs = (template.steps as Record<string, unknown>[]).flatMap((s) => (s.task ? [s] : (Object.values(s).flat() as Record<string, unknown>[])));
  const task = inIfs.find((s) => s.name === 'preflight') as { task: string; inputs: Record<string, string> } | undefined;
  assert.ok(task, 'the template has no preflight task');
  const optional = new Set((template.parameters as { name: string; default?: unknown }[]).filter((p) => p.default !== undefined).map((p) => p.name));
  const neededParameters = [...requiredOf(task.task)].map((name) => /^\$\{\{ parameters\.(\w+) \}\}$/.exec(task.inputs[name] ?? '')?.[1]).filter((p): p is string => !!p && optional.has(p));
  assert.ok(neededParameters.includes('clusterName'), neededParameters.join(', '));
  for (const file of pipelines) {
    for (const step of read(`examples/azure-pipelines/${file}`).steps as { template?: string; parameters?: Record<string, unknown> }[]) {
      if (step.template !== 'templates/connect-webapp-to-aks.yml') continue;
      uses++;
      if (step.parameters?.preflight === false) continue;
      for (const name of neededParameters) assert.ok(step.parameters && name in step.parameters, `${file}: the preflight needs '${name}'`);
    }
  }
  assert.ok(uses >= 2, 'an example of the composite and of the template');
});
