// Issue 14 §3 through shipped bundles: a Kubernetes step that cannot reach an AKS API server
// (the stand-in's firewall enforces the cluster's authorized IP ranges; a private cluster's
// private FQDN does not resolve outside its VNet) says why and what to do, on both hosts; after
// aks-api-access ran in the same job, the step gets through.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { HOSTS, runShippedStep, startWorld, type World } from './support/harness';

const OFFICE = '198.51.100.0/24';
let world: World;

before(async () => {
  world = await startWorld({ network: { runnerAddress: '20.81.4.7', refusal: 'reset' }, clusterUpdateDelayMs: 50 });
  world.e.seed.resourceGroup('rg-aks');
  // The first cluster is the one the stand-in's Kubernetes API serves.
  world.e.seed.cluster('rg-aks', 'aks', { authorizedIPRanges: [OFFICE] });
  world.e.seed.cluster('rg-aks', 'aks-private', { privateCluster: true });
});
after(() => world?.stop());

const coredns = (host: (typeof HOSTS)[number], cluster: string, env: Record<string, string> = {}, inputs: Record<string, string> = {}) =>
  runShippedStep(world, 'configure-coredns-external', host, { zone: 'internal.example', 'cluster-resource-group': 'rg-aks', 'cluster-name': cluster, ...inputs }, { cluster: 'none', env });

describe('an API server the runner cannot reach', () => {
  for (const host of HOSTS) {
    test(`${host}: authorized ranges without the runner: says the runner is outside them and names aks-api-access; after aks-api-access the step gets in`, async () => {
      const blind = await coredns(host, 'aks');
      assert.equal(blind.succeeded, false);
      assert.match(blind.error!, /cannot be reached while .*AKS cluster rg-aks\/aks accepts API server connections only from its authorized IP ranges \(198\.51\.100\.0\/24\)\. This runner's public address is not known here\. Run the aks-api-access step before this one/s);

      const stale = await coredns(host, 'aks', { PRIVATE_WIRE_RUNNER_IP: '20.81.4.99/32' });
      assert.match(stale.error!, /This runner's address 20\.81\.4\.99\/32 is not inside them\. Run the aks-api-access step/);

      const access = await runShippedStep(world, 'aks-api-access', host, { 'cluster-resource-group': 'rg-aks', 'cluster-name': 'aks', 'ip-echo-url': world.e.urls.ipEcho });
      assert.ok(access.succeeded, access.error);
      assert.equal(access.exported.PRIVATE_WIRE_RUNNER_IP, '20.81.4.7/32');
      const through = await coredns(host, 'aks', access.exported);
      assert.ok(through.succeeded, through.error);

      const post = await runShippedStep(world, 'aks-api-access', host, { 'cluster-resource-group': 'rg-aks', 'cluster-name': 'aks' }, { state: access.state });
      assert.ok(post.succeeded, post.error);
      const closed = await coredns(host, 'aks', access.exported);
      assert.match(closed.error!, /This runner's address 20\.81\.4\.7\/32 is not inside them/);
    });

    test(`${host}: a private cluster's private FQDN names private-cluster: true and self-hosted agents in the VNet`, async () => {
      // private-cluster: false keeps the direct path (left empty, the private cluster is detected and reached through the run command).
      const run = await coredns(host, 'aks-private', {}, { 'private-cluster': 'false' });
      assert.equal(run.succeeded, false);
      const input = host === 'github' ? 'private-cluster' : 'privateCluster';
      assert.match(run.error!, new RegExp(`\\.privatelink\\.westeurope\\.azmk8s\\.io:443 cannot be reached.*AKS cluster rg-aks/aks-private is a private cluster.*'${input}: true'.*self-hosted agent`, 's'));
    });
  }
});
