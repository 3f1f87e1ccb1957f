// The composite action and the Azure Pipelines template are generated from the flow and the steps'
// metadata: every input of every step is forwarded or set by the flow, on both hosts alike, and an
// input a step gains shows up in both without touching the flow.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parse, stringify } from 'yaml';
import type { InputSpec, StepMetadata } from '../packages/shared/src/metadata/types';
import { SHIPPED_STEPS } from '../steps/catalog';
import { composedInputs } from '../scripts/lib/compose';
import { forwardingProblems } from '../scripts/lib/compose-check';
import { azpConditions, compositeActionYml, flowFiles, githubIf, pipelinesTemplate, templateParameter } from '../scripts/lib/compose-files';
import { evaluate } from '../scripts/lib/composite';
import { CONNECT_FLOW } from '../scripts/lib/connect-flow';
import type { Flow } from '../scripts/lib/flow';
import { schemaProblems } from '../scripts/lib/schemas';
import { ROOT } from './support/bundles';

const read = (rel: string) => readFileSync(path.join(ROOT, rel), 'utf8');
const compositeFile = 'actions/connect-webapp-to-aks/action.yml';
const templateFile = 'examples/azure-pipelines/templates/connect-webapp-to-aks.yml';
const metas = new Map(SHIPPED_STEPS.map((m) => [m.id, m]));

test("the composite is checked against GitHub's action.yml schema like the steps' action.yml", () => {
  assert.deepEqual(schemaProblems(compositeFile, read(compositeFile)), []);
  const doc = parse(read(compositeFile));
  doc.runs.steps[0].uses_ = doc.runs.steps[0].uses;
  assert.notDeepEqual(schemaProblems(compositeFile, stringify(doc)), [], 'an unknown key in a composite step is refused');
});

describe('forwarding', () => {
  test('the shipped composite and template give every step input a value, and the same one on both hosts', () => {
    assert.deepEqual(forwardingProblems(read(compositeFile), read(templateFile), SHIPPED_STEPS), []);
  });

  test('a step input left out of the composite is found', () => {
    const doc = parse(read(compositeFile));
    delete doc.runs.steps.find((s: { id: string }) => s.id === 'coredns').with.ttl;
    assert.deepEqual(forwardingProblems(stringify(doc), read(templateFile), SHIPPED_STEPS), ["composite: coredns (configure-coredns-external) neither forwards nor sets its input 'ttl'"]);
  });

  test('a step input left out of the template (inside a `${{ if }}`) is found', () => {
    const text = read(templateFile).replace(/^( *)keep: \$\{\{ parameters\.keep \}\}\n/m, '');
    assert.notEqual(text, read(templateFile));
    assert.deepEqual(forwardingProblems(read(compositeFile), text, SHIPPED_STEPS), ["template: access (aks-api-access) neither forwards nor sets its input 'keep'"]);
  });

  test('the two hosts giving one step input different things is found', () => {
    const doc = parse(read(compositeFile));
    doc.runs.steps.find((s: { id: string }) => s.id === 'verify').with['dns-ip'] = '${{ inputs.dns-ip }}';
    assert.deepEqual(forwardingProblems(stringify(doc), read(templateFile), SHIPPED_STEPS), [
      "verify: 'dns-ip' is input:dnsIp in the composite but output:coredns.dnsIp in the template",
    ]);
  });

  test('the two hosts running different steps is found', () => {
    const doc = parse(read(compositeFile));
    doc.runs.steps = doc.runs.steps.filter((s: { id: string }) => s.id !== 'approve');
    assert.match(forwardingProblems(stringify(doc), read(templateFile), SHIPPED_STEPS).join('\n'), /the composite runs .* but the template runs .*approve:approve-pe-connections/);
  });
});

/** The shipped steps, each with extra inputs (as a later change to the metadata would add them). */
function withInputs(extra: Record<string, InputSpec>): StepMetadata[] {
  return SHIPPED_STEPS.map((m) => ({ ...m, inputs: { ...m.inputs, ...extra } }));
}

describe('new step inputs', () => {
  const added = withInputs({
    'comment-on-pr': { type: 'boolean', default: 'false', description: 'Post the plan as a pull request comment.' },
    'github-token': { type: 'string', host: 'github', default: '${{ github.token }}', description: 'Token to post with.' },
  });
  const files = flowFiles(CONNECT_FLOW, added, 1, () => undefined);
  const composite = parse(files.get(compositeFile)!);
  const template = parse(files.get(templateFile)!);

  test('show up on both hosts without a change to the flow (GitHub-only ones only on GitHub)', () => {
    assert.deepEqual(composite.inputs['comment-on-pr'], { description: 'Post the plan as a pull request comment.', required: false, default: 'false' });
    assert.equal(composite.inputs['github-token'].default, '${{ github.token }}');
    for (const step of composite.runs.steps) {
      assert.equal(step.with['comment-on-pr'], '${{ inputs.comment-on-pr }}', step.id);
      assert.equal(step.with['github-token'], '${{ inputs.github-token }}', step.id);
    }
    const parameters = template.parameters.map((p: { name: string }) => p.name);
    assert.ok(parameters.includes('commentOnPr'));
    assert.ok(!parameters.includes('githubToken'), 'a GitHub-only input is no template parameter');
    assert.deepEqual(template.parameters.find((p: { name: string }) => p.name === 'commentOnPr'), { name: 'commentOnPr', type: 'boolean', default: false });
    assert.deepEqual(forwardingProblems(files.get(compositeFile)!, files.get(templateFile)!, added), []);
  });

  test('an input of one name but another type in two steps stops the generator until the flow renames one', () => {
    const clash = SHIPPED_STEPS.map((m) =>
      m.id === 'set-webapp-dns' ? { ...m, inputs: { ...m.inputs, zone: { type: 'integer', description: 'x' } as InputSpec } } : m,
    );
    assert.throws(() => flowFiles(CONNECT_FLOW, clash, 1, () => undefined), /composite input 'zone' would feed step inputs of different types.*rename/);
    const renamed: Flow = { ...CONNECT_FLOW, stages: CONNECT_FLOW.stages.map((s) => (s.id === 'dns' ? { ...s, rename: { ...s.rename, zone: 'dns-zone' } } : s)) };
    const yml = parse(compositeActionYml(renamed, new Map(clash.map((m) => [m.id, m])), 1));
    assert.equal(yml.runs.steps.find((s: { id: string }) => s.id === 'dns').with.zone, '${{ inputs.dns-zone }}');
  });

  test('a flow naming an input its step does not have is refused', () => {
    const bad: Flow = { ...CONNECT_FLOW, stages: CONNECT_FLOW.stages.map((s) => (s.id === 'vnet' ? { ...s, set: { 'no-such': { value: 'x', why: 'y' } } } : s)) };
    assert.throws(() => composedInputs(bad, metas), /stage 'vnet': vnet-integrate-webapp has no input 'no-such'/);
  });

  test('a flow reading an output of a later stage is refused', () => {
    const bad: Flow = { ...CONNECT_FLOW, stages: CONNECT_FLOW.stages.map((s) => (s.id === 'vnet' ? { ...s, when: [{ stage: 'coredns', output: 'dns-ip', notEmpty: true }] } : s)) };
    assert.throws(() => composedInputs(bad, metas), /stage 'vnet': stage 'coredns' has not run before it/);
  });
});

describe('composite inputs from the steps', () => {
  const inputs = new Map(composedInputs(CONNECT_FLOW, metas).map((i) => [i.name, i]));

  test('one input feeds the step inputs of its name in every step; required only when a step that always runs requires it', () => {
    assert.deepEqual(inputs.get('resource-group')!.feeds.map((f) => f.stage), ['preflight', 'vnet', 'dns', 'verify']);
    assert.equal(inputs.get('webapp')!.spec.required, true, 'vnet-integrate-webapp always runs and requires it');
    assert.equal(inputs.get('cluster-name')!.spec.required, undefined, 'only the conditional stages require it');
    assert.deepEqual(inputs.get('service-subnet')!.feeds.map((f) => `${f.stage}.${f.input}`), ['expose.subnet']);
  });

  test("an input whose steps' defaults differ has none of its own and names each step's", () => {
    const timeout = inputs.get('timeout')!.spec;
    assert.equal(timeout.default, undefined);
    assert.match(timeout.description, /Default: each step's own \(900 for aks-api-access; 600 for the others\)/);
    assert.equal(inputs.get('wait')!.spec.default, 'true');
  });

  test('template parameters are typed from the metadata; an input whose emptiness means something stays a string', () => {
    const parameter = (name: string) => templateParameter(inputs.get(name)!);
    assert.deepEqual(parameter('dry-run'), { name: 'dryRun', type: 'boolean', default: false });
    assert.deepEqual(parameter('ttl'), { name: 'ttl', type: 'number', default: 5 });
    assert.deepEqual(parameter('timeout'), { name: 'timeout', type: 'string', default: '' });
    assert.deepEqual(parameter('route-all'), { name: 'routeAll', type: 'string', default: '', values: ['', 'true', 'false'] });
    assert.deepEqual(parameter('dns-mode'), { name: 'dnsMode', type: 'string', default: 'property', values: ['property', 'app-setting'] });
    assert.deepEqual(parameter('azure-subscription'), { name: 'azureSubscription', type: 'string' });
    assert.deepEqual(parameter('private-link'), { name: 'privateLink', type: 'boolean', default: false });
  });
});

/**
 * Evaluates the subset of Azure Pipelines expressions the template uses: and(), eq(), ne() (strings
 * compared case-insensitively), succeeded(), parameters.<name>, variables['<name>'], 'text', true, false.
 */
function azpEvaluate(text: string, parameters: Record<string, unknown>, variables: Record<string, string>): unknown {
  const tokens = text.match(/'(?:[^']|'')*'|\w+(?:\.\w+)*|\[|\]|\(|\)|,/g)!;
  let i = 0;
  const value = (): unknown => {
    const t = tokens[i++]!;
    if (t.startsWith("'")) return t.slice(1, -1);
    if (t === 'true' || t === 'false') return t === 'true';
    if (t.startsWith('parameters.')) return parameters[t.slice('parameters.'.length)];
    if (t === 'variables') {
      i++; // [
      const name = String(value());
      i++; // ]
      return variables[name] ?? '';
    }
    const args: unknown[] = [];
    i++; // (
    while (tokens[i] !== ')') {
      args.push(value());
      if (tokens[i] === ',') i++;
    }
    i++; // )
    const same = (a: unknown, b: unknown) => String(a).toLowerCase() === String(b).toLowerCase();
    if (t === 'and') return args.every(Boolean);
    if (t === 'eq') return same(args[0], args[1]);
    if (t === 'ne') return !same(args[0], args[1]);
    if (t === 'succeeded') return true;
    throw new Error(`unsupported function ${t}`);
  };
  return value();
}

test("each template task runs exactly when the composite's step does (its `${{ if }}` and `condition:` against the `if:`)", () => {
  const inputs = new Map(composedInputs(CONNECT_FLOW, metas).map((i) => [i.name, i]));
  const switches = ['api-access', 'preflight', 'verify', 'dry-run', 'private-link'];
  let compared = 0;
  for (let bits = 0; bits < 1 << (switches.length + 2); bits++) {
    const given = Object.fromEntries(switches.map((name, k) => [name, bits & (1 << k) ? 'true' : 'false']));
    const outputs = { coredns: { 'dns-ip': bits & (1 << 5) ? '10.224.0.53' : '' }, expose: { 'pls-id': bits & (1 << 6) ? '/subscriptions/x' : '' } };
    const steps = Object.fromEntries(Object.entries(outputs).map(([id, o]) => [id, { outputs: o, conclusion: 'success' }]));
    const parameters = Object.fromEntries(switches.map((name) => [templateParameter(inputs.get(name)!).name, given[name] === 'true']));
    const variables = { 'coredns.dnsIp': outputs.coredns['dns-ip'], 'expose.plsId': outputs.expose['pls-id'] };
    for (const stage of CONNECT_FLOW.stages) {
      const gh = githubIf(stage);
      const onGitHub = gh ? Boolean(evaluate(gh.replace(/^\$\{\{([\s\S]*)\}\}$/, '$1').trim(), { inputs: given, steps })) : true;
      const { templateIf, condition } = azpConditions(stage, inputs);
      const included = templateIf ? Boolean(azpEvaluate(templateIf.replace(/^\$\{\{ if (.*) \}\}$/, '$1'), parameters, variables)) : true;
      const onAzp = included && (condition ? Boolean(azpEvaluate(condition, parameters, variables)) : true);
      assert.equal(onAzp, onGitHub, `${stage.id} with ${JSON.stringify({ ...given, ...variables })}`);
      compared++;
    }
  }
  assert.equal(compared, 128 * CONNECT_FLOW.stages.length);
  // And the template on disk is the one these conditions are written into.
  assert.equal(pipelinesTemplate(CONNECT_FLOW, metas, 1), read(templateFile));
});
