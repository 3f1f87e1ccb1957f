// expose-internal-service through its shipped bundles on both hosts against the stand-in's
// Kubernetes API and simulated cloud-provider-azure: bad inputs fail before any write, existing
// Services keep every field the step does not own, the IP comes from a watch, provider failures
// and timeouts say what happened, Private Link Services are looked up in ARM, re-runs write nothing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SERVICES } from '@private-wire/emulator/kube/resources';
import { seedApp } from '@private-wire/emulator/kube/seed';
import type { KubeObject } from '@private-wire/emulator/kube/types';
import { kebabToCamel } from '@private-wire/shared/names';
import { HOSTS, runShippedStep, secretsPrinted, startWorld, type HostName, type RunOptions, type StepRun, type World } from '../../test/support/harness';
import { azurePipelinesCommands, gitHubCommands } from '../../test/support/runner-commands';
import { runtimes } from '../../test/support/runners';

const STEP = 'expose-internal-service';
const A = 'service.beta.kubernetes.io/';
const INTERNAL = `${A}azure-load-balancer-internal`;
const IPV4 = `${A}azure-load-balancer-ipv4`;
const SUBNET = `${A}azure-load-balancer-internal-subnet`;
const OTHER_SUB = '11111111-2222-4333-8444-555555555555';
const THIRD_SUB = '66666666-7777-4888-9999-000000000000';
let world: World;
type Rec = Record<string, unknown>;

function run(host: HostName, inputs: Record<string, string>, options: RunOptions = {}): Promise<StepRun> {
  return runShippedStep(world, STEP, host, inputs, options);
}
const svc = (ns: string, name: string) => world.e.kube!.store.get(SERVICES, ns, name)!;
const spec = (o: KubeObject) => o['spec'] as Rec;
const kubeWrites = () => world.e.log.writes('kube').map((w) => `${w.method} ${w.path}`);
function ok(r: StepRun): void {
  assert.ok(r.succeeded, `${r.host} failed: ${r.error}\n${r.stdout.slice(-3000)}`);
  assert.deepEqual(secretsPrinted(r, [world.sp.secret, world.e.kube!.tokens.user]), []);
}

/** A Service as a team's own manifests would make it, with fields the step must not touch. */
function teamService(name: string, extra: Rec = {}, specExtra: Rec = {}): KubeObject {
  return world.e.kube!.api.create(
    SERVICES,
    'default',
    {
      metadata: { name, labels: { app: name, team: 'payments' }, annotations: { 'example.com/owner': 'team-a', ...((extra.annotations as Rec) ?? {}) } },
      spec: {
        type: 'ClusterIP',
        selector: { app: name, tier: 'api' },
        sessionAffinity: 'ClientIP',
        ports: [
          { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
          { name: 'grpc', port: 9090, targetPort: 9090, protocol: 'TCP' },
        ],
        ...specExtra,
      },
    },
    { manager: 'kubectl-client-side-apply' },
  );
}

before(async () => {
  world = await startWorld({ provisioningDelayMs: 5, kube: { loadBalancerDelayMs: 20, rolloutDelayMs: 20 } });
  const { e } = world;
  // A cluster in the ArmStore with its node subnet in a VNet, so annotated subnets resolve.
  e.seed.resourceGroup('rg-aks', 'westeurope');
  const { vnet } = e.seed.vnet('rg-aks', 'vnet-aks', {
    addressPrefixes: ['10.224.0.0/12'],
    subnets: [
      { name: 'nodes', addressPrefix: '10.224.0.0/16' },
      { name: 'ilb', addressPrefix: '10.225.0.0/24' },
    ],
  });
  const cluster = e.seed.cluster('rg-aks', 'aks');
  const p = cluster.properties as Rec;
  e.store.put({ ...cluster, properties: { ...p, agentPoolProfiles: [{ ...(p.agentPoolProfiles as Rec[])[0], vnetSubnetID: `${vnet.id}/subnets/nodes` }] } });
});

after(() => world?.stop());

describe('expose-internal-service: validation before any write', () => {
  const re = (text: string) => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  // Messages name inputs as the host spells them (camelCase on Azure Pipelines).
  const cases: { inputs: Record<string, string>; message: (n: (name: string) => string) => RegExp }[] = [
    { inputs: { service: 'Backend_1' }, message: (n) => re(`Input '${n('service')}' is 'Backend_1', which is not a valid Service name (DNS-1035 label). Use lower-case`) },
    { inputs: { service: 'backend', namespace: 'Team.A' }, message: (n) => re(`Input '${n('namespace')}' is 'Team.A', which is not a valid namespace name.`) },
    { inputs: { service: 'x', ports: '80:8080/HTTP' }, message: (n) => re(`Input '${n('ports')}' has '80:8080/HTTP': protocol 'HTTP' is not TCP, UDP or SCTP. Write each port as`) },
    { inputs: { service: 'x', ports: '70000' }, message: (n) => re(`Input '${n('ports')}' has '70000': port 70000 is outside 1–65535.`) },
    { inputs: { service: 'x', ports: '80,80/TCP' }, message: (n) => re(`Input '${n('ports')}' lists port 80/TCP twice.`) },
    { inputs: { service: 'x', selector: 'app' }, message: (n) => re(`Input '${n('selector')}' has 'app', which is not a \`key=value\` label.`) },
    { inputs: { service: 'x', subnet: '/subscriptions/x/subnets/y' }, message: (n) => re(`Input '${n('subnet')}' is '/subscriptions/x/subnets/y', which is not a subnet name. Give the subnet's name`) },
    { inputs: { service: 'x', ip: '10.0.0.300' }, message: (n) => re(`Input '${n('ip')}' is '10.0.0.300', which is not an IPv4 address.`) },
    { inputs: { service: 'x', 'pls-name': 'pls-x' }, message: (n) => re(`Input '${n('pls-name')}' is given, but '${n('private-link')}' is not true.`) },
    { inputs: { service: 'x', 'private-link': 'true', 'pls-ip-count': '9' }, message: (n) => re(`Input '${n('pls-ip-count')}' is 9, which is out of range. Use a whole number from 1 to 8.`) },
    { inputs: { service: 'x', 'private-link': 'true', 'pls-ips': '10.224.1.10,10.224.1.11' }, message: (n) => re(`Input '${n('pls-ips')}' has 2 addresses, more than '${n('pls-ip-count')}' (1, the default).`) },
    { inputs: { service: 'x', 'private-link': 'true', 'pls-ip-count': '2', 'pls-ips': 'fd00::1' }, message: (n) => re(`Input '${n('pls-ips')}' has 'fd00::1', which is not an IPv4 address (Private Link Service NAT IPs are IPv4 only).`) },
    { inputs: { service: 'x', 'private-link': 'true', 'pls-name': '-bad' }, message: (n) => re(`Input '${n('pls-name')}' is '-bad', which is not a valid Private Link Service name.`) },
    { inputs: { service: 'x', 'private-link': 'true', 'pls-resource-group': 'rg.' }, message: (n) => re(`Input '${n('pls-resource-group')}' is 'rg.', which is not a valid resource group name.`) },
    { inputs: { service: 'x', 'private-link': 'true', 'pls-subnet': 'a/b' }, message: (n) => re(`Input '${n('pls-subnet')}' is 'a/b', which is not a subnet name.`) },
    { inputs: { service: 'x', 'private-link': 'true', 'pls-visibility': 'everyone' }, message: (n) => re(`Input '${n('pls-visibility')}' has 'everyone', which is neither a subscription ID nor '*'.`) },
    { inputs: { service: 'x', 'private-link': 'true', 'pls-auto-approval': '*' }, message: (n) => re(`Input '${n('pls-auto-approval')}' has '*', which is not a subscription ID.`) },
    { inputs: { service: 'x', ip: '0.0.0.0' }, message: (n) => re(`Input '${n('ip')}' is '0.0.0.0', which is a unspecified address, which no subnet hands out.`) },
    { inputs: { service: 'x', ip: '20.50.1.1' }, message: (n) => re(`Input '${n('ip')}' is '20.50.1.1', which is a public address, but an internal load balancer takes a private one from its subnet.`) },
    { inputs: { service: 'x', 'private-link': 'true', 'pls-ips': '8.8.8.8' }, message: (n) => re(`Input '${n('pls-ips')}' has '8.8.8.8', which is a public address`) },
    { inputs: { service: 'x', selector: 'app=a,app=b', ports: '80' }, message: (n) => re(`Input '${n('selector')}' gives label 'app' twice ('app=a' and 'app=b').`) },
    { inputs: { service: 'x', timeout: '0' }, message: (n) => re(`Input '${n('timeout')}' is 0, which is out of range. Use a whole number from 1 to 3600.`) },
    { inputs: { service: 'x', wait: 'yes' }, message: (n) => re(`Input '${n('wait')}' is 'yes', which is not a boolean.`) },
    // Not an input format problem, but still found before writing: nothing to create the Service from.
    { inputs: { service: 'missing', ports: '80' }, message: (n) => re(`Service default/missing does not exist, and '${n('selector')}' is not given, so it cannot be created.`) },
  ];

  test('each bad input fails with one message naming it, its value and the fix, and writes nothing', async () => {
    world.e.log.clear();
    const runs = await Promise.all(cases.map((c, i) => run(HOSTS[i % 2]!, c.inputs)));
    runs.forEach((r, i) => {
      assert.equal(r.succeeded, false, `case ${i} succeeded`);
      assert.match(r.error ?? '', cases[i]!.message((name) => (r.host === 'github' ? name : kebabToCamel(name))), `case ${i} on ${r.host}`);
      assert.equal((r.error ?? '').split('\n').length, 1, `case ${i}: one message`);
    });
    assert.deepEqual(kubeWrites(), []);
    assert.deepEqual(world.e.log.writes('arm'), []);
  });

  // Checked on both hosts each; apart from the table above so fewer step processes run at once.
  const combinations: typeof cases = [
    // Auto-approval works only for subscriptions the PLS is visible to (a subset of the visibility).
    {
      inputs: { service: 'x', 'private-link': 'true', 'pls-visibility': OTHER_SUB, 'pls-auto-approval': `${OTHER_SUB},${THIRD_SUB}` },
      message: (n) =>
        re(`Input '${n('pls-auto-approval')}' has '${THIRD_SUB}', which is not in '${n('pls-visibility')}' ('${OTHER_SUB}'): auto-approval applies only to subscriptions the Private Link Service is visible to. Add it to '${n('pls-visibility')}' (or set it to '*'), or remove it from '${n('pls-auto-approval')}'.`),
    },
    {
      inputs: { service: 'x', 'private-link': 'true', 'pls-auto-approval': OTHER_SUB },
      message: (n) => re(`Input '${n('pls-auto-approval')}' has '${OTHER_SUB}', which is not in '${n('pls-visibility')}' (empty: visible only to those with Azure RBAC access to it)`),
    },
    { inputs: { service: 'x', 'cluster-name': 'aks' }, message: (n) => re(`Input '${n('cluster-name')}' is 'aks', but '${n('cluster-resource-group')}' is not given. Give both to name the AKS cluster`) },
    // The harness gives a kubeconfig: public-fqdn would change nothing.
    {
      inputs: { service: 'x', 'public-fqdn': 'true' },
      message: (n) => re(`Input '${n('public-fqdn')}' is true, but the cluster connection comes from the kubeconfig input, not from AKS credentials fetched with '${n('cluster-name')}'.`),
    },
  ];

  test('auto-approval outside the visibility, half a cluster name and public-fqdn beside a kubeconfig are refused on both hosts, with no write', async () => {
    world.e.log.clear();
    const runs = await Promise.all(combinations.flatMap((c) => HOSTS.map((host) => run(host, c.inputs))));
    runs.forEach((r, i) => {
      const c = combinations[Math.floor(i / HOSTS.length)]!;
      assert.equal(r.succeeded, false, `case ${i} succeeded`);
      assert.match(r.error ?? '', c.message((name) => (r.host === 'github' ? name : kebabToCamel(name))), `case ${i} on ${r.host}`);
      assert.equal((r.error ?? '').split('\n').length, 1, `case ${i}: one message`);
    });
    assert.deepEqual(kubeWrites(), []);
    assert.deepEqual(world.e.log.writes('arm'), []);
  });

  test('several bad inputs are reported together', async () => {
    const r = await run('github', { service: 'B', ip: 'x', subnet: 'a/b' });
    assert.match(r.error ?? '', /^3 inputs need fixing:/);
  });
});

describe('expose-internal-service: existing Service', () => {
  for (const host of HOSTS) {
    test(`${host}: becomes an internal LoadBalancer, keeps every other field, and a re-run writes nothing`, async () => {
      const name = `api-${host === 'github' ? 'gh' : 'azp'}`;
      const before = teamService(name);
      const r = await run(host, { service: name });
      ok(r);
      assert.equal(r.outputs.changed, 'true');
      assert.match(r.outputs.ip!, /^10\.224\.\d+\.\d+$/);
      const after = svc('default', name);
      assert.equal(spec(after).type, 'LoadBalancer');
      assert.equal(after.metadata.annotations?.[INTERNAL], 'true');
      assert.equal(after.metadata.annotations?.['example.com/owner'], 'team-a');
      assert.deepEqual(after.metadata.labels, before.metadata.labels);
      for (const field of ['selector', 'ports', 'sessionAffinity', 'clusterIP'] as const) {
        const was = spec(before)[field];
        const now = spec(after)[field];
        // LoadBalancer Services get node ports; everything else about the ports is unchanged.
        if (field === 'ports') assert.deepEqual((now as Rec[]).map(({ nodePort: _n, ...p }) => p), was);
        else assert.deepEqual(now, was, field);
      }
      assert.equal(((after['status'] as Rec).loadBalancer as { ingress: { ip: string }[] }).ingress[0]!.ip, r.outputs.ip);
      assert.match(r.summary, /\| update \| Service default\/api-/);

      world.e.log.clear();
      const again = await run(host, { service: name });
      ok(again);
      assert.equal(again.outputs.changed, 'false');
      assert.equal(again.outputs.ip, r.outputs.ip);
      assert.deepEqual(kubeWrites(), []);
    });
  }

  test('a spec.loadBalancerIP is moved to the ipv4 annotation, not duplicated', async () => {
    teamService('legacy', { annotations: { [INTERNAL]: 'true' } }, { type: 'LoadBalancer', loadBalancerIP: '10.224.0.77' });
    const r = await run('azure-pipelines', { service: 'legacy' });
    ok(r);
    assert.equal(r.outputs.ip, '10.224.0.77');
    const s = svc('default', 'legacy');
    assert.equal(s.metadata.annotations?.[IPV4], '10.224.0.77');
    assert.equal(spec(s).loadBalancerIP, undefined);
    world.e.log.clear();
    const again = await run('github', { service: 'legacy' });
    ok(again);
    assert.equal(again.outputs.changed, 'false');
    assert.equal(again.outputs.ip, '10.224.0.77', 'the pinned IP stays when ip is not given');
    assert.deepEqual(kubeWrites(), []);
  });

  test('subnet: the IP comes from that subnet; dropping the input later removes only our annotation', async () => {
    teamService('subnetted');
    const r = await run('github', { service: 'subnetted', subnet: 'ilb' });
    ok(r);
    assert.match(r.outputs.ip!, /^10\.225\.0\.\d+$/);
    assert.equal(svc('default', 'subnetted').metadata.annotations?.[SUBNET], 'ilb');
    const r2 = await run('azure-pipelines', { service: 'subnetted' });
    ok(r2);
    assert.equal(r2.outputs.changed, 'true');
    assert.match(r2.stdout, /remove azure-load-balancer-internal-subnet \(set by an earlier run, no longer wanted\)/);
    const s = svc('default', 'subnetted');
    assert.equal(s.metadata.annotations?.[SUBNET], undefined);
    assert.equal(s.metadata.annotations?.['example.com/owner'], 'team-a');
    assert.match(r2.outputs.ip!, /^10\.224\.\d+\.\d+$/);
  });

  test('dry-run shows the plan and writes nothing', async () => {
    teamService('dry');
    world.e.log.clear();
    const r = await run('azure-pipelines', { service: 'dry', 'dry-run': 'true', subnet: 'ilb' });
    ok(r);
    assert.equal(r.outputs.changed, 'true');
    assert.equal(r.outputs.ip, '');
    assert.match(r.stdout, /~ update Service default\/dry: type ClusterIP → LoadBalancer; set azure-load-balancer-internal, azure-load-balancer-internal-subnet/);
    assert.match(r.summary, /Dry run: nothing was changed/);
    assert.deepEqual(kubeWrites(), []);
    assert.equal(spec(svc('default', 'dry')).type, 'ClusterIP');
  });
});

describe('expose-internal-service: missing Service', () => {
  test('is created from selector and ports, with named ports', async () => {
    seedApp(world.e.kube!.api, { name: 'fresh-app' });
    const r = await run('github', { service: 'fresh', selector: 'app=fresh-app', ports: '80:8080/TCP,443:8443' });
    ok(r);
    assert.match(r.stdout, /\+ create Service default\/fresh: create it \(selector app=fresh-app; ports 80:8080\/TCP,443:8443\/TCP\)/);
    const s = svc('default', 'fresh');
    assert.deepEqual(spec(s).selector, { 'app': 'fresh-app' });
    assert.deepEqual((spec(s).ports as Rec[]).map((p) => [p.name, p.port, p.targetPort, p.protocol]), [
      ['tcp-80', 80, 8080, 'TCP'],
      ['tcp-443', 443, 8443, 'TCP'],
    ]);
    assert.equal(spec(s).type, 'LoadBalancer');
    assert.match(r.outputs.ip!, /^10\.224\./);
    world.e.log.clear();
    const again = await run('azure-pipelines', { service: 'fresh', selector: 'app=fresh-app', ports: '80:8080/TCP,443:8443' });
    ok(again);
    assert.equal(again.outputs.changed, 'false');
    assert.deepEqual(kubeWrites(), []);
  });
});

describe('expose-internal-service: Private Link Service', () => {
  test('the PLS annotations produce a PLS, found in ARM for pls-alias and pls-id; PROXY protocol with Local is warned', async () => {
    teamService('linked', {}, { type: 'NodePort', externalTrafficPolicy: 'Local' });
    const inputs = {
      service: 'linked',
      'private-link': 'true',
      'pls-name': 'pls-linked',
      'pls-ip-count': '2',
      'pls-ips': '10.224.1.10',
      'pls-visibility': `${OTHER_SUB} *`,
      'pls-auto-approval': OTHER_SUB,
      'pls-proxy-protocol': 'true',
    };
    const r = await run('github', inputs);
    ok(r);
    const pls = world.e.store.ofType('Microsoft.Network/privateLinkServices').find((p) => p.name === 'pls-linked');
    assert.ok(pls, 'the cloud provider created the PLS');
    const p = pls.properties as Rec;
    assert.equal(r.outputs['pls-alias'], p.alias);
    assert.match(r.outputs['pls-alias']!, /^pls-linked\.[0-9a-f-]+\.westeurope\.azure\.privatelinkservice$/);
    assert.equal(r.outputs['pls-id'], pls.id);
    assert.deepEqual(p.visibility, { subscriptions: ['*'] });
    assert.deepEqual(p.autoApproval, { subscriptions: [OTHER_SUB] });
    assert.equal(p.enableProxyProtocol, true);
    assert.deepEqual((p.ipConfigurations as { properties: { privateIPAddress: string; privateIPAllocationMethod: string } }[]).map((c) => c.properties.privateIPAllocationMethod), ['Static', 'Dynamic']);
    assert.equal(svc('default', 'linked').metadata.annotations?.[`${A}azure-pls-visibility`], '*');
    assert.equal(spec(svc('default', 'linked')).externalTrafficPolicy, 'Local');
    assert.ok(r.warnings.some((w) => /externalTrafficPolicy: Local and azure-pls-proxy-protocol is on/.test(w)), r.warnings.join('\n'));

    world.e.log.clear();
    const again = await run('azure-pipelines', inputs);
    ok(again);
    assert.equal(again.outputs.changed, 'false');
    assert.equal(again.outputs['pls-alias'], r.outputs['pls-alias']);
    assert.deepEqual(kubeWrites(), []);
    assert.deepEqual(world.e.log.writes('arm'), []);
  });

  test('without an Azure sign-in the PLS is still made; only the outputs stay empty', async () => {
    teamService('unsigned');
    // Azure Pipelines without an Azure subscription connection: nothing to sign in with.
    const r = await run('azure-pipelines', { service: 'unsigned', 'private-link': 'true' }, { azure: 'none' });
    ok(r);
    assert.equal(r.outputs['pls-alias'], '');
    assert.match(r.stdout, /No Azure sign-in is configured, so pls-alias and pls-id are not looked up/);
    assert.ok(world.e.store.ofType('Microsoft.Network/privateLinkServices').some((p) => p.tags?.['k8s-azure-owner-service'] === 'default/unsigned'));
  });
});

describe('expose-internal-service: the Private Link Service of this cluster, when every AKS cluster tags its PLS k8s-azure-cluster-name=kubernetes', () => {
  const NODE_RG = 'MC_rg-aks_aks_westeurope';
  const OTHER_NODE_RG = 'MC_rg-other_aks2_westeurope';
  const tag = (n: string) => kebabToCamel(n);
  before(() => {
    world.e.seed.resourceGroup('rg-other', 'westeurope');
    world.e.seed.cluster('rg-other', 'aks2');
  });

  /** Another AKS cluster's PLS for a Service of the same name, on its own internal load balancer frontend with `ip`. */
  function otherClustersPls(service: string, ip: string): void {
    const { e } = world;
    const lbId = `/subscriptions/${e.subscriptionId}/resourceGroups/${OTHER_NODE_RG}/providers/Microsoft.Network/loadBalancers/kubernetes-internal`;
    const frontendId = `${lbId}/frontendIPConfigurations/a${service.replace(/-/g, '')}`;
    const frontends = [...(((e.store.get(lbId)?.properties as Rec | undefined)?.frontendIPConfigurations as Rec[] | undefined) ?? []), { name: frontendId.split('/').pop(), id: frontendId, properties: { privateIPAddress: ip, privateIPAllocationMethod: 'Static' } }];
    e.store.put({ id: lbId, name: 'kubernetes-internal', type: 'Microsoft.Network/loadBalancers', location: 'westeurope', properties: { provisioningState: 'Succeeded', frontendIPConfigurations: frontends } });
    const pls = e.seed.privateLinkService(OTHER_NODE_RG, `pls-${service}`, { subnetId: `${lbId.replace(/\/providers\/.*$/, '')}/providers/Microsoft.Network/virtualNetworks/aks-vnet/subnets/aks-subnet`, frontendIpConfigurationId: frontendId });
    e.store.put({ ...pls, tags: { 'k8s-azure-cluster-name': 'kubernetes', 'k8s-azure-owner-service': `default/${service}` } });
  }
  const ours = (service: string) =>
    world.e.store.ofType('Microsoft.Network/privateLinkServices').find((p) => p.tags?.['k8s-azure-owner-service'] === `default/${service}` && p.id.includes(`/resourceGroups/${NODE_RG}/`))!;

  for (const host of HOSTS) {
    const short = host === 'github' ? 'gh' : 'azp';
    test(`${host}: without the cluster named, the PLS on the frontend with the Service's IP is reported, not another cluster's`, async () => {
      const name = `twin-${short}`;
      teamService(name);
      otherClustersPls(name, '10.224.250.250');
      const r = await run(host, { service: name, 'private-link': 'true', 'pls-name': `pls-${name}` });
      ok(r);
      assert.ok(ours(name), 'the cloud provider made our PLS');
      assert.equal(ours(name).tags?.['k8s-azure-cluster-name'], 'kubernetes');
      assert.equal(r.outputs['pls-id'], ours(name).id);
      assert.equal(r.outputs['pls-alias'], (ours(name).properties as Rec).alias);
    });

    test(`${host}: with the cluster named beside a kubeconfig, its node resource group tells the clusters apart, even on the same IP`, async () => {
      const name = `same-ip-${short}`;
      const ip = host === 'github' ? '10.224.3.30' : '10.224.3.31';
      teamService(name);
      otherClustersPls(name, ip);
      const r = await run(host, { service: name, ip, 'private-link': 'true', 'cluster-resource-group': 'rg-aks', 'cluster-name': 'aks' });
      ok(r);
      assert.match(r.stdout, new RegExp(`AKS cluster rg-aks/aks keeps its load balancers in node resource group ${NODE_RG}\\.`));
      assert.match(r.stdout, /Connected to the cluster at \S+ through the kubeconfig input\./, 'the kubeconfig still wins for the connection');
      assert.equal(r.outputs.ip, ip);
      assert.equal(r.outputs['pls-id'], ours(name).id);
    });
  }

  test('without the cluster named, two PLSs on the same IP are not guessed between: a warning names the inputs that tell them apart', async () => {
    const name = 'ambiguous';
    teamService(name);
    otherClustersPls(name, '10.224.3.40');
    const r = await run('azure-pipelines', { service: name, ip: '10.224.3.40', 'private-link': 'true' });
    ok(r);
    assert.equal(r.outputs['pls-id'], '');
    assert.ok(
      r.warnings.some((w) => /pls-alias and pls-id are empty: 2 Private Link Services tagged k8s-azure-owner-service=default\/ambiguous in subscription \S+ are on frontends with IP 10\.224\.3\.40 \(.*\); give 'clusterResourceGroup' and 'clusterName' to name the AKS cluster\./.test(w)),
      r.warnings.join('\n'),
    );
  });

  for (const host of HOSTS) {
    test(`${host}: a cluster that cannot be found fails before any write, naming the inputs`, async () => {
      teamService(`unnamed-${host === 'github' ? 'gh' : 'azp'}`);
      world.e.log.clear();
      const r = await run(host, { service: `unnamed-${host === 'github' ? 'gh' : 'azp'}`, 'private-link': 'true', 'cluster-resource-group': 'rg-aks', 'cluster-name': 'nope' });
      assert.equal(r.succeeded, false);
      assert.match(r.error ?? '', new RegExp(`Azure refused reading AKS cluster rg-aks/nope \\(ResourceNotFound\\).*Check '${host === 'github' ? 'cluster-name' : tag('cluster-name')}' and '${host === 'github' ? 'cluster-resource-group' : tag('cluster-resource-group')}'\\.`));
      assert.deepEqual(kubeWrites(), []);
    });
  }
});

describe('expose-internal-service: AKS credentials fetched with cluster-resource-group and cluster-name', () => {
  before(() => {
    world.e.seed.cluster('rg-aks', 'aks-old', { aad: true, kubernetesVersion: '1.23.12' });
    world.e.seed.cluster('rg-aks', 'aks-private', { privateCluster: true });
    world.e.seed.cluster('rg-aks', 'aks-closed', { privateCluster: true, publicFqdn: false });
  });

  for (const host of HOSTS) {
    const short = host === 'github' ? 'gh' : 'azp';
    test(`${host}: an Azure AD cluster whose default format is the legacy azure auth-provider is reached through format=exec, without kubelogin`, async () => {
      teamService(`aad-old-${short}`);
      const r = await run(host, { service: `aad-old-${short}`, 'cluster-resource-group': 'rg-aks', 'cluster-name': 'aks-old' }, { cluster: 'none' });
      ok(r);
      assert.match(r.stdout, /Connected to the cluster at https:\/\/127\.0\.0\.1:\d+ through AKS cluster rg-aks\/aks-old \(user credentials\)\./);
      assert.doesNotMatch(r.stdout, /credential plugin/);
      assert.match(r.outputs.ip!, /^10\.224\./);
    });

    test(`${host}: public-fqdn reaches a private cluster through its public FQDN`, async () => {
      teamService(`private-${short}`);
      const r = await run(host, { service: `private-${short}`, 'cluster-resource-group': 'rg-aks', 'cluster-name': 'aks-private', 'public-fqdn': 'true' }, { cluster: 'none' });
      ok(r);
      assert.match(r.stdout, /through AKS cluster rg-aks\/aks-private \(user credentials, public FQDN\)\./);
      assert.match(r.outputs.ip!, /^10\.224\./);
    });
  }

  test('without public-fqdn, a private cluster\'s kubeconfig names its private FQDN, which a runner outside its private DNS zone cannot resolve', async () => {
    teamService('private-default');
    // private-cluster: false, or the step would detect the private cluster and use the run command.
    const r = await run('github', { service: 'private-default', 'cluster-resource-group': 'rg-aks', 'cluster-name': 'aks-private', 'private-cluster': 'false', timeout: '60' }, { cluster: 'none' });
    assert.equal(r.succeeded, false);
    assert.match(r.error ?? '', /The Kubernetes API server at https:\/\/aks-private-dns-[0-9a-f]{8}\.[0-9a-f-]{36}\.privatelink\.westeurope\.azmk8s\.io:443 cannot be reached/);
  });

  test('public-fqdn on a private cluster without a public FQDN is refused before any write', async () => {
    teamService('closed');
    world.e.log.clear();
    const r = await run('azure-pipelines', { service: 'closed', 'cluster-resource-group': 'rg-aks', 'cluster-name': 'aks-closed', 'public-fqdn': 'true' }, { cluster: 'none' });
    assert.equal(r.succeeded, false);
    assert.match(
      r.error ?? '',
      /^Input 'publicFqdn' is true, but AKS cluster rg-aks\/aks-closed has no public FQDN: it is a private cluster without a public FQDN \(only aks-closed-dns-\S+\.privatelink\.westeurope\.azmk8s\.io\)\. Set 'publicFqdn' to false/,
    );
    assert.deepEqual(kubeWrites(), []);
    assert.deepEqual(world.e.log.writes('arm'), []);
  });
});

describe('expose-internal-service: private-link left empty leaves the Private Link Service as it is', () => {
  test('a re-run without private-link keeps the PLS; private-link: false removes it and the plan says so', async () => {
    teamService('kept');
    const first = await run('github', { service: 'kept', 'private-link': 'true', 'pls-name': 'pls-kept' });
    ok(first);
    const plsExists = () => world.e.store.ofType('Microsoft.Network/privateLinkServices').some((p) => p.name === 'pls-kept');
    assert.ok(plsExists());

    world.e.log.clear();
    const again = await run('azure-pipelines', { service: 'kept' });
    ok(again);
    assert.equal(again.outputs.changed, 'false');
    assert.deepEqual(kubeWrites(), [], 'a re-run with defaults wrote the Service');
    assert.equal(svc('default', 'kept').metadata.annotations?.[`${A}azure-pls-create`], 'true');
    assert.equal(again.outputs['pls-alias'], first.outputs['pls-alias']);
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(plsExists(), 'the PLS was deleted by a re-run with defaults');

    const off = await run('github', { service: 'kept', 'private-link': 'false' });
    ok(off);
    assert.match(off.stdout, /- delete +Private Link Service of Service default\/kept: private-link is false: cloud-provider-azure deletes the Private Link Service and every private endpoint connection to it once azure-pls-create is removed \(pls-kept → —\)/);
    assert.match(off.summary, /\| delete \| Private Link Service of Service default\/kept \|/);
    assert.equal(svc('default', 'kept').metadata.annotations?.[`${A}azure-pls-create`], undefined);
  });
});

describe('expose-internal-service: values from the cluster never become runner commands', () => {
  test('a hostile annotation value is shown in the plan, defused, on both hosts', async () => {
    for (const host of HOSTS) {
      teamService(`hostile-${host}`, { annotations: { [INTERNAL]: 'false\n::stop-commands::pwn\n', [SUBNET]: 'ilb\r##vso[task.setvariable variable=X]1' } });
      const r = await run(host, { service: `hostile-${host}`, subnet: 'ilb' });
      ok(r);
      const out = r.stdout + r.stderr;
      if (host === 'github') {
        const names = new Set(gitHubCommands(out).map((c) => c.name));
        assert.ok(!names.has('stop-commands'), [...names].join(','));
        for (const n of names) assert.ok(['group', 'endgroup', 'debug', 'warning', 'add-mask', 'error'].includes(n), `unexpected command ${n}`);
        assert.match(r.stdout, /:_:stop-commands::pwn/);
      } else {
        const commands = azurePipelinesCommands(out);
        assert.ok(!commands.some((c) => /variable=X\]/.test(c.line)), commands.map((c) => c.line).join('\n'));
        assert.match(r.stdout, /##_vso\[task\.setvariable variable=X\]1/);
      }
    }
  });
});

describe('expose-internal-service: the IP reported is the one the Service has', () => {
  test('after a subnet change, the IP is the new one, not the one the status showed before the provider patched it', async () => {
    const lagging = await startWorld({ kube: { loadBalancerDelayMs: 20, statusPatchDelayMs: 700 } });
    try {
      const { e } = lagging;
      e.seed.resourceGroup('rg-aks', 'westeurope');
      const { vnet } = e.seed.vnet('rg-aks', 'vnet-aks', { addressPrefixes: ['10.224.0.0/12'], subnets: [{ name: 'nodes', addressPrefix: '10.224.0.0/16' }, { name: 'ilb', addressPrefix: '10.225.0.0/24' }] });
      const cluster = e.seed.cluster('rg-aks', 'aks');
      const p = cluster.properties as Rec;
      e.store.put({ ...cluster, properties: { ...p, agentPoolProfiles: [{ ...(p.agentPoolProfiles as Rec[])[0], vnetSubnetID: `${vnet.id}/subnets/nodes` }] } });
      seedApp(e.kube!.api, { name: 'moving' });
      const first = await runShippedStep(lagging, STEP, 'github', { service: 'moving' });
      ok(first);
      assert.match(first.outputs.ip!, /^10\.224\./);
      const moved = await runShippedStep(lagging, STEP, 'azure-pipelines', { service: 'moving', subnet: 'ilb' });
      ok(moved);
      assert.match(moved.outputs.ip!, /^10\.225\.0\./, `still the old IP: ${moved.outputs.ip}`);
      const status = (e.kube!.store.get(SERVICES, 'default', 'moving')!['status'] as { loadBalancer: { ingress: { ip: string }[] } }).loadBalancer.ingress[0]!.ip;
      assert.equal(moved.outputs.ip, status);
    } finally {
      await lagging.stop();
    }
  });

  test('a Service another run changes while this one waits fails clearly instead of reporting a stale IP', async () => {
    // The load balancer takes far longer than B needs to start and write, even on a loaded
    // runner (a 3 s delay once lost that race in CI); A fails as soon as it sees B's change.
    const slow = await startWorld({ kube: { loadBalancerDelayMs: 30_000 } });
    try {
      const { e } = slow;
      seedApp(e.kube!.api, { name: 'contested' });
      const a = runShippedStep(slow, STEP, 'github', { service: 'contested', ip: '10.224.3.3', timeout: '60' });
      // Once A has written, B (another pipeline) pins another IP without waiting.
      const deadline = Date.now() + 20_000;
      while (!e.log.writes('kube').some((w) => w.method === 'PATCH' && w.path.endsWith('/services/contested')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const b = await runShippedStep(slow, STEP, 'azure-pipelines', { service: 'contested', ip: '10.224.4.4', wait: 'false' });
      ok(b);
      const ra = await a;
      assert.equal(ra.succeeded, false, `A reported ${ra.outputs.ip}`);
      assert.match(ra.error ?? '', /Service default\/contested was changed by someone else after this step wrote it \(azure-load-balancer-ipv4 is now '10\.224\.4\.4', not '10\.224\.3\.3'.*\), so the IP this run saw is not reported\./);
    } finally {
      await slow.stop();
    }
  });
});

describe('expose-internal-service: requests are bounded and retried', () => {
  const hang = (): Promise<void> => new Promise(() => undefined);
  before(() => seedApp(world.e.kube!.api, { name: 'bounded', type: 'LoadBalancer', annotations: { [INTERNAL]: 'true' } }));

  test('an API server that never answers ends the step at its timeout, with a clear message, on both hosts', async () => {
    for (const host of HOSTS) {
      let hungAt = 0;
      const hangFromNow = () => {
        hungAt = Date.now();
        return hang();
      };
      world.e.faults.add({ surface: 'kube', kind: 'hook', when: 'before', method: 'GET', path: '/api/v1/namespaces/default/services/bounded', times: 1, run: hangFromNow });
      const r = await run(host, { service: 'bounded', timeout: '4' });
      // From the unanswered request to the process's end: at most what was left of the 4 s, plus
      // exiting. Measured from the request, not the spawn, so a loaded machine's slow process start
      // does not count; without the step's timeout, client-node would wait 60 s per attempt.
      const afterHang = Date.now() - hungAt;
      world.e.faults.clear();
      assert.ok(hungAt > 0, 'the request never reached the API server');
      assert.equal(r.succeeded, false);
      assert.match(r.error ?? '', /did not answer in time while reading Service default\/bounded|did not finish within its timeout of 4 s/);
      assert.ok(afterHang < 8_000, `ended ${afterHang} ms after the unanswered request, with timeout: 4`);
    }
  });

  test('a watch whose response headers never come does not keep the process alive after its result', async () => {
    seedApp(world.e.kube!.api, { name: 'settled', type: 'LoadBalancer', annotations: { [INTERNAL]: 'true' } });
    await new Promise((r) => setTimeout(r, 200));
    world.e.faults.add({ surface: 'kube', kind: 'hook', when: 'before', method: 'GET', path: /\/namespaces\/default\/events$/, query: 'watch=true', run: hang });
    try {
      const started = Date.now();
      const r = await run('github', { service: 'settled' });
      ok(r);
      assert.ok(Date.now() - started < 15_000, `the process stayed alive for ${Date.now() - started} ms`);
    } finally {
      world.e.faults.clear();
    }
  });

  test('429 with Retry-After and a passing 503 are retried; a lasting 503 reads as the API server\'s answer', async () => {
    world.e.faults.add({ surface: 'kube', kind: 'throttle', retryAfterSeconds: 1, method: 'GET', path: '/api/v1/namespaces/default/services/bounded', times: 2 });
    world.e.faults.add({ surface: 'kube', kind: 'error', status: 503, method: 'GET', path: '/api/v1/namespaces/default/services/bounded', times: 1 });
    const r = await run('azure-pipelines', { service: 'bounded' });
    world.e.faults.clear();
    ok(r);
    world.e.faults.add({ surface: 'kube', kind: 'error', status: 503, method: 'GET', path: '/api/v1/namespaces/default/services/bounded' });
    const down = await run('github', { service: 'bounded', timeout: '60' });
    world.e.faults.clear();
    assert.equal(down.succeeded, false);
    assert.match(down.error ?? '', /The Kubernetes API server answered 503 ServiceUnavailable while reading Service default\/bounded/);
    assert.doesNotMatch(down.error ?? '', /HTTP-Code|Unknown API Status Code|Headers:/);
  });
});

describe('expose-internal-service: waiting', () => {
  test('a SyncLoadBalancerFailed event fails the step with the provider message', async () => {
    teamService('misplaced');
    const started = Date.now();
    const r = await run('azure-pipelines', { service: 'misplaced', ip: '192.168.7.7' });
    assert.equal(r.succeeded, false);
    assert.match(
      r.error ?? '',
      /cloud-provider-azure could not set up the load balancer for Service default\/misplaced: Error syncing load balancer: failed to ensure load balancer: .*PrivateIPAddressNotInSubnet.*192\.168\.7\.7 does not belong to the range of subnet prefix 10\.224\.0\.0\/16/,
    );
    assert.ok(Date.now() - started < 20_000, 'failed on the event, not on the timeout');
  });

  test('on timeout, says what the Service and its events show', async () => {
    // A second world whose cloud provider takes far longer than the step waits.
    const slow = await startWorld({ kube: { loadBalancerDelayMs: 120_000 } });
    try {
      const r = await runShippedStep(slow, STEP, 'github', { service: 'backend', timeout: '2' });
      assert.equal(r.succeeded, false);
      assert.match(r.error ?? '', /Service default\/backend does not exist/);
      seedApp(slow.e.kube!.api, { name: 'backend' });
      const r2 = await runShippedStep(slow, STEP, 'github', { service: 'backend', timeout: '2' });
      assert.equal(r2.succeeded, false);
      assert.match(r2.error ?? '', /Service default\/backend has no load balancer IP within the step's timeout of 2 s\. It is type LoadBalancer with azure-load-balancer-internal=true\. It has no events: is cloud-provider-azure running/);
    } finally {
      await slow.stop();
    }
  });
});

describe('expose-internal-service: runtimes', () => {
  for (const runtime of runtimes().filter((r) => r.name === 'node24')) {
    test(`happy path on ${runtime.name}`, async () => {
      teamService('on-node24');
      const r = await run('azure-pipelines', { service: 'on-node24' }, { node: runtime.path });
      ok(r);
      assert.match(r.outputs.ip!, /^10\.224\./);
    });
  }
});
