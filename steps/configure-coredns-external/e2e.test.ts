// configure-coredns-external through its shipped bundles on both hosts against the stand-in's
// Kubernetes API, cloud provider and CoreDNS (real DNS): bad inputs and zone conflicts fail before
// any write, only our coredns-custom key changes, CoreDNS restarts only when it did, the DNS
// Service gets an internal IP, and a real query answers svc.ns.<zone> with the internal-LB IP.
import assert from 'node:assert/strict';
import { Resolver } from 'node:dns/promises';
import { after, before, describe, test } from 'node:test';
import { CONFIGMAPS, SERVICES } from '@private-wire/emulator/kube/resources';
import { seedApp } from '@private-wire/emulator/kube/seed';
import type { KubeObject } from '@private-wire/emulator/kube/types';
import { kebabToCamel } from '@private-wire/shared/names';
import { HOSTS, runShippedStep, secretsPrinted, startWorld, type HostName, type RunOptions, type StepRun, type World } from '../../test/support/harness';
import { runtimes } from '../../test/support/runners';

const STEP = 'configure-coredns-external';
const OWN_KEY = 'private-wire-k8s-external.override';
const INTERNAL = 'service.beta.kubernetes.io/azure-load-balancer-internal';
const FAST = { provisioningDelayMs: 5, kube: { loadBalancerDelayMs: 20, rolloutDelayMs: 20 } };
// Keys a team already has, with odd spacing and comments that must survive byte for byte.
const OTHER_KEYS = {
  'log.override': '# query log\nlog   {\n  class denial error\n}\n',
  'contoso.server': 'contoso.com:53 {\n    errors\n    hosts {\n      10.1.1.1 app.contoso.com\n      fallthrough\n    }\n}\n',
};
type Rec = Record<string, unknown>;
let world: World;

function run(w: World, host: HostName, inputs: Record<string, string>, options: RunOptions = {}): Promise<StepRun> {
  return runShippedStep(w, STEP, host, inputs, options);
}
const kube = (w: World) => w.e.kube!;
const customMap = (w: World) => kube(w).store.get(CONFIGMAPS, 'kube-system', 'coredns-custom')!;
const restarts = (w: World) => kube(w).rollouts.restartCount('kube-system', 'coredns');
const kubeWrites = (w: World) => w.e.log.writes('kube').map((x) => `${x.method} ${x.path}`);
function ok(w: World, r: StepRun): void {
  assert.ok(r.succeeded, `${r.host} failed: ${r.error}\n${r.stdout.slice(-3000)}`);
  assert.deepEqual(secretsPrinted(r, [w.sp.secret, kube(w).tokens.user]), []);
}
/** Sets coredns-custom's data as a user's kubectl would. */
function setCustom(w: World, data: Record<string, string>): KubeObject {
  const cm = customMap(w);
  return kube(w).api.replace(CONFIGMAPS, 'kube-system', 'coredns-custom', { ...cm, data }, { manager: 'kubectl-edit' });
}
async function lookup(w: World, name: string): Promise<string[]> {
  const resolver = new Resolver({ timeout: 2000, tries: 1 });
  resolver.setServers([`127.0.0.1:${w.e.coredns!.port}`]);
  return resolver.resolve4(name);
}
const ingressIpOf = (o: KubeObject | undefined) => ((o?.['status'] as Rec | undefined)?.loadBalancer as { ingress?: { ip: string }[] } | undefined)?.ingress?.[0]?.ip;
async function waitForIngress(w: World, ns: string, name: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const ip = ingressIpOf(kube(w).store.get(SERVICES, ns, name));
    if (ip) return ip;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${ns}/${name} got no IP`);
}

before(async () => {
  world = await startWorld(FAST);
  seedApp(kube(world).api, { name: 'backend', type: 'LoadBalancer', annotations: { [INTERNAL]: 'true' } });
  const cm = customMap(world);
  kube(world).api.replace(
    CONFIGMAPS,
    'kube-system',
    'coredns-custom',
    { ...cm, metadata: { ...cm.metadata, annotations: { 'example.com/ticket': 'NET-42' } }, data: OTHER_KEYS },
    { manager: 'kubectl-edit' },
  );
});

after(() => world?.stop());

describe('configure-coredns-external: happy path', () => {
  test('github writes only its key, restarts CoreDNS once, exposes it internally, and DNS answers svc.ns.<zone>; azure-pipelines re-run writes nothing', async () => {
    const backendIp = await waitForIngress(world, 'default', 'backend');
    await assert.rejects(lookup(world, 'backend.default.internal.example'), /ENOTFOUND/, 'not served before the step');
    const kubeDns = kube(world).store.get(SERVICES, 'kube-system', 'kube-dns')!;
    const restartsBefore = restarts(world);

    const r = await run(world, 'github', { zone: 'Internal.Example.' });
    ok(world, r);
    assert.equal(r.outputs.changed, 'true');
    const cm = customMap(world);
    const data = cm['data'] as Record<string, string>;
    assert.deepEqual(Object.keys(data).sort(), [...Object.keys(OTHER_KEYS), OWN_KEY].sort());
    for (const [k, v] of Object.entries(OTHER_KEYS)) assert.equal(data[k], v, `${k} kept byte for byte`);
    assert.match(data[OWN_KEY]!, /^k8s_external internal\.example \{\n {4}ttl 5\n\}$/m);
    assert.equal(cm.metadata.annotations?.['example.com/ticket'], 'NET-42');
    assert.equal(restarts(world), restartsBefore + 1, 'one rollout restart');
    assert.match(r.stdout, /~ update Deployment kube-system\/coredns: rollout restart \(coredns-custom changed\), then wait for it/);

    const dns = kube(world).store.get(SERVICES, 'kube-system', 'kube-dns-internal')!;
    const dnsSpec = dns['spec'] as Rec;
    assert.equal(dnsSpec.type, 'LoadBalancer');
    assert.equal(dns.metadata.annotations?.[INTERNAL], 'true');
    assert.deepEqual(dnsSpec.selector, { 'k8s-app': 'kube-dns' });
    assert.deepEqual((dnsSpec.ports as Rec[]).map((p) => `${p.port}/${p.protocol}`).sort(), ['53/TCP', '53/UDP']);
    assert.equal(r.outputs['dns-ip'], ingressIpOf(dns));
    assert.match(r.outputs['dns-ip']!, /^10\.224\./);
    assert.equal(kube(world).store.get(SERVICES, 'kube-system', 'kube-dns')!.metadata.resourceVersion, kubeDns.metadata.resourceVersion, 'AKS kube-dns untouched');

    // Real DNS over UDP to the stand-in's CoreDNS, which reloaded on the rollout.
    assert.deepEqual(await lookup(world, 'backend.default.internal.example'), [backendIp]);

    world.e.log.clear();
    const again = await run(world, 'azure-pipelines', { zone: 'internal.example' });
    ok(world, again);
    assert.equal(again.outputs.changed, 'false');
    assert.equal(again.outputs['dns-ip'], r.outputs['dns-ip']);
    assert.deepEqual(kubeWrites(world), []);
    assert.equal(restarts(world), restartsBefore + 1, 'no restart when nothing changed');
  });

  test('a changed ttl replaces only our key and restarts again; restart=false does not restart', async () => {
    const n = restarts(world);
    const r = await run(world, 'azure-pipelines', { zone: 'internal.example', ttl: '30', headless: 'true' });
    ok(world, r);
    assert.equal(r.outputs.changed, 'true');
    const data = customMap(world)['data'] as Record<string, string>;
    assert.match(data[OWN_KEY]!, /k8s_external internal\.example \{\n {4}ttl 30\n {4}headless\n\}/);
    for (const [k, v] of Object.entries(OTHER_KEYS)) assert.equal(data[k], v);
    assert.equal(restarts(world), n + 1);

    const r2 = await run(world, 'github', { zone: 'internal.example', ttl: '60', restart: 'false' });
    ok(world, r2);
    assert.equal(r2.outputs.changed, 'true');
    assert.match((customMap(world)['data'] as Record<string, string>)[OWN_KEY]!, /ttl 60/);
    assert.equal(restarts(world), n + 1, 'restart=false');
    assert.doesNotMatch(r2.stdout, /rollout restart/);
  });

  test('dry-run shows the plan and writes nothing', async () => {
    world.e.log.clear();
    const n = restarts(world);
    const r = await run(world, 'github', { zone: 'other.example', 'dry-run': 'true', 'dns-service': 'dns-dry' });
    ok(world, r);
    assert.equal(r.outputs.changed, 'true');
    assert.match(r.stdout, /~ update ConfigMap kube-system\/coredns-custom: replace key private-wire-k8s-external\.override; other keys unchanged/);
    assert.match(r.stdout, /\+ create Service kube-system\/dns-dry: internal LoadBalancer for CoreDNS/);
    assert.deepEqual(kubeWrites(world), []);
    assert.equal(restarts(world), n);
    assert.match((customMap(world)['data'] as Record<string, string>)[OWN_KEY]!, /internal\.example/);
  });

  test('a concurrent edit (409 on the patch) is retried on a fresh read, keeping the other edit', async () => {
    world.e.faults.add({ surface: 'kube', kind: 'conflict', method: 'PATCH', path: '/configmaps/coredns-custom', times: 1 });
    const r = await run(world, 'github', { zone: 'internal.example', ttl: '5' });
    ok(world, r);
    assert.match((customMap(world)['data'] as Record<string, string>)[OWN_KEY]!, /ttl 5\n/);
    const patches = world.e.log.entries.filter((x) => x.method === 'PATCH' && x.path.endsWith('/configmaps/coredns-custom')).map((x) => x.status);
    assert.deepEqual(patches.slice(-2), [409, 200]);
  });
});

describe('configure-coredns-external: interrupted and concurrent runs', () => {
  test('a run stopped after changing coredns-custom and before the restart is finished by the next run', async () => {
    const n = restarts(world);
    // The restart patch keeps failing: the run ends with the ConfigMap changed and CoreDNS not restarted.
    world.e.faults.add({ surface: 'kube', kind: 'error', status: 500, method: 'PATCH', path: '/deployments/coredns', times: 10 });
    const broken = await run(world, 'github', { zone: 'resume.example' });
    world.e.faults.clear();
    assert.equal(broken.succeeded, false);
    assert.match((customMap(world)['data'] as Record<string, string>)[OWN_KEY]!, /k8s_external resume\.example/);
    assert.equal(restarts(world), n);

    const resumed = await run(world, 'azure-pipelines', { zone: 'resume.example' });
    ok(world, resumed);
    assert.equal(resumed.outputs.changed, 'true');
    assert.match(resumed.stdout, /rollout restart \(the last restart loaded an older private-wire-k8s-external\.override/);
    assert.equal(restarts(world), n + 1);
    assert.deepEqual(await lookup(world, 'backend.default.resume.example'), [await waitForIngress(world, 'default', 'backend')]);

    world.e.log.clear();
    const again = await run(world, 'github', { zone: 'resume.example' });
    ok(world, again);
    assert.deepEqual(kubeWrites(world), [], 'the restart is recorded: a third run writes nothing');
  });

  test('two runs with different zones at once: the later write does not silently drop the other zone', async () => {
    let release!: () => void;
    let arrived!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const held = new Promise<void>((r) => (arrived = r));
    world.e.faults.add({ surface: 'kube', kind: 'hook', when: 'before', method: 'PATCH', path: '/configmaps/coredns-custom', times: 1, run: () => (arrived(), gate) });
    try {
      const first = run(world, 'github', { zone: 'one.example' });
      await held;
      const second = await run(world, 'azure-pipelines', { zone: 'two.example' });
      ok(world, second);
      release();
      const r = await first;
      assert.equal(r.succeeded, false, 'the first run overwrote the second run\'s zone');
      assert.match(r.error ?? '', /Key private-wire-k8s-external\.override of ConfigMap kube-system\/coredns-custom was changed by someone else while this step ran \(it now has 'k8s_external two\.example'\), so 'one\.example' was not written over it\./);
      assert.match((customMap(world)['data'] as Record<string, string>)[OWN_KEY]!, /k8s_external two\.example/);
    } finally {
      world.e.faults.clear();
    }
  });
});

describe('configure-coredns-external: validation before any write', () => {
  const re = (text: string) => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const cases: { inputs: Record<string, string>; message: (n: (name: string) => string) => RegExp }[] = [
    { inputs: { zone: 'cluster.local' }, message: (n) => re(`Input '${n('zone')}' is 'cluster.local', which is cluster.local, answered by the kubernetes plugin. Use a zone of your own`) },
    { inputs: { zone: 'apps.svc.cluster.local' }, message: (n) => re(`Input '${n('zone')}' is 'apps.svc.cluster.local', which is inside cluster.local, answered by the kubernetes plugin.`) },
    { inputs: { zone: 'local' }, message: (n) => re(`Input '${n('zone')}' is 'local', which contains cluster.local, answered by the kubernetes plugin.`) },
    { inputs: { zone: 'bad_zone!.example' }, message: (n) => re(`Input '${n('zone')}' is 'bad_zone!.example', which is not a valid DNS zone.`) },
    { inputs: { zone: 'internal.example', ttl: '3601' }, message: (n) => re(`Input '${n('ttl')}' is 3601, which is out of range. Use a whole number from 0 to 3600.`) },
    { inputs: { zone: 'internal.example', 'dns-service': 'kube-dns' }, message: (n) => re(`Input '${n('dns-service')}' is 'kube-dns', the Service AKS manages for cluster DNS.`) },
    { inputs: { zone: 'internal.example', 'dns-service': 'DNS' }, message: (n) => re(`Input '${n('dns-service')}' is 'DNS', which is not a valid Service name (DNS-1035 label).`) },
    { inputs: { zone: 'internal.example', 'dns-ip': '10.224.0' }, message: (n) => re(`Input '${n('dns-ip')}' is '10.224.0', which is not an IPv4 address.`) },
    { inputs: { zone: 'internal.example', 'dns-subnet': 'vnet/subnets/x' }, message: (n) => re(`Input '${n('dns-subnet')}' is 'vnet/subnets/x', which is not a subnet name.`) },
    { inputs: { zone: 'internal.example', 'expose-dns': 'false', 'dns-ip': '10.224.0.53' }, message: (n) => re(`Input '${n('dns-ip')}' is given, but '${n('expose-dns')}' is false.`) },
    { inputs: { zone: '' }, message: (n) => re(`Input '${n('zone')}' is required but was not given.`) },
    { inputs: { zone: 'internal.example', 'dns-ip': '127.0.0.1' }, message: (n) => re(`Input '${n('dns-ip')}' is '127.0.0.1', which is a loopback address, which no subnet hands out.`) },
    { inputs: { zone: 'com' }, message: (n) => re(`Input '${n('zone')}' is 'com', which is a single label, so CoreDNS would answer for a whole top-level domain: the web app would stop resolving the real names in it. Use a zone of your own, e.g. internal.contoso.com, or set '${n('allow-public-zone')}' to true`) },
    { inputs: { zone: 'co.uk' }, message: (n) => re(`Input '${n('zone')}' is 'co.uk', which is a public suffix, whose names belong to others`) },
    { inputs: { zone: 'core.windows.net' }, message: (n) => re(`Input '${n('zone')}' is 'core.windows.net', which is inside the Azure domain windows.net, whose names Azure services use`) },
    { inputs: { zone: 'privatelink.vaultcore.azure.net' }, message: () => re(`which is inside the Azure domain azure.net`) },
  ];

  test('each bad input fails with one message naming it, its value and the fix, and writes nothing', async () => {
    world.e.log.clear();
    const runs = await Promise.all(cases.map((c, i) => run(world, HOSTS[i % 2]!, c.inputs)));
    runs.forEach((r, i) => {
      assert.equal(r.succeeded, false, `case ${i} succeeded`);
      assert.match(r.error ?? '', cases[i]!.message((name) => (r.host === 'github' ? name : kebabToCamel(name))), `case ${i} on ${r.host}`);
      assert.equal((r.error ?? '').split('\n').length, 1, `case ${i}: one message`);
    });
    assert.deepEqual(kubeWrites(world), []);
    assert.deepEqual(world.e.log.writes('arm'), []);
  });
});

describe('configure-coredns-external: zones other keys serve, a fresh cluster, Node 24', () => {
  let w: World;
  before(async () => {
    w = await startWorld(FAST);
  });
  after(() => w?.stop());

  const conflicts: { data: Record<string, string>; message: RegExp }[] = [
    {
      data: { 'team.override': 'k8s_external internal.example\n' },
      message: /Input 'zone' is 'internal\.example', which key 'team\.override' of kube-system\/coredns-custom already serves with k8s_external\. Remove 'team\.override'/,
    },
    {
      data: { 'team.override': 'k8s_external corp.example {\n  ttl 10\n}\n' },
      message: /Key 'team\.override' of kube-system\/coredns-custom already has a k8s_external block \(corp\.example\); CoreDNS keeps only one per server block, so input 'zone' \('internal\.example'\) cannot get its own\./,
    },
    {
      data: { 'parent.server': 'example:53 {\n  forward . 10.0.0.4\n}\n' },
      message: /Input 'zone' is 'internal\.example', but key 'parent\.server' of kube-system\/coredns-custom has a server block for its parent example, which takes those queries\./,
    },
  ];
  for (const [i, c] of conflicts.entries()) {
    test(`a zone claimed by another key is refused before any write (${i + 1})`, async () => {
      setCustom(w, c.data);
      w.e.log.clear();
      const r = await run(w, 'github', { zone: 'internal.example' });
      assert.equal(r.succeeded, false);
      assert.match(r.error ?? '', c.message);
      assert.deepEqual(kubeWrites(w), []);
    });
  }

  test('a dns-service that exists and is not ours is refused before any write', async () => {
    setCustom(w, {});
    kube(w).api.create(SERVICES, 'kube-system', { metadata: { name: 'dns-taken' }, spec: { selector: { app: 'x' }, ports: [{ port: 53 }] } }, { manager: 'kubectl-create' });
    w.e.log.clear();
    const r = await run(w, 'azure-pipelines', { zone: 'internal.example', 'dns-service': 'dns-taken' });
    assert.equal(r.succeeded, false);
    assert.match(r.error ?? '', /Input 'dnsService' is 'dns-taken', but Service kube-system\/dns-taken already exists and is not managed by private-wire\./);
    assert.deepEqual(kubeWrites(w), []);
  });

  for (const runtime of runtimes().filter((x) => x.name === 'node24')) {
    test(`happy path on ${runtime.name}, with a pinned DNS IP`, async () => {
      seedApp(kube(w).api, { name: 'api', namespace: 'kube-public', type: 'LoadBalancer', annotations: { [INTERNAL]: 'true' } });
      const apiIp = await waitForIngress(w, 'kube-public', 'api');
      const r = await run(w, 'github', { zone: 'svc.corp', 'dns-ip': '10.224.0.53' }, { node: runtime.path });
      ok(w, r);
      assert.equal(r.outputs['dns-ip'], '10.224.0.53');
      assert.equal(restarts(w), 1);
      assert.deepEqual(await lookup(w, 'api.kube-public.svc.corp'), [apiIp]);
    });
  }
});
