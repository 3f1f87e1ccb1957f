// The Azure Pipelines template and example use only tasks, inputs, outputs and parameters that exist.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { ROOT } from './support/bundles';
import { taskSteps } from '../scripts/lib/compose-check';

interface TaskJson {
  name: string;
  version: { Major: number };
  inputs: { name: string; required: boolean }[];
  outputVariables: { name: string }[];
}

const tasks = new Map<string, TaskJson>(
  readdirSync(path.join(ROOT, 'tasks')).map((d) => {
    const t = JSON.parse(readFileSync(path.join(ROOT, 'tasks', d, 'task.json'), 'utf8')) as TaskJson;
    return [`${t.name}@${t.version.Major}`, t];
  }),
);
const templateFile = path.join(ROOT, 'examples/azure-pipelines/templates/connect-webapp-to-aks.yml');
const template = parse(readFileSync(templateFile, 'utf8'));

const steps = taskSteps(template.steps);
const parameters = new Set((template.parameters as { name: string }[]).map((p) => p.name));

test('the template runs every private-wire task, in the order of the procedure (API access, the preflight, the wiring, verify last)', () => {
  assert.deepEqual(
    steps.map((s) => `${s.name}:${s.task}`),
    [
      'access:PrivateWireAksApiAccess@1',
      'preflight:PrivateWireCheckPrivatePath@1',
      'vnet:PrivateWireVnetIntegrateWebapp@1',
      'expose:PrivateWireExposeInternalService@1',
      'coredns:PrivateWireConfigureCorednsExternal@1',
      'dns:PrivateWireSetWebappDns@1',
      'approve:PrivateWireApprovePeConnections@1',
      'verify:PrivateWireCheckPrivatePath@1',
    ],
  );
});

/** The `${{ if … }}` a step is nested in (empty when it always runs). */
function templateIf(name: string): string {
  for (const s of template.steps as Record<string, unknown>[]) {
    for (const [key, value] of Object.entries(s)) if (key.startsWith('${{') && (value as { name?: string }[]).some((v) => v.name === name)) return key;
  }
  return '';
}
const parameter = (name: string) => (template.parameters as { name: string; default?: unknown }[]).find((p) => p.name === name);
const stepNamed = (name: string) => steps.find((s) => s.name === name)!;

test('the preflight runs before every task that writes (only the job-scoped API access may come first), on unless turned off', () => {
  const names = steps.map((s) => String(s.name));
  for (const name of names.slice(0, names.indexOf('preflight'))) assert.equal(name, 'access', `${name} runs before the preflight`);
  assert.equal(templateIf('access'), '${{ if eq(parameters.apiAccess, true) }}');
  assert.equal(templateIf('preflight'), '${{ if eq(parameters.preflight, true) }}');
  assert.equal(parameter('preflight')?.default, true);
  assert.equal(parameter('preflightFailOn')?.default, 'error');
});

test('the preflight gets every template parameter the task has, its mode and its fail-on', () => {
  const preflight = stepNamed('preflight');
  const inputs = preflight.inputs as Record<string, string>;
  assert.equal(inputs.mode, 'preflight');
  assert.equal(inputs.failOn, '${{ parameters.preflightFailOn }}');
  const task = tasks.get(String(preflight.task))!;
  const shared = [...parameters].filter((p) => task.inputs.some((i) => i.name === p) && p !== 'mode' && p !== 'failOn');
  assert.ok(shared.length >= 15, shared.join(', '));
  for (const name of shared) assert.equal(inputs[name], `\${{ parameters.${name} }}`, `preflight: '${name}' is not forwarded`);
  assert.equal((stepNamed('coredns').inputs as Record<string, string>).dnsIp, '${{ parameters.dnsIp }}', 'a pinned DNS IP reaches CoreDNS too');
});

test('verify runs last, on by default and never after a dry run, against the DNS IP CoreDNS got', () => {
  const inputs = stepNamed('verify').inputs as Record<string, string>;
  assert.equal(inputs.mode, 'verify');
  assert.equal(inputs.dnsIp, '$(coredns.dnsIp)');
  for (const name of ['webapp', 'vnet', 'subnet', 'clusterResourceGroup', 'clusterName', 'service', 'namespace', 'zone']) assert.equal(inputs[name], `\${{ parameters.${name} }}`, `verify: '${name}' is not forwarded`);
  assert.equal(templateIf('verify'), '${{ if and(eq(parameters.verify, true), ne(parameters.dryRun, true)) }}');
  assert.equal(parameter('verify')?.default, true);
});

test('every input is a task input, required ones are given, and references resolve', () => {
  const named = new Map<string, TaskJson>();
  const check = (where: string, text: string) => {
    for (const [, p] of text.matchAll(/\$\{\{\s*parameters\.(\w+)\s*\}\}/g)) assert.ok(parameters.has(p!), `${where}: unknown parameter '${p}'`);
    for (const m of text.matchAll(/\$\((\w+)\.(\w+)\)|variables\['(\w+)\.(\w+)'\]/g)) {
      const [name, output] = [m[1] ?? m[3], m[2] ?? m[4]];
      const task = named.get(name!);
      assert.ok(task, `${where}: step '${name}' has not run before`);
      assert.ok(task.outputVariables.some((o) => o.name === output), `${where}: ${task.name} has no output variable '${output}'`);
    }
  };
  for (const step of steps) {
    const task = tasks.get(String(step.task));
    assert.ok(task, `unknown task ${step.task}`);
    const inputs = (step.inputs ?? {}) as Record<string, unknown>;
    for (const [key, value] of Object.entries(inputs)) {
      assert.ok(task.inputs.some((i) => i.name === key), `${step.name}: '${key}' is not an input of ${task.name}`);
      check(`${step.name}.${key}`, String(value));
    }
    for (const input of task.inputs.filter((i) => i.required)) assert.ok(input.name in inputs, `${step.name}: required '${input.name}' missing`);
    if (step.condition) check(`${step.name}.condition`, String(step.condition));
    named.set(String(step.name), task);
  }
});

test('the example pipeline passes every required template parameter', () => {
  const example = parse(readFileSync(path.join(ROOT, 'examples/azure-pipelines/azure-pipelines.yml'), 'utf8'));
  const use = example.steps.find((s: { template?: string }) => s.template === 'templates/connect-webapp-to-aks.yml');
  assert.ok(use);
  const required = (template.parameters as { name: string; default?: unknown }[]).filter((p) => p.default === undefined).map((p) => p.name);
  for (const name of required) assert.ok(name in use.parameters, `required parameter '${name}' missing`);
  for (const name of Object.keys(use.parameters)) assert.ok(parameters.has(name), `unknown parameter '${name}'`);
});
