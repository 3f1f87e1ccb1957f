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
  test('runs the steps in the order of the procedure (API access, then the preflight, before the wiring; verify last)', () => {
    assert.deepEqual(
      composite.steps.map((s) => `${s.id}:${stepOfUses(s.uses)}`),
      ['access:aks-api-access', 'preflight:check-private-path', 'vnet:vnet-integrate-webapp', 'expose:expose-internal-service', 'coredns:configure-coredns-external', 'dns:set-webapp-dns', 'approve:approve-pe-connections', 'verify:check-private-path'],
    );
  });

  test('the preflight comes before every step that writes (only aks-api-access, whose post step undoes it, may come first)', () => {
    const at = composite.steps.findIndex((s) => s.id === 'preflight');
    assert.ok(at >= 0, 'no preflight step');
    for (const [i, step] of composite.steps.entries()) {
      const kind = stepOfUses(step.uses);
      if (i >= at || kind === 'check-private-path') continue;
      assert.equal(kind, 'aks-api-access', `${step.id} (${kind}) runs before the preflight`);
      assert.equal(step.if, "${{ inputs.api-access == 'true' }}", 'aks-api-access before the preflight only when asked for');
    }
  });

  test('the preflight gets every input of the composite that check-private-path has, and its own switch and fail-on', () => {
    const preflight = composite.steps.find((s) => s.id === 'preflight')!;
    const action = stepAction('check-private-path');
    assert.equal(preflight.with!.mode, 'preflight');
    assert.equal(preflight.with!['fail-on'], '${{ inputs.preflight-fail-on }}');
    assert.equal(preflight.if, "${{ inputs.preflight == 'true' }}");
    assert.equal(composite.inputs.preflight?.default, 'true', 'on unless turned off');
    assert.equal(composite.inputs['preflight-fail-on']?.default, 'error');
    const shared = Object.keys(composite.inputs).filter((name) => name in action.inputs && name !== 'mode' && name !== 'fail-on');
    assert.ok(shared.length >= 15, shared.join(', '));
    for (const name of shared) assert.equal(preflight.with?.[name], `\${{ inputs.${name} }}`, `preflight: '${name}' is not forwarded`);
  });

  test('verify runs last, on by default, with the DNS IP CoreDNS got, and not after a dry run', () => {
    const verify = composite.steps.at(-1)!;
    assert.equal(stepOfUses(verify.uses), 'check-private-path');
    assert.equal(verify.with!.mode, 'verify');
    assert.equal(verify.with!['dns-ip'], '${{ steps.coredns.outputs.dns-ip }}');
    assert.equal(composite.inputs.verify?.default, 'true');
    for (const name of ['webapp', 'vnet', 'subnet', 'cluster-resource-group', 'cluster-name', 'service', 'namespace', 'zone']) assert.equal(verify.with?.[name], `\${{ inputs.${name} }}`, `verify: '${name}' is not forwarded`);
    const runs = (inputs: Record<string, string>) => evaluate(verify.if!.replace(/^\$\{\{([\s\S]*)\}\}$/, '$1'), { inputs, steps: {} });
    assert.equal(runs({ verify: 'true', 'dry-run': 'false' }), true);
    assert.equal(runs({ verify: 'true', 'dry-run': 'true' }), false);
    assert.equal(runs({ verify: 'false', 'dry-run': 'false' }), false);
  });

  test('a pinned dns-ip reaches both CoreDNS and the preflight', () => {
    for (const id of ['coredns', 'preflight']) assert.equal(composite.steps.find((s) => s.id === id)!.with!['dns-ip'], '${{ inputs.dns-ip }}', id);
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
  assert.deepEqual(calls, ['preflight', 'vnet', 'expose', 'coredns', 'dns', 'verify'], 'approve is skipped without private-link');
  assert.equal(result.outputs['dns-ip'], '10.224.0.10');
  assert.equal(result.outputs.changed, 'true');
});

test('a composite run stops at the first failed step', async () => {
  const calls: string[] = [];
  const result = await runComposite(composite, { ...required, 'private-link': 'true' }, async (_step, id): Promise<StepResult> => {
    calls.push(id);
    return id === 'expose' ? { succeeded: false, outputs: {} } : { succeeded: true, outputs: { changed: 'false' } };
  });
  assert.deepEqual(calls, ['preflight', 'vnet', 'expose']);
  assert.equal(result.succeeded, false);
});

test('a failed preflight stops the run before any other step; the preflight step has its findings', async () => {
  const calls: string[] = [];
  const findings = '[{"id":"nsg-blocks-dns","severity":"error"}]';
  const result = await runComposite(composite, { ...required, 'private-link': 'true', verify: 'true' }, async (_step, id, inputs): Promise<StepResult> => {
    calls.push(id);
    if (id === 'preflight') {
      assert.equal(inputs.mode, 'preflight');
      assert.equal(inputs['fail-on'], 'error');
      return { succeeded: false, outputs: { findings, ok: 'false', errors: '1' } };
    }
    return { succeeded: true, outputs: { changed: 'true' } };
  });
  assert.deepEqual(calls, ['preflight']);
  assert.equal(result.succeeded, false);
  assert.equal(result.steps.find((s) => s.id === 'preflight')?.outputs.findings, findings);
});

test('preflight: false skips it; verify: true runs it last against the DNS IP CoreDNS got', async () => {
  const calls: string[] = [];
  await runComposite(composite, { ...required, preflight: 'false', verify: 'true' }, async (_step, id, inputs): Promise<StepResult> => {
    calls.push(id);
    if (id === 'coredns') return { succeeded: true, outputs: { 'dns-ip': '10.224.0.53', changed: 'true' } };
    if (id === 'verify') {
      assert.equal(inputs.mode, 'verify');
      assert.equal(inputs['dns-ip'], '10.224.0.53');
    }
    return { succeeded: true, outputs: { changed: 'false' } };
  });
  assert.deepEqual(calls, ['vnet', 'expose', 'coredns', 'dns', 'verify']);
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
  assert.deepEqual(calls, ['access', 'preflight', 'vnet', 'expose']);
  assert.equal(result.succeeded, false);
  assert.deepEqual(result.posts.map((p) => [p.step, p.state]), [['aks-api-access', { addedRange: '20.81.4.7/32' }]]);
});

test('without api-access the access step is skipped and nothing is due after the job', async () => {
  const result = await runComposite(composite, required, async () => ({ succeeded: true, outputs: { changed: 'false' } }));
  assert.equal(result.steps.find((s) => s.id === 'access')?.skipped, true);
  assert.deepEqual(result.posts, []);
});
