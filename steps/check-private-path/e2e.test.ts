// check-private-path through its shipped bundles on both hosts against the stand-in: a healthy
// world passes with no finding at or above error; each broken world fails with the right finding
// ids; and no run ever writes (the stand-in's write log stays empty). The stand-in answers ARM
// lists one item per page, so every list the step reads must follow nextLink.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CONFIGMAPS, DEPLOYMENTS, SERVICES } from '@private-wire/emulator/kube/resources';
import { RESTARTED_AT } from '@private-wire/emulator/kube/rollout';
import { seedApp } from '@private-wire/emulator/kube/seed';
import { HOSTS, runShippedStep, secretsPrinted, startWorld, type HostName, type StepRun, type World } from '../../test/support/harness';

const STEP = 'check-private-path';
const RUNNER = '20.81.4.7';
let world: World;

/** The cluster is reached as a user without a kubeconfig would: AKS credentials fetched by cluster-name. */
function run(host: HostName, inputs: Record<string, string>, env: Record<string, string> = {}): Promise<StepRun> {
  return runShippedStep(
    world,
    STEP,
    host,
    { webapp: 'app', 'resource-group': 'rg', vnet: 'vnet', subnet: 'web', 'cluster-resource-group': 'rg', 'cluster-name': 'aks', 'dns-ip': '10.224.0.50', zone: 'svc.cluster.example', service: 'backend', port: '80', ...inputs },
    { cluster: 'none', env },
  );
}

interface FindingOut { id: string; severity: string; resource: string; message: string; fix: string }
const findingsOf = (r: StepRun): FindingOut[] => JSON.parse(r.outputs.findings ?? '[]') as FindingOut[];
const ids = (r: StepRun) => findingsOf(r).map((f) => `${f.severity} ${f.id}`);

/** The VNet both worlds use: the cluster's subnet and two delegated integration subnets. */
function seedHubVnet(e: World['e']) {
  return e.seed.vnet('rg', 'vnet', {
    addressPrefixes: ['10.224.0.0/12'],
    subnets: [
      { name: 'aks', addressPrefix: '10.224.0.0/16' },
      { name: 'web', addressPrefix: '10.225.0.0/26', delegations: ['Microsoft.Web/serverFarms'] },
      { name: 'web-locked', addressPrefix: '10.225.0.64/26', delegations: ['Microsoft.Web/serverFarms'] },
    ],
  }).vnet;
}

/** The Service the web app calls, on an internal load balancer, and coredns-custom publishing the zone. */
async function seedCluster(): Promise<void> {
  const kube = world.e.kube!;
  seedApp(kube.api, { name: 'backend', type: 'LoadBalancer', annotations: { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' } });
  const cm = kube.store.get(CONFIGMAPS, 'kube-system', 'coredns-custom')!;
  kube.api.replace(CONFIGMAPS, 'kube-system', 'coredns-custom', { ...cm, data: { 'private-wire-k8s-external.override': 'k8s_external svc.cluster.example {\n  ttl 30\n}\n' } }, { manager: 'kubectl-edit' });
  for (let i = 0; i < 200 && !(kube.store.get(SERVICES, 'default', 'backend')?.['status'] as { loadBalancer?: { ingress?: unknown[] } } | undefined)?.loadBalancer?.ingress?.length; i++) await new Promise((r) => setTimeout(r, 20));
}

before(async () => {
  world = await startWorld({ pageSize: 1, provisioningDelayMs: 5, kube: { loadBalancerDelayMs: 20 }, network: { runnerAddress: RUNNER, refusal: 'reset' } });
  const { e } = world;
  e.seed.resourceGroup('rg', 'westeurope');
  // An unlinked zone first: with one zone per page, the linked one is on the second page.
  e.seed.privateDnsZone('rg', 'unlinked.example');
  const vnet = seedHubVnet(e);
  // The healthy subnet has an NSG too: its default rules allow traffic inside the VNet.
  e.seed.networkSecurityGroup('rg', 'web-nsg', { subnetIds: [`${vnet.id}/subnets/web`] });
  e.seed.networkSecurityGroup('rg', 'locked-nsg', {
    subnetIds: [`${vnet.id}/subnets/web-locked`],
    rules: [
      { name: 'allow-https', priority: 100, access: 'Allow', protocol: 'Tcp', destinationPorts: '443' },
      { name: 'deny-dns', priority: 200, access: 'Deny', protocol: '*', destinationPorts: '53' },
    ],
  });
  // A VNet with custom DNS servers whose integration subnet's route table drops the cluster's range.
  const routed = e.seed.vnet('rg', 'vnet-routed', {
    addressPrefixes: ['10.224.0.0/12'],
    dnsServers: ['10.224.0.4'],
    subnets: [
      { name: 'aks', addressPrefix: '10.224.0.0/16' },
      { name: 'web', addressPrefix: '10.225.0.0/26', delegations: ['Microsoft.Web/serverFarms'] },
    ],
  });
  e.seed.routeTable('rg', 'web-rt', { subnetIds: [`${routed.vnet.id}/subnets/web`], routes: [{ name: 'blackhole', addressPrefix: '10.224.0.0/16', nextHopType: 'None' }] });
  // A subnet whose NSG lets DNS through but not the Service's port.
  e.seed.subnet(vnet.id, 'web-no-80', '10.225.0.128/26', { delegations: ['Microsoft.Web/serverFarms'] });
  e.seed.networkSecurityGroup('rg', 'no-80-nsg', { subnetIds: [`${vnet.id}/subnets/web-no-80`], rules: [{ name: 'deny-http', priority: 300, access: 'Deny', protocol: 'Tcp', destinationPorts: '80' }] });
  // A hub VNet peered one way only (Initiated) to the spoke where cluster 'aks-spoke' has its nodes.
  const hub = e.seed.vnet('rg', 'vnet-hub', { addressPrefixes: ['10.230.0.0/16'], subnets: [{ name: 'web', addressPrefix: '10.230.0.0/26', delegations: ['Microsoft.Web/serverFarms'] }] });
  const spoke = e.seed.vnet('rg', 'vnet-spoke', { addressPrefixes: ['10.250.0.0/16'], subnets: [{ name: 'nodes', addressPrefix: '10.250.0.0/20' }] });
  e.seed.vnetPeering(hub.vnet.id, 'hub-to-spoke', spoke.vnet.id);
  const plan = e.seed.plan('rg', 'app-plan').id;
  e.seed.site('rg', 'app', plan);
  e.seed.site('rg', 'app-dns', plan, { appSettings: { WEBSITE_DNS_SERVER: '10.9.9.9' }, properties: { dnsConfiguration: { dnsServers: ['10.224.0.50'] } } });
  e.seed.cluster('rg', 'aks', { vnetSubnetID: `${vnet.id}/subnets/aks` });
  e.seed.cluster('rg', 'aks-spoke', { vnetSubnetID: `${spoke.vnet.id}/subnets/nodes` });
  e.seed.cluster('rg', 'aks-overlap', { networkProfile: { serviceCidr: '10.225.0.0/24', dnsServiceIP: '10.225.0.10' } });
  e.seed.cluster('rg', 'aks-kubenet', { networkProfile: { networkPlugin: 'kubenet', networkPluginMode: undefined } });
  e.seed.privateDnsZone('rg', 'example.internal', { linkedVnets: [vnet.id] });
  await seedCluster();
});

after(() => world?.stop());

/** Runs, then asserts nothing was written to Azure. */
async function runReadOnly(host: HostName, inputs: Record<string, string>): Promise<StepRun> {
  world.e.log.clear();
  const writesBefore = world.e.store.writes;
  const r = await run(host, inputs);
  assert.deepEqual(world.e.log.writes('arm').map((w) => `${w.method} ${w.path}`), [], `${host}: no ARM write`);
  assert.equal(world.e.store.writes, writesBefore, `${host}: the store is unchanged`);
  assert.deepEqual(secretsPrinted(r, [world.sp.secret]), []);
  return r;
}

describe('preflight', () => {
  for (const host of HOSTS) {
    test(`a healthy world passes: ok, no error, no warning (${host})`, async () => {
      const r = await runReadOnly(host, {});
      assert.equal(r.succeeded, true, r.stdout.slice(-2000));
      assert.equal(r.outputs.ok, 'true');
      assert.equal(r.outputs.errors, '0');
      assert.equal(r.outputs.warnings, '0');
      assert.deepEqual(ids(r), ['info pods-not-routable'], 'the Service backend (internal LB in the VNet, port 80) and the zone in coredns-custom pass');
      assert.match(r.summary, /\| none \| AKS cluster aks \| INFO pods-not-routable: /);
    });
  }

  const broken: { name: string; host: HostName; inputs: Record<string, string>; expected: string[]; error: RegExp }[] = [
    {
      name: 'NSG denying 53',
      host: 'github',
      inputs: { subnet: 'web-locked' },
      expected: ['error nsg-blocks-dns', 'error nsg-blocks-dns'],
      error: /2 findings at or above 'error' would break the private path; the first: nsg-blocks-dns: NSG 'locked-nsg' on subnet 'web-locked' denies DNS \(53\/UDP\) from the web app to 10\.224\.0\.50: rule 'deny-dns' \(priority 200\) matches first\./,
    },
    {
      name: 'service CIDR overlapping the integration subnet',
      host: 'azure-pipelines',
      inputs: { 'cluster-name': 'aks-overlap' },
      expected: ['error subnet-overlaps-service-cidr'],
      error: /subnet-overlaps-service-cidr: Integration subnet range 10\.225\.0\.0\/26 overlaps the service CIDR 10\.225\.0\.0\/24 of cluster 'aks-overlap'/,
    },
    {
      name: 'kubenet and a pod IP as the DNS IP',
      host: 'github',
      inputs: { 'cluster-name': 'aks-kubenet', 'dns-ip': '10.244.0.20' },
      expected: ['error target-is-pod-ip'],
      error: /target-is-pod-ip: DNS IP 10\.244\.0\.20 is inside the pod CIDR 10\.244\.0\.0\/16 of cluster 'aks-kubenet', which uses kubenet/,
    },
    {
      name: 'the cluster DNS service IP (a ClusterIP) as the DNS IP',
      host: 'azure-pipelines',
      inputs: { 'dns-ip': '10.0.0.10' },
      expected: ['error target-in-service-cidr'],
      error: /target-in-service-cidr: DNS IP 10\.0\.0\.10 is inside the service CIDR 10\.0\.0\.0\/16 of cluster 'aks' \(it is the cluster's dnsServiceIP\)/,
    },
    {
      name: 'a route table dropping the cluster\'s range, on a VNet with custom DNS servers',
      host: 'azure-pipelines',
      // Cluster 'aks' has its nodes in 'vnet' (not peered with 'vnet-routed'): a cluster in AKS's own VNet here.
      inputs: { vnet: 'vnet-routed', 'cluster-name': 'aks-kubenet' },
      expected: ['error route-diverts-cluster-traffic', 'warning vnet-custom-dns'],
      error: /route-diverts-cluster-traffic: Route table 'web-rt' on subnet 'web' sends traffic for 10\.224\.0\.50 \(route 'blackhole', 10\.224\.0\.0\/16\) to None, which drops it\./,
    },
    {
      name: 'an NSG denying the Service port to its internal load balancer IP',
      host: 'azure-pipelines',
      inputs: { subnet: 'web-no-80' },
      expected: ['error nsg-blocks-service'],
      error: /nsg-blocks-service: NSG 'no-80-nsg' on subnet 'web-no-80' denies TCP 80 from the web app to 10\.224\.\d+\.\d+ \(Service default\/backend\): rule 'deny-http' \(priority 300\) matches first\./,
    },
    {
      name: 'a peering not Connected to the VNet of the nodes and the DNS IP',
      host: 'github',
      inputs: { vnet: 'vnet-hub', 'cluster-name': 'aks-spoke', 'dns-ip': '10.250.0.10', service: '', port: '', zone: '' },
      expected: ['error peering-not-connected', 'warning target-outside-vnet'],
      error: /peering-not-connected: Peering 'hub-to-spoke' of virtual network 'vnet-hub' to 'vnet-spoke' is Initiated, not Connected: no traffic flows through it, so 10\.250\.0\.10 cannot be reached\./,
    },
  ];
  for (const c of broken) {
    test(`${c.name}: the right finding, a failed step, zero writes (${c.host})`, async () => {
      const r = await runReadOnly(c.host, c.inputs);
      assert.equal(r.succeeded, false, r.stdout.slice(-2000));
      assert.match(r.error ?? '', c.error);
      assert.deepEqual(ids(r).filter((i) => !i.startsWith('info')), c.expected);
      assert.equal(r.outputs.ok, 'false');
      assert.equal(r.outputs.errors, String(c.expected.filter((i) => i.startsWith('error')).length));
      assert.match(r.summary, /\(failed\)/);
    });
  }

  test('fail-on: warnings (a linked private zone shadowing the zone, found on the second page; the zone not in coredns-custom; the app\'s DNS property and app settings disagreeing) fail only with fail-on warning', async () => {
    const lenient = await runReadOnly('github', { zone: 'svc.example.internal', webapp: 'app-dns' });
    assert.equal(lenient.succeeded, true, lenient.stdout.slice(-2000));
    assert.deepEqual(ids(lenient).filter((i) => !i.startsWith('info')), ['warning private-zone-shadows-zone', 'warning webapp-dns-settings-disagree', 'warning coredns-zone-mismatch']);
    assert.equal(lenient.outputs.ok, 'true');
    assert.ok(lenient.warnings.some((w) => /private-zone-shadows-zone: Private DNS zone 'example\.internal' is linked to virtual network 'vnet'/.test(w)));
    assert.ok(lenient.warnings.some((w) => /webapp-dns-settings-disagree: Web app 'app-dns' has DNS servers in its dnsConfiguration property \(10\.224\.0\.50\) and different ones in its WEBSITE_DNS_SERVER \/ WEBSITE_DNS_ALT_SERVER app settings \(10\.9\.9\.9\)/.test(w)));
    assert.ok(lenient.warnings.some((w) => /coredns-zone-mismatch: ConfigMap kube-system\/coredns-custom serves k8s_external svc\.cluster\.example \(key private-wire-k8s-external\.override\), but not k8s_external 'svc\.example\.internal'/.test(w)));
    const strict = await runReadOnly('azure-pipelines', { zone: 'svc.example.internal', 'fail-on': 'warning' });
    assert.equal(strict.succeeded, false);
    assert.equal(strict.outputs.ok, 'false');
    assert.match(strict.error ?? '', /2 findings at or above 'warning'/);
  });

  test('an API server this runner may not reach: the cluster-side checks are reported as not checked, naming aks-api-access', async () => {
    const { e } = world;
    e.seed.cluster('rg', 'aks', { vnetSubnetID: `${e.store.ofType('Microsoft.Network/virtualNetworks').find((v) => v.name === 'vnet')!.id}/subnets/aks`, authorizedIPRanges: ['198.51.100.0/24'] });
    try {
      world.e.log.clear();
      const r = await run('azure-pipelines', { 'fail-on': 'warning' }, { PRIVATE_WIRE_RUNNER_IP: RUNNER });
      assert.deepEqual(world.e.log.writes('arm'), []);
      assert.equal(r.succeeded, false);
      assert.deepEqual(ids(r).filter((i) => !i.startsWith('info')), ['warning api-server-runner-not-authorized', 'warning cluster-not-checked']);
      const [api, unchecked] = findingsOf(r).filter((f) => f.severity === 'warning');
      assert.match(api!.message, /authorized IP ranges \(198\.51\.100\.0\/24\), and this runner's address 20\.81\.4\.7 is not inside them/);
      assert.match(api!.fix, /Run the aks-api-access step before the Kubernetes steps/);
      assert.match(unchecked!.message, /Service default\/backend .* and the CoreDNS k8s_external zone 'svc\.cluster\.example' were not checked: The Kubernetes API server at https:\/\/\S+ cannot be reached/);
    } finally {
      e.seed.cluster('rg', 'aks', { vnetSubnetID: `${e.store.ofType('Microsoft.Network/virtualNetworks').find((v) => v.name === 'vnet')!.id}/subnets/aks` });
    }
  });
});

describe('inputs', () => {
  test('verify without service, zone and port: a warning says no hop was tried, and nothing was asked of the SCM site', async () => {
    const r = await runReadOnly('azure-pipelines', { mode: 'verify', zone: '' });
    assert.equal(r.succeeded, true, r.stdout.slice(-2000));
    assert.deepEqual(ids(r).filter((i) => i.includes('verify')), ['warning verify-inputs-missing']);
    assert.equal(world.e.log.entries.filter((x) => x.surface === 'scm').length, 0);
  });

  test('bad inputs are reported together, named as the host spells them, before any request', async () => {
    world.e.log.clear();
    const r = await run('azure-pipelines', { 'dns-ip': '10.0.0', 'cluster-name': '-aks', 'subnet-prefix': '10.225.0.1/26', service: 'api;calc' });
    assert.equal(r.succeeded, false);
    assert.match(r.error ?? '', /^4 inputs need fixing:/);
    assert.match(r.error ?? '', /Input 'service' is 'api;calc', which is not a Kubernetes Service name/);
    assert.match(r.error ?? '', /Input 'subnetPrefix' is '10\.225\.0\.1\/26', which is not an IPv4 CIDR range without host bits\. Give an address range such as 10\.225\.0\.0\/26\./);
    assert.match(r.error ?? '', /Input 'clusterName' is '-aks', which is not a valid AKS cluster name/);
    assert.match(r.error ?? '', /Input 'dnsIp' is '10\.0\.0', which is not an IPv4 address/);
    assert.equal(world.e.log.entries.length, 0, 'nothing was sent to Azure');
  });
});

// mode verify, against a stand-in with the cluster side on: CoreDNS serves svc.example.internal,
// the cluster DNS and the `api` Service sit behind internal load balancers in the VNet, and the
// Windows web apps' SCM hosts are reached by name through the stand-in's CONNECT proxy.
describe('verify', () => {
  let wired: World;
  const ZONE = 'svc.example.internal';
  const ILB = 'service.beta.kubernetes.io/azure-load-balancer-internal';
  const IPV4 = 'service.beta.kubernetes.io/azure-load-balancer-ipv4';
  const ingressOf = (ns: string, name: string) => ((wired.e.kube!.store.get(SERVICES, ns, name)?.['status'] as { loadBalancer?: { ingress?: unknown[] } } | undefined)?.loadBalancer?.ingress ?? []).length;

  before(async () => {
    wired = await startWorld({ provisioningDelayMs: 5, kube: { loadBalancerDelayMs: 5, rolloutDelayMs: 5 } });
    const { e } = wired;
    e.seed.resourceGroup('rg', 'westeurope');
    const vnet = seedHubVnet(e);
    e.seed.networkSecurityGroup('rg', 'locked-nsg', { subnetIds: [`${vnet.id}/subnets/web-locked`], rules: [{ name: 'deny-api', priority: 100, access: 'Deny', protocol: 'Tcp', destinationPorts: '8080' }] });
    const plan = e.seed.plan('rg', 'win-plan', { linux: false }).id;
    const dnsConfiguration = { dnsServers: ['10.224.0.50'] };
    e.seed.site('rg', 'app', plan, { properties: { reserved: false, virtualNetworkSubnetId: `${vnet.id}/subnets/web`, dnsConfiguration } });
    e.seed.site('rg', 'app-locked', plan, { properties: { reserved: false, virtualNetworkSubnetId: `${vnet.id}/subnets/web-locked`, dnsConfiguration } });
    e.seed.site('rg', 'app-linux', e.seed.plan('rg', 'linux-plan').id, { properties: { virtualNetworkSubnetId: `${vnet.id}/subnets/web`, dnsConfiguration } });
    e.seed.cluster('rg', 'aks');
    const kube = e.kube!;
    seedApp(kube.api, { name: 'api', type: 'LoadBalancer', port: 8080, annotations: { [ILB]: 'true', [IPV4]: '10.224.0.60' } });
    kube.api.create(SERVICES, 'kube-system', { metadata: { name: 'kube-dns-ilb', annotations: { [ILB]: 'true', [IPV4]: '10.224.0.50' } }, spec: { type: 'LoadBalancer', selector: { 'k8s-app': 'kube-dns' }, ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] } }, { manager: 'test' });
    const cm = kube.store.get(CONFIGMAPS, 'kube-system', 'coredns-custom')!;
    kube.api.replace(CONFIGMAPS, 'kube-system', 'coredns-custom', { ...cm, data: { 'zone.override': `k8s_external ${ZONE}\n` } }, { manager: 'test' });
    const reloads = e.coredns!.reloads();
    const dep = kube.store.get(DEPLOYMENTS, 'kube-system', 'coredns')!;
    const spec = dep['spec'] as { template: { metadata?: Record<string, unknown> } };
    kube.api.replace(DEPLOYMENTS, 'kube-system', 'coredns', { ...dep, spec: { ...spec, template: { ...spec.template, metadata: { ...spec.template.metadata, annotations: { [RESTARTED_AT]: new Date().toISOString() } } } } }, { manager: 'test' });
    for (let i = 0; i < 300 && (e.coredns!.reloads() === reloads || !ingressOf('default', 'api') || !ingressOf('kube-system', 'kube-dns-ilb')); i++) await new Promise((r) => setTimeout(r, 10));
  });

  after(() => wired?.stop());

  function verify(host: HostName, inputs: Record<string, string>, env: Record<string, string> = { HTTPS_PROXY: wired.e.urls.azProxy }): Promise<StepRun> {
    return runShippedStep(
      wired,
      STEP,
      host,
      { webapp: 'app', 'resource-group': 'rg', vnet: 'vnet', subnet: 'web', 'cluster-resource-group': 'rg', 'cluster-name': 'aks', 'dns-ip': '10.224.0.50', zone: ZONE, service: 'api', port: '8080', mode: 'verify', ...inputs },
      { cluster: 'none', env },
    );
  }
  /** Runs verify; nothing is written to Azure, and the SCM site was asked only what `scmCommands` says. */
  async function verifyReadOnly(host: HostName, inputs: Record<string, string>, env?: Record<string, string>): Promise<StepRun> {
    wired.e.log.clear();
    const writesBefore = wired.e.store.writes;
    const r = await verify(host, inputs, env);
    assert.deepEqual(wired.e.log.writes('arm'), [], `${host}: no ARM write`);
    assert.equal(wired.e.store.writes, writesBefore, `${host}: the store is unchanged`);
    assert.deepEqual(secretsPrinted(r, [wired.sp.secret]), []);
    return r;
  }
  const verifyIds = (r: StepRun) => ids(r).filter((i) => i.includes(' verify-'));
  const scmCommands = () => wired.e.log.entries.filter((x) => x.surface === 'scm').map((x) => `${x.method} ${x.path} ${x.status}`);

  test('a wired world: DNS through the site\'s DNS server and a TCP connect to the ILB are proven from the app (github)', async () => {
    const r = await verifyReadOnly('github', {});
    assert.equal(r.succeeded, true, r.stdout.slice(-3000));
    assert.deepEqual(verifyIds(r), ['info verify-dns-resolved', 'info verify-tcp-connected']);
    const [dns, tcp] = findingsOf(r).filter((f) => f.id.startsWith('verify-'));
    assert.match(dns!.message, /nameresolver resolved api\.default\.svc\.example\.internal through DNS server 10\.224\.0\.50 \(the site's dnsConfiguration\.dnsServers\) to 10\.224\.0\.60\./);
    assert.match(tcp!.message, /tcpping connected to 10\.224\.0\.60:8080: Connected to 10\.224\.0\.60:8080, time taken: \d+ms/);
    assert.equal(dns!.resource, 'web app app (SCM app.scm.azurewebsites.net)');
    assert.match(r.summary, /INFO verify-tcp-connected: /);
    assert.deepEqual(scmCommands(), ['POST /api/command 200', 'POST /api/command 200']);
  });

  test('the NSG denies the port: the failed hop is an error and the step fails (azure-pipelines); a Linux app proves nothing (github)', async () => {
    const locked = await verifyReadOnly('azure-pipelines', { webapp: 'app-locked', subnet: 'web-locked' });
    assert.equal(locked.succeeded, false, locked.stdout.slice(-3000));
    assert.deepEqual(verifyIds(locked), ['error verify-tcp-failed', 'info verify-dns-resolved']);
    // The preflight's NSG evaluation predicts it, and the proof from the app agrees.
    assert.ok(ids(locked).includes('error nsg-blocks-service'), ids(locked).join(', '));
    assert.match(locked.error ?? '', /^2 findings at or above 'error' would break the private path/);
    assert.match(findingsOf(locked).find((f) => f.id === 'verify-tcp-failed')!.message, /From inside the app's sandbox, tcpping could not connect to 10\.224\.0\.60:8080 \(timed-out\)/);
    const linux = await verifyReadOnly('github', { webapp: 'app-linux' });
    assert.equal(linux.succeeded, true, linux.stdout.slice(-3000));
    assert.deepEqual(verifyIds(linux), ['warning verify-linux-not-provable']);
    assert.deepEqual(scmCommands(), [], 'nothing was asked of a Linux app\'s SCM site');
  });

  test('the SCM site unreachable, or refusing the sign-in: a warning says the hop could not be proven (github, azure-pipelines)', async () => {
    const unreachable = await verifyReadOnly('github', {}, { HTTPS_PROXY: 'http://127.0.0.1:9' });
    assert.equal(unreachable.succeeded, true);
    assert.deepEqual(verifyIds(unreachable), ['warning verify-scm-unreachable', 'warning verify-tcp-not-tried']);
    wired.e.faults.add({ surface: 'scm', kind: 'respond', status: 401, body: 'Unauthorized', times: 1 });
    const refused = await verifyReadOnly('azure-pipelines', {});
    assert.deepEqual(verifyIds(refused), ['warning verify-scm-refused', 'warning verify-tcp-not-tried']);
    assert.match(findingsOf(refused).find((f) => f.id === 'verify-scm-refused')!.message, /refused the nameresolver command with HTTP 401: it did not accept the step's Microsoft Entra token/);
  });
});
