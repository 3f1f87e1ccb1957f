// expose-internal-service against a private AKS cluster, through its shipped bundles on both hosts:
// the stand-in's Kubernetes API refuses direct connections (the runner is outside the VNet), so
// every read and write goes through the AKS run command (kubectl inside the cluster), with the same
// plan, the same writes, zero writes on a re-run and none in a dry run.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SERVICES } from '@private-wire/emulator/kube/resources';
import { seedApp } from '@private-wire/emulator/kube/seed';
import type { KubeObject } from '@private-wire/emulator/kube/types';
import { kebabToCamel } from '@private-wire/shared/names';
import { HOSTS, runShippedStep, secretsPrinted, startWorld, type HostName, type RunOptions, type StepRun, type World } from '../../test/support/harness';

const STEP = 'expose-internal-service';
const INTERNAL = 'service.beta.kubernetes.io/azure-load-balancer-internal';
const CLUSTER = { 'cluster-resource-group': 'rg-aks', 'cluster-name': 'aks-private' };
let world: World;
type Rec = Record<string, unknown>;

function run(host: HostName, inputs: Record<string, string>, options: RunOptions = {}): Promise<StepRun> {
  return runShippedStep(world, STEP, host, inputs, { cluster: 'none', ...options });
}
const svc = (name: string) => world.e.kube!.store.get(SERVICES, 'default', name);
const kubeWrites = () => world.e.log.writes('kube').map((w) => `${w.method} ${w.path} ${w.status}`);
const runCommands = () => world.e.log.writes('arm').filter((w) => /\/runCommand$/i.test(w.path)).length;
function ok(r: StepRun): void {
  assert.ok(r.succeeded, `${r.host} failed: ${r.error}\n${r.stdout.slice(-3000)}`);
  assert.deepEqual(secretsPrinted(r, [world.sp.secret, world.e.kube!.tokens.user, world.e.kube!.tokens.admin]), []);
}

function teamService(name: string): KubeObject {
  return world.e.kube!.api.create(
    SERVICES,
    'default',
    {
      metadata: { name, labels: { app: name }, annotations: { 'example.com/owner': 'team-a' } },
      spec: { type: 'ClusterIP', selector: { app: name }, sessionAffinity: 'ClientIP', ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] },
    },
    { manager: 'kubectl-client-side-apply' },
  );
}

before(async () => {
  world = await startWorld({ provisioningDelayMs: 5, kube: { loadBalancerDelayMs: 20, rolloutDelayMs: 20, runCommandDelayMs: 20 } });
  const { e } = world;
  e.seed.resourceGroup('rg-aks', 'westeurope');
  const { vnet } = e.seed.vnet('rg-aks', 'vnet-aks', { addressPrefixes: ['10.224.0.0/12'], subnets: [{ name: 'nodes', addressPrefix: '10.224.0.0/16' }] });
  // The only cluster, so the stand-in's Kubernetes API is this private cluster's.
  const cluster = e.seed.cluster('rg-aks', 'aks-private', { privateCluster: true });
  const p = cluster.properties as Rec;
  e.store.put({ ...cluster, properties: { ...p, agentPoolProfiles: [{ ...(p.agentPoolProfiles as Rec[])[0], vnetSubnetID: `${vnet.id}/subnets/nodes` }] } });
});

after(() => world?.stop());

describe('expose-internal-service on a private cluster', () => {
  test('a direct connection is refused: the runner is outside the cluster\'s network', async () => {
    teamService('direct');
    world.e.log.clear();
    const r = await run('github', { service: 'direct', timeout: '60' }, { cluster: 'kubeconfig' });
    assert.equal(r.succeeded, false);
    assert.match(r.error ?? '', /The Kubernetes API server at https:\/\/127\.0\.0\.1:\d+ cannot be reached while reading Service default\/direct/);
    assert.deepEqual(kubeWrites(), []);
  });

  for (const host of HOSTS) {
    const short = host === 'github' ? 'gh' : 'azp';
    const n = (name: string) => (host === 'github' ? name : kebabToCamel(name));

    test(`${host}: detected as private, planned and applied through the run command; a re-run writes nothing`, async () => {
      teamService(`team-${short}`);
      world.e.log.clear();
      const r = await run(host, { service: `team-${short}`, ...CLUSTER });
      ok(r);
      assert.match(r.stdout, /AKS cluster rg-aks\/aks-private is a private cluster: Kubernetes reads and writes go through the AKS run command/);
      assert.match(r.stdout, new RegExp(`~ update Service default/team-${short}: type ClusterIP → LoadBalancer; set azure-load-balancer-internal`));
      assert.match(r.outputs.ip!, /^10\.224\.\d+\.\d+$/);
      const s = svc(`team-${short}`)!;
      assert.equal((s['spec'] as Rec)['type'], 'LoadBalancer');
      assert.equal((s['spec'] as Rec)['sessionAffinity'], 'ClientIP');
      assert.equal(s.metadata.annotations?.[INTERNAL], 'true');
      assert.equal(s.metadata.annotations?.['example.com/owner'], 'team-a');
      assert.ok(s.metadata.managedFields?.some((f) => f.manager === 'private-wire' && f.operation === 'Apply'));
      assert.deepEqual(kubeWrites(), [`PATCH /api/v1/namespaces/default/services/team-${short} 200`]);
      // Reads batched: plan (1), the write (1), the in-cluster wait (1), the check before reporting (1).
      assert.equal(runCommands(), 4);

      world.e.log.clear();
      const again = await run(host, { service: `team-${short}`, ...CLUSTER, 'private-cluster': 'true' });
      ok(again);
      assert.equal(again.outputs.changed, 'false');
      assert.equal(again.outputs.ip, r.outputs.ip);
      assert.match(again.stdout, new RegExp(`'${n('private-cluster')}' is true: Kubernetes reads and writes go through the AKS run command in cluster rg-aks/aks-private`));
      assert.deepEqual(kubeWrites(), []);
      assert.equal(runCommands(), 3);
    });

    test(`${host}: a missing Service is created from selector and ports through the run command; dry-run writes nothing`, async () => {
      seedApp(world.e.kube!.api, { name: `new-${short}-app` });
      world.e.log.clear();
      const dry = await run(host, { service: `new-${short}`, selector: `app=new-${short}-app`, ports: '80:8080/TCP', ...CLUSTER, 'dry-run': 'true' });
      ok(dry);
      assert.match(dry.stdout, new RegExp(`\\+ create Service default/new-${short}: create it \\(selector app=new-${short}-app; ports 80:8080/TCP\\)`));
      assert.deepEqual(kubeWrites(), []);
      assert.equal(runCommands(), 1);
      assert.equal(svc(`new-${short}`), undefined);

      const r = await run(host, { service: `new-${short}`, selector: `app=new-${short}-app`, ports: '80:8080/TCP', ...CLUSTER });
      ok(r);
      const s = svc(`new-${short}`)!;
      assert.deepEqual((s['spec'] as Rec)['selector'], { app: `new-${short}-app` });
      assert.equal(s.metadata.annotations?.[INTERNAL], 'true');
      assert.match(r.outputs.ip!, /^10\.224\.\d+\.\d+$/);
    });
  }

  test('a Service changed between the read and the write is read again and applied without losing the change', async () => {
    teamService('raced');
    let raced = false;
    world.e.faults.add({
      surface: 'kube',
      kind: 'hook',
      when: 'before',
      method: 'PATCH',
      path: '/api/v1/namespaces/default/services/raced',
      times: 1,
      run: () => {
        raced = true;
        world.e.kube!.api.patch(SERVICES, 'default', 'raced', 'application/merge-patch+json', JSON.stringify({ metadata: { labels: { touched: 'meanwhile' } } }), { manager: 'someone', dryRun: false });
      },
    });
    world.e.log.clear();
    const r = await run('azure-pipelines', { service: 'raced', ...CLUSTER, 'private-cluster': 'true' });
    world.e.faults.clear();
    ok(r);
    assert.ok(raced);
    assert.deepEqual(kubeWrites(), ['PATCH /api/v1/namespaces/default/services/raced 409', 'PATCH /api/v1/namespaces/default/services/raced 200']);
    const s = svc('raced')!;
    assert.equal(s.metadata.labels?.['touched'], 'meanwhile');
    assert.equal(s.metadata.annotations?.[INTERNAL], 'true');
  });

  test('private-cluster: true beside a kubeconfig is refused before anything is read or written', async () => {
    world.e.log.clear();
    const r = await run('azure-pipelines', { service: 'x', ...CLUSTER, 'private-cluster': 'true' }, { cluster: 'kubeconfig' });
    assert.equal(r.succeeded, false);
    assert.match(r.error ?? '', /^Input 'privateCluster' is true and 'kubeconfig' is given, which only applies to a direct connection\. Remove 'kubeconfig'/);
    assert.equal(runCommands(), 0);
    assert.deepEqual(kubeWrites(), []);
  });
});
