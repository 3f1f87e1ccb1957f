// vnet-integrate-webapp through its shipped bundles on both hosts against the stand-in: every
// validation rule fails before any ARM write, the happy paths write only what they must, and a
// second run writes nothing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ArmResource } from '@private-wire/emulator';
import { HOSTS, runShippedStep, secretsPrinted, startWorld, type HostName, type StepRun, type World } from '../../test/support/harness';
import { runtimes } from '../../test/support/runners';

const STEP = 'vnet-integrate-webapp';
let world: World;
let sub: string;
const rgId = (rg: string) => `/subscriptions/${sub}/resourceGroups/${rg}`;
const siteId = (name: string) => `${rgId('rg')}/providers/Microsoft.Web/sites/${name}`;
const subnetId = (vnet: string, subnet: string, rg = 'rg') => `${rgId(rg)}/providers/Microsoft.Network/virtualNetworks/${vnet}/subnets/${subnet}`;
type Props = Record<string, unknown>;
const props = (r: ArmResource | undefined): Props => (r?.properties ?? {}) as Props;

function run(host: HostName, inputs: Record<string, string>, node?: string): Promise<StepRun> {
  return runShippedStep(world, STEP, host, { 'resource-group': 'rg', vnet: 'vnet', ...inputs }, { cluster: 'none', node });
}

/** The stored resource without what a write always changes (etag), minus the given property paths. */
function without(resource: ArmResource, paths: string[]): unknown {
  const copy = structuredClone(resource) as Props;
  delete copy.etag;
  for (const path of paths) {
    const keys = path.split('.');
    let at = copy;
    for (const k of keys.slice(0, -1)) at = (at[k] ?? {}) as Props;
    delete at[keys.at(-1)!];
  }
  return copy;
}
const ROUTING = ['properties.vnetRouteAllEnabled', 'properties.outboundVnetRouting.applicationTraffic', 'properties.siteConfig.vnetRouteAllEnabled'];

before(async () => {
  world = await startWorld({ kube: { enabled: false } });
  const { e } = world;
  sub = e.subscriptionId;
  e.seed.resourceGroup('rg', 'westeurope');
  e.seed.resourceGroup('rg-us', 'eastus');
  const { vnet } = e.seed.vnet('rg', 'vnet', {
    addressPrefixes: ['10.0.0.0/16'],
    subnets: [
      { name: 'aks', addressPrefix: '10.0.0.0/22' },
      { name: 'web', addressPrefix: '10.0.8.0/26', delegations: ['Microsoft.Web/serverFarms'] },
      { name: 'empty', addressPrefix: '10.0.9.0/26' },
      { name: 'aci', addressPrefix: '10.0.10.0/26', delegations: ['Microsoft.ContainerInstance/containerGroups'] },
      { name: 'tiny', addressPrefix: '10.0.11.0/29', delegations: ['Microsoft.Web/serverFarms'] },
      { name: 'small', addressPrefix: '10.0.12.0/28', delegations: ['Microsoft.Web/serverFarms'] },
      { name: 'busy', addressPrefix: '10.0.13.0/26' },
      { name: 'taken', addressPrefix: '10.0.14.0/26', delegations: ['Microsoft.Web/serverFarms'] },
      { name: 'taken-small', addressPrefix: '10.0.17.0/27', delegations: ['Microsoft.Web/serverFarms'] },
      { name: 'twin-subnet-2', addressPrefix: '10.0.18.0/26', delegations: ['Microsoft.Web/serverFarms'] },
      { name: 'bound', addressPrefix: '10.0.15.0/26', delegations: ['Microsoft.Web/serverFarms'] },
      { name: 'twin-subnet', addressPrefix: '10.0.16.0/26', delegations: ['Microsoft.Web/serverFarms'] },
    ],
  });
  // A subnet in use by a NIC (not delegated, so the delegation cannot be added).
  const busy = e.store.get(`${vnet.id}/subnets/busy`)!;
  e.store.put({ ...busy, properties: { ...props(busy), ipConfigurations: [{ id: `${rgId('rg')}/providers/Microsoft.Network/networkInterfaces/vm-nic/ipConfigurations/ipconfig1` }] } });
  e.seed.vnet('rg-us', 'us-vnet', { subnets: [{ name: 'web', addressPrefix: '10.0.0.0/26', delegations: ['Microsoft.Web/serverFarms'] }] });

  const site = (name: string, opts: Parameters<typeof e.seed.site>[3] = {}) => e.seed.site('rg', name, e.seed.plan('rg', `${name}-plan`).id, opts);
  // The main app has properties nobody but its owner should ever change.
  site('app', {
    properties: { httpsOnly: true, clientAffinityEnabled: false, keyVaultReferenceIdentity: 'SystemAssigned', customDomainVerificationId: 'ABC123' },
    siteConfig: { appCommandLine: 'node server.js', ftpsState: 'Disabled', healthCheckPath: '/healthz' },
  });
  site('slotted', { slots: ['staging'] });
  site('raced-app');
  // Integrated by one step while another sets its DNS.
  e.seed.subnet(vnet.id, 'both-web', '10.0.41.0/26', { delegations: ['Microsoft.Web/serverFarms'] });
  e.seed.site('rg', 'both', e.seed.plan('rg', 'both-plan').id, { properties: { httpsOnly: true } });
  site('legacy');
  e.seed.gatewayVnetConnection(siteId('legacy'), `${rgId('rg')}/providers/Microsoft.Network/virtualNetworks/old-vnet`, 'old-vnet');
  site('routed');
  e.seed.site('rg', 'free-app', e.seed.plan('rg', 'free-plan', { sku: 'F1' }).id);
  // Other plans' apps already hold 'taken' (a /26) and 'taken-small' (a /27); 'bound-app' is integrated with 'bound'.
  const other = site('other-app');
  const otherSmall = site('other-small-app');
  const bound = site('bound-app');
  site('joiner');
  for (const [app, subnet] of [[other, 'taken'], [otherSmall, 'taken-small'], [bound, 'bound']] as const) {
    e.store.put({ ...app, properties: { ...props(app), virtualNetworkSubnetId: `${vnet.id}/subnets/${subnet}` } });
    const s = e.store.get(`${vnet.id}/subnets/${subnet}`)!;
    e.store.put({
      ...s,
      properties: {
        ...props(s),
        serviceAssociationLinks: [{ name: 'AppServiceLink', id: `${s.id}/serviceAssociationLinks/AppServiceLink`, properties: { linkedResourceType: 'Microsoft.Web/serverfarms', link: String(props(app).serverFarmId) } }],
      },
    });
  }
  // Three apps on one plan: two are integrated with two subnets, the third asks for a third one (ARM refuses).
  const shared = e.seed.plan('rg', 'shared-plan');
  for (const [name, subnet] of [['first', 'twin-subnet'], ['first-b', 'twin-subnet-2']] as const) {
    const app = e.seed.site('rg', name, shared.id);
    e.store.put({ ...app, properties: { ...props(app), virtualNetworkSubnetId: `${vnet.id}/subnets/${subnet}` } });
  }
  e.seed.site('rg', 'second', shared.id);
  // Routing set by others: allTraffic on one app, the WEBSITE_VNET_ROUTE_ALL app setting on another.
  site('all-traffic', { properties: { outboundVnetRouting: { allTraffic: true, applicationTraffic: false, contentShareTraffic: false, imagePullTraffic: false, backupRestoreTraffic: false } } });
  site('setting-routed', { appSettings: { WEBSITE_VNET_ROUTE_ALL: '1', DB_PASSWORD: 'p@ss-w0rd-secret' } });
});

after(() => world?.stop());

describe('validation: one clear message naming the input, its value and the fix, and no ARM write', () => {
  // A function: resource IDs need the stand-in's subscription, known once the world has started.
  const cases = (): { name: string; inputs: Record<string, string>; error: RegExp }[] => [
    { name: 'subnet-prefix not a CIDR', inputs: { webapp: 'app', subnet: 'new', 'subnet-prefix': '10.0.4.0' }, error: /Input 'subnet-?[pP]refix' is '10\.0\.4\.0', which is not an IPv4 CIDR range\. Give an address range such as 10\.0\.4\.0\/26\./ },
    { name: 'subnet-prefix with host bits', inputs: { webapp: 'app', subnet: 'new', 'subnet-prefix': '10.0.4.1/26' }, error: /'10\.0\.4\.1\/26', which has host bits set\. Use the range's first address: 10\.0\.4\.0\/26\./ },
    { name: 'subnet-prefix below /28', inputs: { webapp: 'app', subnet: 'new', 'subnet-prefix': '10.0.4.0/29' }, error: /'10\.0\.4\.0\/29', which is smaller than \/28.*Use a \/26 \(recommended\) or at least a \/28\./ },
    { name: 'subnet-prefix IPv6', inputs: { webapp: 'app', subnet: 'new', 'subnet-prefix': 'fd00::/64' }, error: /'fd00::\/64', an IPv6 range\. App Service VNet integration needs an IPv4 subnet/ },
    { name: 'subnet name invalid', inputs: { webapp: 'app', subnet: '-web' }, error: /Input 'subnet' is '-web', which is not a valid subnet name\. Use 1-80 letters/ },
    { name: 'reserved subnet name', inputs: { webapp: 'app', subnet: 'GatewaySubnet' }, error: /Input 'subnet' is 'GatewaySubnet', a name Azure reserves for its own service\. Use a dedicated subnet/ },
    { name: 'webapp is the ID of something else', inputs: { webapp: `${rgId('rg')}/providers/Microsoft.Web/serverfarms/app-plan`, subnet: 'web' }, error: /Input 'webapp' is the ID of a Microsoft\.Web\/serverfarms, not of a Microsoft\.Web\/sites\. Give the ID of a Microsoft\.Web\/sites\./ },
    { name: 'web app does not exist', inputs: { webapp: 'nope', subnet: 'web' }, error: /Input 'webapp' is 'nope', but no web app of that name exists in resource group 'rg'\. Check 'webapp', 'resource-?[gG]roup'/ },
    { name: 'slot does not exist', inputs: { webapp: 'slotted', slot: 'qa', subnet: 'web' }, error: /Input 'slot' is 'qa', but web app 'slotted' in resource group 'rg' has no such slot/ },
    { name: 'Free plan', inputs: { webapp: 'free-app', subnet: 'web' }, error: /Input 'webapp' is 'free-app', whose App Service plan 'free-plan' is in the Free tier, which has no VNet integration\. Scale the plan to Basic or higher/ },
    { name: 'VNet missing', inputs: { webapp: 'app', vnet: 'nope', subnet: 'web' }, error: /Input 'vnet' is 'nope', but no virtual network of that name exists in resource group 'rg'\. Check 'vnet' and 'vnet-?[rR]esource-?[gG]roup'/ },
    { name: 'VNet in another region', inputs: { webapp: 'app', vnet: 'us-vnet', 'vnet-resource-group': 'rg-us', subnet: 'web' }, error: /Input 'vnet' is 'us-vnet', which is in eastus, but web app 'app' is in westeurope\. Regional VNet integration needs a virtual network in the same region/ },
    { name: 'subnet missing without a prefix', inputs: { webapp: 'app', subnet: 'new' }, error: /Input 'subnet' is 'new', but virtual network 'vnet' has no subnet of that name\. Give 'subnet-?[pP]refix'/ },
    { name: 'subnet-prefix outside the VNet', inputs: { webapp: 'app', subnet: 'new', 'subnet-prefix': '10.1.0.0/26' }, error: /Input 'subnet-?[pP]refix' is '10\.1\.0\.0\/26', which is outside the address space of virtual network 'vnet' \(10\.0\.0\.0\/16\)\. Choose a free range inside 10\.0\.0\.0\/16/ },
    { name: 'subnet-prefix overlapping another subnet', inputs: { webapp: 'app', subnet: 'new', 'subnet-prefix': '10.0.1.0/26' }, error: /'10\.0\.1\.0\/26', which overlaps subnet 'aks' \(10\.0\.0\.0\/22\) in virtual network 'vnet'\. Choose a range no other subnet uses\./ },
    { name: 'subnet-prefix differs from the existing subnet', inputs: { webapp: 'app', subnet: 'web', 'subnet-prefix': '10.0.20.0/26' }, error: /Input 'subnet-?[pP]refix' is '10\.0\.20\.0\/26', but subnet 'web' already exists in 'vnet' with 10\.0\.8\.0\/26\. Leave 'subnet-?[pP]refix' empty/ },
    { name: 'existing subnet too small', inputs: { webapp: 'app', subnet: 'tiny' }, error: /Input 'subnet' is 'tiny' \(10\.0\.11\.0\/29\), which is smaller than \/28.*Use a subnet of \/26/ },
    { name: 'subnet delegated to another service', inputs: { webapp: 'app', subnet: 'aci' }, error: /Input 'subnet' is 'aci', which is delegated to Microsoft\.ContainerInstance\/containerGroups\. A subnet can be delegated to one service only/ },
    { name: 'undelegated subnet in use', inputs: { webapp: 'app', subnet: 'busy' }, error: /Input 'subnet' is 'busy', which is not delegated to Microsoft\.Web\/serverFarms and is in use \(.*vm-nic.*\), so the delegation cannot be added\. Use an empty subnet/ },
    { name: 'subnet of another plan, too small to share', inputs: { webapp: 'app', subnet: 'taken-small' }, error: /Input 'subnet' is 'taken-small' \(10\.0\.17\.0\/27\), which App Service plan .*other-small-app-plan already uses; plans can share a subnet only when it is \/26 or larger\. Choose another subnet, or create one/ },
    { name: 'webapp with a query', inputs: { webapp: 'app?api-version=1', subnet: 'web' }, error: /Input 'webapp' is 'app\?api-version=1', which is not a valid name: it contains '\?', which no Azure resource name has\./ },
    { name: 'vnet with white space', inputs: { webapp: 'app', vnet: 'v net', subnet: 'web' }, error: /Input 'vnet' is 'v net', which is not a valid name: it contains white space/ },
    { name: 'vnet ID with an escape', inputs: { webapp: 'app', vnet: `${rgId('rg')}/providers/Microsoft.Network/virtualNetworks/vnet%2Fsubnets%2Fweb`, subnet: 'web' }, error: /segment 'vnet%2Fsubnets%2Fweb': it contains '%'/ },
    { name: 'app integrated with a different subnet', inputs: { webapp: 'bound-app', subnet: 'web' }, error: /Input 'webapp' is 'bound-app', which is already integrated with subnet vnet\/bound .*, not vnet\/web\. An app has one regional VNet integration: set 'vnet' and 'subnet' to that subnet, or remove the integration first \(az webapp vnet-integration remove -g rg -n bound-app\)/ },
    { name: 'route-all false with allTraffic on', inputs: { webapp: 'all-traffic', subnet: 'web', 'route-all': 'false' }, error: /Input 'route-?[aA]ll' is 'false', but web app 'all-traffic' has outboundVnetRouting\.allTraffic on, which routes all outbound traffic \(configuration traffic too\) through the VNet .*az resource update --ids \/subscriptions\/.*\/sites\/all-traffic --set properties\.outboundVnetRouting\.allTraffic=false/ },
  ];

  test('every rule, alternating hosts', async () => {
    world.e.log.clear();
    const writesBefore = world.e.store.writes;
    const all = cases();
    const runs = await Promise.all(all.map((c, i) => run(HOSTS[i % 2]!, c.inputs)));
    runs.forEach((r, i) => {
      const c = all[i]!;
      assert.equal(r.succeeded, false, `${c.name}: should fail\n${r.stdout.slice(-1500)}`);
      assert.match(r.error ?? '', c.error, `${c.name} (${r.host})`);
      assert.equal(r.error!.split('\n').length, 1, `${c.name}: one message`);
      assert.deepEqual(secretsPrinted(r, [world.sp.secret]), []);
    });
    assert.deepEqual(world.e.log.writes('arm').map((w) => `${w.method} ${w.path}`), []);
    assert.equal(world.e.store.writes, writesBefore);
  });

  test('several bad inputs are reported together before sign-in', async () => {
    world.e.log.clear();
    const r = await run('azure-pipelines', { webapp: 'app', subnet: 'GatewaySubnet', 'subnet-prefix': '10.0.4.7/26' });
    assert.equal(r.succeeded, false);
    assert.match(r.error!, /^2 inputs need fixing:\n- Input 'subnet' is 'GatewaySubnet'.*\n- Input 'subnetPrefix' is '10\.0\.4\.7\/26', which has host bits set/);
    assert.equal(world.e.log.entries.length, 0, 'nothing was sent to Azure');
  });

  test('ARM refusing the write is translated into the inputs to change', async () => {
    // The plan's other apps already use 'twin-subnet' and 'twin-subnet-2'; App Service allows two subnets per plan.
    const r = await run('github', { webapp: 'second', subnet: 'web' });
    assert.equal(r.succeeded, false);
    assert.match(r.error!, /Azure refused updating the VNet integration of web app second \(Conflict\): Adding this VNET would exceed the App Service Plan VNET limit of 2 An App Service plan can be integrated with at most 2 subnets .* set 'vnet' and 'subnet' to one of them\./);
    assert.equal(props(world.e.store.get(siteId('second'))).virtualNetworkSubnetId, null);
  });
});

describe('concurrent writers', () => {
  /** A hook that holds the first matching write until `release` is called; `arrived` resolves when it is held. */
  function holdFirstWrite(path: RegExp, method: string[] = ['PUT', 'PATCH']) {
    let release!: () => void;
    let arrived!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const held = new Promise<void>((r) => (arrived = r));
    world.e.faults.add({ surface: 'arm', kind: 'hook', when: 'before', method, path, times: 1, run: () => (arrived(), gate) });
    return { held, release };
  }

  test('vnet-integrate-webapp and set-webapp-dns at once on one app: both changes stay', async () => {
    const { e } = world;
    const id = siteId('both');
    const hold = holdFirstWrite(new RegExp(`${id.replace(/[/.]/g, '\\$&')}$`));
    try {
      // set-webapp-dns reads the site, then its write is held while the integration happens.
      const dns = runShippedStep(world, 'set-webapp-dns', 'azure-pipelines', { webapp: 'both', 'resource-group': 'rg', 'dns-server': '10.0.0.10' }, { cluster: 'none' });
      await hold.held;
      const integrate = await run('github', { webapp: 'both', subnet: 'both-web' });
      assert.equal(integrate.succeeded, true, integrate.error ?? integrate.stdout);
      hold.release();
      const dnsRun = await dns;
      assert.equal(dnsRun.succeeded, true, dnsRun.error ?? dnsRun.stdout);
      const site = props(e.store.get(id));
      assert.equal(site.virtualNetworkSubnetId, subnetId('vnet', 'both-web'), 'the DNS write reverted the integration');
      assert.deepEqual((site.dnsConfiguration as Props).dnsServers, ['10.0.0.10']);
    } finally {
      e.faults.clear();
    }
  });

  test('a subnet someone creates while the step creates it is not overwritten', async () => {
    const { e } = world;
    const vnetId = `${rgId('rg')}/providers/Microsoft.Network/virtualNetworks/vnet`;
    const nsg = `${rgId('rg')}/providers/Microsoft.Network/networkSecurityGroups/web-nsg`;
    e.faults.add({
      surface: 'arm',
      kind: 'hook',
      when: 'before',
      method: 'PUT',
      path: `${vnetId}/subnets/raced`,
      times: 1,
      run: () => {
        const made = e.seed.subnet(vnetId, 'raced', '10.0.40.0/26', { delegations: ['Microsoft.Web/serverFarms'] });
        e.store.put({ ...made, properties: { ...props(made), networkSecurityGroup: { id: nsg } } });
      },
    });
    try {
      const r = await run('github', { webapp: 'raced-app', subnet: 'raced', 'subnet-prefix': '10.0.40.0/26' });
      assert.equal(r.succeeded, true, r.error ?? r.stdout);
      assert.ok(r.warnings.some((w) => /Subnet vnet\/raced was created by someone else while this step ran; it is checked and used instead of being overwritten\./.test(w)), r.warnings.join('\n'));
      assert.deepEqual(props(e.store.get(subnetId('vnet', 'raced'))).networkSecurityGroup, { id: nsg }, 'the NSG of the other creator was dropped');
      assert.equal(props(e.store.get(siteId('raced-app'))).virtualNetworkSubnetId, subnetId('vnet', 'raced'));
    } finally {
      e.faults.clear();
    }
  });
});

describe('apply', () => {
  test('creates the subnet from subnet-prefix, integrates the app and routes all traffic; nothing else on the site changes; a second run writes nothing', async () => {
    const { e } = world;
    const siteBefore = e.store.get(siteId('app'))!;
    const settingsBefore = e.store.get(`${siteId('app')}/config/appsettings`);
    const r = await run('github', { webapp: 'app', subnet: 'integration', 'subnet-prefix': '10.0.32.0/26', 'route-all': 'true' });
    assert.equal(r.succeeded, true, r.error ?? r.stdout);
    assert.equal(r.outputs.changed, 'true');
    assert.equal(r.outputs['subnet-id'], subnetId('vnet', 'integration'));
    assert.match(r.summary, /\| create \| subnet vnet\/integration \| create the subnet, delegated to Microsoft\.Web\/serverFarms \| {2}\| 10\.0\.32\.0\/26, delegated to Microsoft\.Web\/serverFarms \|/);
    assert.match(r.summary, /\| update \| web app app \| set the regional VNet integration subnet \| \(none\) \| vnet\/integration \|/);
    assert.match(r.summary, /\| update \| web app app \| route all outbound traffic .* \| false \| true \|/);
    assert.deepEqual(secretsPrinted(r, [world.sp.secret]), []);

    const subnet = e.store.get(subnetId('vnet', 'integration'))!;
    assert.equal(props(subnet).addressPrefix, '10.0.32.0/26');
    assert.deepEqual((props(subnet).delegations as { properties: { serviceName: string } }[]).map((d) => d.properties.serviceName), ['Microsoft.Web/serverFarms']);
    const siteAfter = e.store.get(siteId('app'))!;
    assert.equal(props(siteAfter).virtualNetworkSubnetId, subnetId('vnet', 'integration'));
    assert.equal((props(siteAfter).outboundVnetRouting as Props).applicationTraffic, true);
    assert.equal((props(siteAfter).siteConfig as Props).vnetRouteAllEnabled, true);
    assert.deepEqual(without(siteAfter, ['properties.virtualNetworkSubnetId', ...ROUTING]), without(siteBefore, ['properties.virtualNetworkSubnetId', ...ROUTING]));
    assert.deepEqual(e.store.get(`${siteId('app')}/config/appsettings`), settingsBefore);

    e.log.clear();
    const again = await run('azure-pipelines', { webapp: 'app', subnet: 'integration', 'subnet-prefix': '10.0.32.0/26', 'route-all': 'true' });
    assert.equal(again.succeeded, true, again.error);
    assert.equal(again.outputs.changed, 'false');
    assert.equal(again.outputs['subnet-id'], subnetId('vnet', 'integration'));
    assert.deepEqual(e.log.writes('arm'), []);
    assert.match(again.summary, /\| none \| web app app \| integrated with the subnet \| vnet\/integration \|/);
  });

  test('route-all false turns routing off, and empty leaves it as it is', async () => {
    const { e } = world;
    const route = (value: string) => run('azure-pipelines', { webapp: 'routed', subnet: 'web', ...(value ? { 'route-all': value } : {}) });
    assert.equal((await route('true')).outputs.changed, 'true');
    assert.equal((props(e.store.get(siteId('routed'))).outboundVnetRouting as Props).applicationTraffic, true);

    const before = e.store.get(siteId('routed'))!;
    const off = await route('false');
    assert.equal(off.outputs.changed, 'true');
    assert.match(off.summary, /\| update \| web app routed \| route all outbound traffic .* \| true \| false \|/);
    const afterOff = e.store.get(siteId('routed'))!;
    assert.equal((props(afterOff).outboundVnetRouting as Props).applicationTraffic, false);
    assert.equal(props(afterOff).vnetRouteAllEnabled, false);
    assert.deepEqual(without(afterOff, ROUTING), without(before, ROUTING));

    e.log.clear();
    const leave = await route('');
    assert.equal(leave.outputs.changed, 'false');
    assert.doesNotMatch(leave.summary, /route all/);
    assert.deepEqual(e.log.writes('arm'), []);
    assert.equal((props(e.store.get(siteId('routed'))).outboundVnetRouting as Props).applicationTraffic, false);
  });

  test('route-all false with WEBSITE_VNET_ROUTE_ALL=1: the setting and how to remove it are named, and every Microsoft.Web call uses one api-version', async () => {
    const { e } = world;
    let otherVersions = 0;
    e.faults.add({ surface: 'arm', kind: 'hook', when: 'before', path: /\/providers\/Microsoft\.Web\//i, query: /api-version=(?!2025-05-01(&|$))/, run: () => void otherVersions++ });
    try {
      for (const host of HOSTS) {
        const r = await run(host, { webapp: 'setting-routed', subnet: 'web', 'route-all': 'false' });
        assert.equal(r.succeeded, true, r.error ?? r.stdout);
        const routeAll = host === 'github' ? 'route-all' : 'routeAll';
        assert.ok(
          r.warnings.some((w) =>
            w.includes(`Web app 'setting-routed' has the app setting WEBSITE_VNET_ROUTE_ALL=1, which App Service documents as turning on routing of all outbound traffic through the VNet on its own, so '${routeAll}: false' may not take effect. `) &&
            w.endsWith('az webapp config appsettings delete -g rg -n setting-routed --setting-names WEBSITE_VNET_ROUTE_ALL'),
          ),
          r.warnings.join('\n'),
        );
        assert.deepEqual(secretsPrinted(r, [world.sp.secret, 'p@ss-w0rd-secret']), []);
      }
      assert.equal(props(e.store.get(siteId('setting-routed'))).virtualNetworkSubnetId, subnetId('vnet', 'web'));
      assert.equal(props(e.store.get(`${siteId('setting-routed')}/config/appsettings`)).WEBSITE_VNET_ROUTE_ALL, '1', 'the step does not remove a setting it does not own');
      assert.equal(otherVersions, 0, 'a Microsoft.Web request used another api-version than 2025-05-01');
    } finally {
      e.faults.clear();
    }
  });

  test('route-all true on an app whose allTraffic already routes everything: nothing to write for routing', async () => {
    const { e } = world;
    e.log.clear();
    const r = await run('github', { webapp: 'all-traffic', subnet: 'web', 'route-all': 'true' });
    assert.equal(r.succeeded, true, r.error ?? r.stdout);
    assert.match(r.summary, /\| none \| web app all-traffic \| route all outbound traffic through the VNet \| true \|/);
    assert.deepEqual(e.log.writes('arm').filter((w) => /\/config\/web$/i.test(w.path)), []);
    assert.equal((props(e.store.get(siteId('all-traffic'))).outboundVnetRouting as Props).applicationTraffic, false);
  });

  test('a subnet another plan of the subscription uses (a /26) is joined: multi-plan subnet join; a second run writes nothing', async () => {
    const { e } = world;
    const r = await run('azure-pipelines', { webapp: 'joiner', subnet: 'taken' });
    assert.equal(r.succeeded, true, r.error ?? r.stdout);
    assert.match(r.summary, /\| none \| subnet vnet\/taken \| delegated to Microsoft\.Web\/serverFarms \|/);
    assert.equal(props(e.store.get(siteId('joiner'))).virtualNetworkSubnetId, subnetId('vnet', 'taken'));
    assert.equal(props(e.store.get(siteId('other-app'))).virtualNetworkSubnetId, subnetId('vnet', 'taken'), 'the other plan stays');
    e.log.clear();
    const again = await run('github', { webapp: 'joiner', subnet: 'taken' });
    assert.equal(again.outputs.changed, 'false', again.error ?? again.stdout);
    assert.deepEqual(e.log.writes('arm'), []);
  });

  test('a slot: dry-run shows the plan and writes nothing, then the run delegates the empty subnet and integrates only the slot', async () => {
    const { e } = world;
    const slotId = `${siteId('slotted')}/slots/staging`;
    const production = e.store.get(siteId('slotted'))!;
    e.log.clear();
    const dry = await run('azure-pipelines', { webapp: 'slotted', slot: 'staging', subnet: 'empty', 'dry-run': 'true' });
    assert.equal(dry.succeeded, true, dry.error);
    assert.equal(dry.outputs.changed, 'true');
    assert.match(dry.summary, /\(dry run\)/);
    assert.match(dry.summary, /\| update \| subnet vnet\/empty \| delegate the empty subnet to Microsoft\.Web\/serverFarms \| no delegation \| Microsoft\.Web\/serverFarms \|/);
    assert.match(dry.summary, /\| update \| web app slotted\/slots\/staging \| set the regional VNet integration subnet \| \(none\) \| vnet\/empty \|/);
    assert.deepEqual(e.log.writes('arm'), []);
    assert.deepEqual(props(e.store.get(subnetId('vnet', 'empty'))).delegations, []);

    const r = await run('github', { webapp: 'slotted', slot: 'staging', subnet: 'empty' });
    assert.equal(r.succeeded, true, r.error ?? r.stdout);
    const delegations = props(e.store.get(subnetId('vnet', 'empty'))).delegations as { properties: { serviceName: string } }[];
    assert.deepEqual(delegations.map((d) => d.properties.serviceName), ['Microsoft.Web/serverFarms']);
    assert.equal(props(e.store.get(subnetId('vnet', 'empty'))).addressPrefix, '10.0.9.0/26', 'the subnet keeps its range');
    assert.equal(props(e.store.get(slotId)).virtualNetworkSubnetId, subnetId('vnet', 'empty'));
    assert.deepEqual(e.store.get(siteId('slotted')), production, 'the production slot is untouched');
  });

  test('a legacy gateway-required connection is reported with what to do (Node 24)', async () => {
    const node24 = runtimes().find((rt) => rt.name === 'node24')!;
    const r = await run('github', { webapp: 'legacy', subnet: 'small' }, node24.path);
    assert.equal(r.succeeded, true, r.error ?? r.stdout);
    assert.ok(
      r.warnings.some((w) => /gateway-required \(legacy\) VNet integration 'old-vnet' .*old-vnet.*disconnect it \(portal: Networking → VNet integration → Disconnect, or az webapp vnet-integration remove\)/.test(w)),
      r.warnings.join('\n'),
    );
    assert.ok(r.warnings.some((w) => /Subnet 'small' \(10\.0\.12\.0\/28\) is smaller than \/27.*A \/26 is recommended/.test(w)), r.warnings.join('\n'));
    assert.match(r.summary, /\*\*Warnings\*\*/);
    assert.equal(props(world.e.store.get(siteId('legacy'))).virtualNetworkSubnetId, subnetId('vnet', 'small'));
  });
});
