// The composite action passes only inputs and outputs its steps really have, and the expression
// subset it uses evaluates as GitHub's does.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { evaluate, interpolate, loadComposite, runComposite, stepOfUses, type Context, type StepRunResult } from '../scripts/lib/composite';
import { azureInputs } from '../packages/shared/src/azure/inputs';
import { ROOT } from './support/bundles';

const composite = loadComposite(path.join(ROOT, 'actions/connect-webapp-to-aks/action.yml'));
const stepAction = (step: string) => parse(readFileSync(path.join(ROOT, 'actions', step, 'action.yml'), 'utf8'));
const references = (text: string) => [...text.matchAll(/\b(inputs|steps)\.([\w-]+)(?:\.outputs\.([\w-]+))?/g)];

describe('connect-webapp-to-aks wiring', () => {
  test('runs the steps in the order of the procedure (API access before the Kubernetes steps)', () => {
    assert.deepEqual(
      composite.steps.map((s) => stepOfUses(s.uses)),
      ['vnet-integrate-webapp', 'aks-api-access', 'expose-internal-service', 'configure-coredns-external', 'set-webapp-dns', 'approve-pe-connections'],
    );
  });

  test('every with: key is an input of the step, and every required input is given', () => {
    for (const step of composite.steps) {
      const action = stepAction(stepOfUses(step.uses));
      for (const key of Object.keys(step.with ?? {})) assert.ok(key in action.inputs, `${step.id}: '${key}' is not an input of ${stepOfUses(step.uses)}`);
      for (const [name, spec] of Object.entries(action.inputs as Record<string, { required?: boolean }>)) {
        if (spec.required) assert.ok(step.with && name in step.with, `${step.id}: required input '${name}' is not passed`);
      }
    }
  });

  test('every expression refers to a composite input or an output of an earlier step', () => {
    const seen = new Map<string, string>();
    const check = (where: string, text: string) => {
      for (const [, root, name, output] of references(text)) {
        if (root === 'inputs') assert.ok(name! in composite.inputs, `${where}: unknown input '${name}'`);
        else {
          const step = seen.get(name!);
          assert.ok(step, `${where}: step '${name}' has not run yet`);
          assert.ok(output! in stepAction(step).outputs, `${where}: ${step} has no output '${output}'`);
        }
      }
    };
    for (const step of composite.steps) {
      for (const [key, value] of Object.entries(step.with ?? {})) check(`${step.id}.with.${key}`, String(value));
      if (step.if) check(`${step.id}.if`, step.if);
      seen.set(step.id, stepOfUses(step.uses));
    }
    for (const [name, output] of Object.entries(composite.outputs)) check(`outputs.${name}`, output.value);
  });

  test("every step gets the composite's Azure sign-in inputs, each from the input of the same name", () => {
    const signIn = Object.entries(azureInputs(false))
      .filter(([, spec]) => spec.host !== 'azure-pipelines')
      .map(([name]) => name);
    for (const name of signIn) assert.ok(name in composite.inputs, `the composite has no '${name}' input`);
    for (const step of composite.steps) {
      const action = stepAction(stepOfUses(step.uses));
      for (const name of signIn.filter((n) => n in action.inputs)) {
        assert.equal(step.with?.[name], `\${{ inputs.${name} }}`, `${step.id}: '${name}' is not forwarded`);
      }
    }
  });

  test('the CoreDNS IP flows into set-webapp-dns', () => {
    const dns = composite.steps.find((s) => s.id === 'dns')!;
    assert.equal(dns.with!['dns-server'], '${{ steps.coredns.outputs.dns-ip }}');
  });
});

describe('expressions', () => {
  const ctx: Context = {
    inputs: { 'private-link': 'true', empty: '' },
    steps: { a: { outputs: { changed: 'false', ip: '10.0.0.4' }, conclusion: 'success' }, b: { outputs: { changed: 'true' }, conclusion: 'success' } },
  };

  test('comparisons are case-insensitive and || returns the first truthy value', () => {
    assert.equal(evaluate("inputs.private-link == 'TRUE'", ctx), true);
    assert.equal(evaluate("steps.a.outputs.changed == 'true' || steps.b.outputs.changed == 'true'", ctx), true);
    assert.equal(evaluate("inputs.empty || 'fallback'", ctx), 'fallback');
    assert.equal(evaluate("inputs.private-link == 'true' && steps.a.outputs.ip != ''", ctx), true);
    assert.equal(evaluate("!(inputs.empty)", ctx), true);
  });

  test('interpolation turns booleans into text and unknown outputs into empty strings', () => {
    assert.equal(interpolate('ip=${{ steps.a.outputs.ip }}, x=${{ steps.nope.outputs.x }}', ctx), 'ip=10.0.0.4, x=');
    assert.equal(interpolate("${{ steps.a.outputs.changed == 'true' }}", ctx), 'false');
  });

  test('unsupported expressions are refused rather than guessed', () => {
    assert.throws(() => evaluate('github.sha', ctx), /unsupported expression 'github\.sha'/);
  });
});

type StepResult = { succeeded: boolean; outputs: Record<string, string> };
const required = { webapp: 'app', vnet: 'v', subnet: 's', service: 'backend', zone: 'internal.example' };

test('a composite run passes outputs on and skips steps whose if: is false', async () => {
  const calls: string[] = [];
  const result = await runComposite(composite, required, async (_step, id, inputs): Promise<StepResult> => {
    calls.push(id);
    if (id === 'coredns') return { succeeded: true, outputs: { 'dns-ip': '10.224.0.10', changed: 'true' } };
    if (id === 'dns') assert.equal(inputs['dns-server'], '10.224.0.10');
    return { succeeded: true, outputs: { changed: 'false' } };
  });
  assert.deepEqual(calls, ['vnet', 'expose', 'coredns', 'dns'], 'approve is skipped without private-link');
  assert.equal(result.outputs['dns-ip'], '10.224.0.10');
  assert.equal(result.outputs.changed, 'true');
});

test('a composite run stops at the first failed step', async () => {
  const calls: string[] = [];
  const result = await runComposite(composite, { ...required, 'private-link': 'true' }, async (_step, id): Promise<StepResult> => {
    calls.push(id);
    return id === 'expose' ? { succeeded: false, outputs: {} } : { succeeded: true, outputs: { changed: 'false' } };
  });
  assert.deepEqual(calls, ['vnet', 'expose']);
  assert.equal(result.succeeded, false);
});

test('api-access runs aks-api-access, and its post step is still due when a later step fails', async () => {
  const calls: string[] = [];
  const result = await runComposite(composite, { ...required, 'api-access': 'true', 'cluster-resource-group': 'rg', 'cluster-name': 'aks' }, async (_step, id, inputs): Promise<StepRunResult> => {
    calls.push(id);
    if (id === 'access') {
      assert.equal(inputs['cluster-name'], 'aks');
      return { succeeded: true, outputs: { changed: 'true' }, state: { addedRange: '20.81.4.7/32' } };
    }
    return id === 'expose' ? { succeeded: false, outputs: {} } : { succeeded: true, outputs: { changed: 'false' } };
  });
  assert.deepEqual(calls, ['vnet', 'access', 'expose']);
  assert.equal(result.succeeded, false);
  assert.deepEqual(result.posts.map((p) => [p.step, p.state]), [['aks-api-access', { addedRange: '20.81.4.7/32' }]]);
});

test('without api-access the access step is skipped and nothing is due after the job', async () => {
  const result = await runComposite(composite, required, async () => ({ succeeded: true, outputs: { changed: 'false' } }));
  assert.equal(result.steps.find((s) => s.id === 'access')?.skipped, true);
  assert.deepEqual(result.posts, []);
});
