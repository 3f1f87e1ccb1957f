// configure-coredns-external against a private AKS cluster, through its shipped bundles on both
// hosts: the direct Kubernetes API refuses the runner, so the step reads, writes, restarts CoreDNS
// and waits for the DNS IP through the AKS run command, with a real DNS query proving the result;
// a re-run writes nothing and a dry run runs only the reading command.
import assert from 'node:assert/strict';
import { Resolver } from 'node:dns/promises';
import { after, before, describe, test } from 'node:test';
import { CONFIGMAPS, SERVICES } from '@private-wire/emulator/kube/resources';
import { seedApp } from '@private-wire/emulator/kube/seed';
import { HOSTS, runShippedStep, secretsPrinted, startWorld, type HostName, type StepRun, type World } from '../../test/support/harness';

const STEP = 'configure-coredns-external';
const OWN_KEY = 'private-wire-k8s-external.override';
const INTERNAL = 'service.beta.kubernetes.io/azure-load-balancer-internal';
const CLUSTER = { 'cluster-resource-group': 'rg-aks', 'cluster-name': 'aks-private' };
let world: World;

const run = (host: HostName, inputs: Record<string, string>) => runShippedStep(world, STEP, host, { ...CLUSTER, ...inputs }, { cluster: 'none' });
const kubeWrites = () => world.e.log.writes('kube').map((w) => `${w.method} ${w.path}`);
const runCommands = () => world.e.log.writes('arm').filter((w) => /\/runCommand$/i.test(w.path)).length;
const restarts = () => world.e.kube!.rollouts.restartCount('kube-system', 'coredns');
function ok(r: StepRun): void {
  assert.ok(r.succeeded, `${r.host} failed: ${r.error}\n${r.stdout.slice(-3000)}`);
  assert.deepEqual(secretsPrinted(r, [world.sp.secret, world.e.kube!.tokens.user, world.e.kube!.tokens.admin]), []);
}
async function lookup(name: string): Promise<string[]> {
  const resolver = new Resolver({ timeout: 2000, tries: 1 });
  resolver.setServers([`127.0.0.1:${world.e.coredns!.port}`]);
  return resolver.resolve4(name);
}

before(async () => {
  world = await startWorld({ provisioningDelayMs: 5, kube: { loadBalancerDelayMs: 20, rolloutDelayMs: 20, runCommandDelayMs: 20 } });
  world.e.seed.resourceGroup('rg-aks', 'westeurope');
  world.e.seed.cluster('rg-aks', 'aks-private', { privateCluster: true });
  seedApp(world.e.kube!.api, { name: 'backend', type: 'LoadBalancer', annotations: { [INTERNAL]: 'true' } });
});

after(() => world?.stop());

describe('configure-coredns-external on a private cluster', () => {
  for (const host of HOSTS) {
    const zone = host === 'github' ? 'gh.internal.example' : 'azp.internal.example';
    test(`${host}: dry run reads only; the run writes the key, restarts CoreDNS and exposes it through the run command; a re-run writes nothing`, async () => {
      world.e.log.clear();
      const dry = await run(host, { zone, 'dry-run': 'true' });
      ok(dry);
      assert.match(dry.stdout, /is a private cluster: Kubernetes reads and writes go through the AKS run command/);
      assert.deepEqual(kubeWrites(), []);
      assert.equal(runCommands(), 1);

      const before = restarts();
      world.e.log.clear();
      const r = await run(host, { zone });
      ok(r);
      const data = (world.e.kube!.store.get(CONFIGMAPS, 'kube-system', 'coredns-custom')!['data'] ?? {}) as Record<string, string>;
      assert.match(data[OWN_KEY] ?? '', new RegExp(`^k8s_external ${zone.replace(/\./g, '\\.')} [{]$`, 'm'));
      assert.equal(restarts(), before + 1);
      const dnsService = world.e.kube!.store.get(SERVICES, 'kube-system', 'kube-dns-internal')!;
      assert.equal(dnsService.metadata.annotations?.[INTERNAL], 'true');
      assert.match(r.outputs['dns-ip']!, /^10\.224\.\d+\.\d+$/);
      const backendIp = (((world.e.kube!.store.get(SERVICES, 'default', 'backend')!['status'] as Record<string, unknown>).loadBalancer as { ingress: { ip: string }[] }).ingress[0]!).ip;
      assert.deepEqual(await lookup(`backend.default.${zone}`), [backendIp]);

      world.e.log.clear();
      const again = await run(host, { zone });
      ok(again);
      assert.equal(again.outputs.changed, 'false');
      assert.equal(again.outputs['dns-ip'], r.outputs['dns-ip']);
      assert.deepEqual(kubeWrites(), []);
      assert.equal(restarts(), before + 1);
      // One read, one in-cluster wait for the DNS IP.
      assert.equal(runCommands(), 2);
    });
  }
});
