// set-webapp-dns through its shipped bundles on both hosts against the stand-in: IP validation
// before any write, both mechanisms, the app-settings merge guarantee, conflicts, slots, dry-run.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { ArmResource } from '@private-wire/emulator';
import { HOSTS, runShippedStep, secretsPrinted, startWorld, type HostName, type StepRun, type World } from '../../test/support/harness';
import { runtimes } from '../../test/support/runners';

const STEP = 'set-webapp-dns';
let world: World;
const siteId = (name: string) => `/subscriptions/${world.e.subscriptionId}/resourceGroups/rg/providers/Microsoft.Web/sites/${name}`;
type Props = Record<string, unknown>;
const props = (r: ArmResource | undefined): Props => (r?.properties ?? {}) as Props;
const settingsOf = (id: string) => props(world.e.store.get(`${id}/config/appsettings`)) as Record<string, string>;
const dnsOf = (id: string) => props(world.e.store.get(id)).dnsConfiguration as Props;

/** Dozens of settings with awkward values (secrets, JSON, empty, unicode, spaces) that must survive byte for byte. */
const MANY: Record<string, string> = Object.fromEntries([
  ...Array.from({ length: 40 }, (_, i) => [`SETTING_${String(i).padStart(2, '0')}`, `value-${i}-${'x'.repeat(i)}`]),
  ['DB_PASSWORD', 'p@ss;w0rd=="quoted"'],
  ['JSON_BLOB', '{"a":[1,2,{"b":"c"}],"d":null}'],
  ['EMPTY', ''],
  ['UNICODE', 'grüße ✓ 日本'],
  ['SPACES', '  leading and trailing  '],
  ['KeyVaultRef', '@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/s/)'],
]);
const STICKY = ['DB_PASSWORD', 'SETTING_03', 'WEBSITE_DNS_SERVER'];

function run(host: HostName, inputs: Record<string, string>, node?: string): Promise<StepRun> {
  return runShippedStep(world, STEP, host, { 'resource-group': 'rg', ...inputs }, { cluster: 'none', node });
}

before(async () => {
  world = await startWorld({ kube: { enabled: false } });
  const { e } = world;
  e.seed.resourceGroup('rg', 'westeurope');
  const plan = e.seed.plan('rg', 'plan').id;
  e.seed.site('rg', 'prop-app', plan, { appSettings: { ...MANY }, slotSettingNames: STICKY, properties: { httpsOnly: true } });
  e.seed.site('rg', 'setting-app', plan, { appSettings: { ...MANY }, slotSettingNames: STICKY, slots: ['staging'] });
  e.seed.appSettings(`${siteId('setting-app')}/slots/staging`, { SLOT_ONLY: 'keep-me', WEBSITE_DNS_SERVER: '168.63.129.16' });
  // Conflicts: the other mechanism already holds different values.
  e.seed.site('rg', 'conflict-prop', plan, { appSettings: { A: '1', WEBSITE_DNS_SERVER: '10.9.9.9', WEBSITE_DNS_ALT_SERVER: '10.9.9.8' } });
  e.seed.site('rg', 'race-app', plan, { appSettings: { KEEP: '1' } });
  e.seed.site('rg', 'conflict-setting', plan, { appSettings: { A: '1' }, properties: { dnsConfiguration: { dnsServers: ['10.7.7.7'] } } });
  // Several servers in the app setting, written by hand with blanks (not the documented form).
  e.seed.site('rg', 'multi-app', plan, { appSettings: { ...MANY, WEBSITE_DNS_SERVER: '10.0.0.10, 10.0.0.11' } });
});

after(() => world?.stop());

describe('validation: one clear message naming the input, its value and the fix, and no ARM write', () => {
  const cases: { name: string; inputs: Record<string, string>; error: RegExp }[] = [
    { name: 'CIDR', inputs: { 'dns-server': '10.0.0.10/32' }, error: /Input 'dns-?[sS]erver' has '10\.0\.0\.10\/32', which is a CIDR range, not an address\. Give the address only: 10\.0\.0\.10\./ },
    { name: 'hostname', inputs: { 'dns-server': 'coredns.internal' }, error: /Input 'dns-?[sS]erver' has 'coredns\.internal', which is a host name, not an IP address\. App Service needs the DNS server's IP address/ },
    { name: 'IPv6', inputs: { 'dns-server': 'fd00::10' }, error: /has 'fd00::10', which is not an IPv4 address \(App Service DNS settings take IPv4 only\)\. Give an IPv4 address/ },
    { name: 'bad octet', inputs: { 'dns-server': '10.0.0.256' }, error: /has '10\.0\.0\.256', which is not a valid IPv4 address\. Use four numbers from 0 to 255/ },
    { name: 'leading zero', inputs: { 'dns-server': '10.0.0.010' }, error: /has '10\.0\.0\.010', which is not a valid IPv4 address\. Use four numbers from 0 to 255 without leading zeros/ },
    { name: 'duplicates', inputs: { 'dns-server': '10.0.0.10, 10.0.0.11,10.0.0.10' }, error: /Input 'dns-?[sS]erver' lists '10\.0\.0\.10' more than once\. Give each DNS server once\./ },
    { name: 'more than 5', inputs: { 'dns-server': '10.0.0.1,10.0.0.2,10.0.0.3,10.0.0.4,10.0.0.5,10.0.0.6' }, error: /Input 'dns-?[sS]erver' has 6 addresses \(10\.0\.0\.1, .*10\.0\.0\.6\), more than the 5 App Service accepts\. Give at most 5/ },
    { name: 'more than 5 in app-setting mode', inputs: { 'dns-server': '10.0.0.1,10.0.0.2,10.0.0.3,10.0.0.4,10.0.0.5,10.0.0.6', mode: 'app-setting' }, error: /Input 'dns-?[sS]erver' has 6 addresses \(10\.0\.0\.1, 10\.0\.0\.2, 10\.0\.0\.3, 10\.0\.0\.4, 10\.0\.0\.5, 10\.0\.0\.6\), more than the 5 App Service accepts\. Give at most 5, in order of preference \('alt-?[dD]ns-?[sS]erver' can add one more, as the last fallback\)\./ },
    { name: 'alt is a hostname', inputs: { 'dns-server': '10.0.0.10', 'alt-dns-server': 'dns.example.com' }, error: /Input 'alt-?[dD]ns-?[sS]erver' is 'dns\.example\.com', which is a host name/ },
    { name: 'alt duplicates a server', inputs: { 'dns-server': '10.0.0.10', 'alt-dns-server': '10.0.0.10' }, error: /Input 'alt-?[dD]ns-?[sS]erver' is '10\.0\.0\.10', which is also in 'dns-?[sS]erver'\. The alternate server must be a different address/ },
    { name: 'mode unknown', inputs: { 'dns-server': '10.0.0.10', mode: 'env' }, error: /Input 'mode' is 'env', which is not one of the allowed values\. Use one of: property, app-setting\./ },
    { name: 'loopback', inputs: { 'dns-server': '127.0.0.1' }, error: /has '127\.0\.0\.1', which is a loopback address: inside the app it is the app itself, not a DNS server\./ },
    { name: 'multicast', inputs: { 'dns-server': '224.0.0.251' }, error: /has '224\.0\.0\.251', which is a multicast address, which cannot be a DNS server\./ },
    { name: 'link-local', inputs: { 'dns-server': '169.254.169.254' }, error: /has '169\.254\.169\.254', which is a link-local address, which cannot be a DNS server\./ },
    { name: 'unspecified', inputs: { 'dns-server': '0.0.0.0' }, error: /has '0\.0\.0\.0', which is a unspecified address/ },
    { name: 'resource group with a query', inputs: { 'resource-group': 'rg?x=1', 'dns-server': '10.0.0.10' }, error: /Input 'resource-?[gG]roup' is 'rg\?x=1', which is not a valid resource group name/ },
    { name: 'web app name with a fragment', inputs: { webapp: 'prop-app#x', 'dns-server': '10.0.0.10' }, error: /Input 'webapp' is 'prop-app#x', which is not a valid name: it contains '#', which no Azure resource name has\./ },
    { name: 'web app ID with a dot segment', inputs: { webapp: `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/sites/..`, 'dns-server': '10.0.0.10' }, error: /segment '\.\.': '\.\.' is a relative path segment, not a name/ },
    { name: 'web app missing', inputs: { webapp: 'nope', 'dns-server': '10.0.0.10' }, error: /Input 'webapp' is 'nope', but no web app of that name exists in resource group 'rg'\. Check 'webapp'/ },
    { name: 'slot missing', inputs: { webapp: 'setting-app', slot: 'qa', 'dns-server': '10.0.0.10' }, error: /Input 'slot' is 'qa', but web app 'setting-app' in resource group 'rg' has no such slot/ },
  ];

  test('every rule, alternating hosts', async () => {
    world.e.log.clear();
    const writesBefore = world.e.store.writes;
    const runs = await Promise.all(cases.map((c, i) => run(HOSTS[i % 2]!, { webapp: 'prop-app', ...c.inputs })));
    runs.forEach((r, i) => {
      const c = cases[i]!;
      assert.equal(r.succeeded, false, `${c.name}: should fail`);
      assert.match(r.error ?? '', c.error, `${c.name} (${r.host})`);
      assert.equal(r.error!.split('\n').length, 1, `${c.name}: one message`);
      assert.deepEqual(secretsPrinted(r, [world.sp.secret, MANY.DB_PASSWORD!]), []);
    });
    assert.deepEqual(world.e.log.writes('arm'), []);
    assert.equal(world.e.store.writes, writesBefore);
  });

  test('several bad addresses are reported together', async () => {
    const r = await run('github', { webapp: 'prop-app', 'dns-server': '10.0.0.10/24,kube-dns', 'alt-dns-server': '10.0.0.300' });
    assert.match(r.error!, /^3 inputs need fixing:\n- .*'10\.0\.0\.10\/24'.*\n- .*'kube-dns'.*\n- Input 'alt-dns-server' is '10\.0\.0\.300'/);
  });
});

describe('property mode (dnsConfiguration)', () => {
  test('sets the servers with GET+merge+PUT, leaves app settings and other properties alone; a second run writes nothing', async () => {
    const { e } = world;
    const id = siteId('prop-app');
    const before = e.store.get(id)!;
    const settings = structuredClone(settingsOf(id));
    const sticky = e.store.get(`${id}/config/slotConfigNames`);
    const r = await run('github', { webapp: 'prop-app', 'dns-server': '10.0.0.10, 10.0.0.11', 'alt-dns-server': '10.0.0.12' });
    assert.equal(r.succeeded, true, r.error ?? r.stdout);
    assert.equal(r.outputs.changed, 'true');
    assert.match(r.summary, /\| update \| web app prop-app dnsConfiguration \| set the site's DNS servers \(dnsServers, dnsAltServer\) \| \(none\) \| 10\.0\.0\.10, 10\.0\.0\.11; alt 10\.0\.0\.12 \|/);
    assert.deepEqual(dnsOf(id), { dnsServers: ['10.0.0.10', '10.0.0.11'], dnsAltServer: '10.0.0.12' });
    const afterSite = e.store.get(id)!;
    const strip = (s: ArmResource) => ({ ...s, etag: undefined, properties: { ...props(s), dnsConfiguration: undefined } });
    assert.deepEqual(strip(afterSite), strip(before));
    assert.deepEqual(settingsOf(id), settings);
    assert.deepEqual(e.store.get(`${id}/config/slotConfigNames`), sticky);
    assert.deepEqual(secretsPrinted(r, [world.sp.secret, ...Object.values(MANY).filter((v) => v.length >= 8)]), []);

    e.log.clear();
    const again = await run('azure-pipelines', { webapp: 'prop-app', 'dns-server': '10.0.0.10,10.0.0.11' });
    assert.equal(again.succeeded, true, again.error);
    assert.equal(again.outputs.changed, 'false', 'an empty alt-dns-server keeps the current one');
    assert.match(again.summary, /\| none \| web app prop-app dnsConfiguration \| DNS servers are up to date \| 10\.0\.0\.10, 10\.0\.0\.11; alt 10\.0\.0\.12 \|/);
    assert.deepEqual(e.log.writes('arm'), []);
  });

  test('warns when WEBSITE_DNS_* app settings hold different servers, saying the site property wins', async () => {
    const r = await run('azure-pipelines', { webapp: 'conflict-prop', 'dns-server': '10.0.0.10' });
    assert.equal(r.succeeded, true, r.error);
    assert.ok(
      r.warnings.some((w) => /also has app settings WEBSITE_DNS_SERVER\/WEBSITE_DNS_ALT_SERVER \(10\.9\.9\.9; alt 10\.9\.9\.8\), different from the dnsConfiguration this step sets \(10\.0\.0\.10\)\. The site property takes precedence, so the app settings are ignored/.test(w)),
      r.warnings.join('\n'),
    );
    assert.equal(settingsOf(siteId('conflict-prop')).WEBSITE_DNS_SERVER, '10.9.9.9', 'the step does not remove settings it does not own');
  });
});

describe('concurrent writers: only the step\'s own fields are written', () => {
  test('property mode: a change someone makes to another site field between our read and our write stays', async () => {
    const { e } = world;
    const id = siteId('race-app');
    // Someone turns on client certificates while the step is about to write.
    e.faults.add({
      surface: 'arm',
      kind: 'hook',
      when: 'before',
      method: ['PUT', 'PATCH'],
      path: new RegExp(`${id.replace(/[/.]/g, '\\$&')}$`),
      times: 1,
      run: () => {
        const site = e.store.get(id)!;
        e.store.put({ ...site, properties: { ...props(site), clientCertEnabled: true } });
      },
    });
    try {
      const r = await run('github', { webapp: 'race-app', 'dns-server': '10.0.0.10' });
      assert.equal(r.succeeded, true, r.error ?? r.stdout);
      assert.equal(props(e.store.get(id)).clientCertEnabled, true, "the other writer's change was reverted");
      assert.deepEqual((dnsOf(id) as Props).dnsServers, ['10.0.0.10']);
    } finally {
      e.faults.clear();
    }
  });

  test('app-setting mode: settings added after the plan are merged into, and the log says so', async () => {
    const { e } = world;
    const id = siteId('race-app');
    e.faults.add({
      surface: 'arm',
      kind: 'hook',
      when: 'after',
      method: 'POST',
      path: `${id}/config/appsettings/list`,
      times: 1,
      run: () => void e.seed.appSettings(id, { ...settingsOf(id), ADDED_AFTER_PLAN: 'keep-me' }),
    });
    try {
      const r = await run('azure-pipelines', { webapp: 'race-app', 'dns-server': '10.0.0.10', mode: 'app-setting' });
      assert.equal(r.succeeded, true, r.error ?? r.stdout);
      assert.match(r.stdout, /App settings of race-app changed since the plan \(ADDED_AFTER_PLAN\); merging into the current ones\./);
      assert.equal(settingsOf(id).ADDED_AFTER_PLAN, 'keep-me');
      assert.equal(settingsOf(id).WEBSITE_DNS_SERVER, '10.0.0.10');
    } finally {
      e.faults.clear();
    }
  });
});

describe('secrets and stuck requests', () => {
  test('Azure Pipelines: a failed OIDC token request never shows System.AccessToken, even with AZURE_LOG_LEVEL=info', async () => {
    const { e } = world;
    const id = '6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a00';
    const job = e.azurePipelines.createRequest({ organization: 'contoso', project: 'platform', serviceConnections: [{ id, name: 'prod-arm' }] });
    e.registerApp({ federated: [{ issuer: job.issuer, subject: 'sc://contoso/platform/prod-arm' }] });
    // The OIDC endpoint answers without a body: @azure/identity then puts the whole response,
    // request headers (Authorization: Bearer <System.AccessToken>) included, in its error and its log.
    e.faults.add({ surface: 'oidc', kind: 'respond', status: 200, body: '', path: '/oidctoken' });
    try {
      const r = await runShippedStep(
        world,
        STEP,
        'azure-pipelines',
        { webapp: 'prop-app', 'resource-group': 'rg', 'dns-server': '10.0.0.10', 'azure-subscription': id, environment: 'Custom', 'resource-manager-endpoint': e.urls.arm, 'authority-host': e.urls.authorityHost },
        {
          azure: 'none',
          cluster: 'none',
          env: {
            AZURE_LOG_LEVEL: 'info',
            SYSTEM_OIDCREQUESTURI: job.requestUri,
            [`ENDPOINT_AUTH_${id}`]: JSON.stringify({ scheme: 'WorkloadIdentityFederation', parameters: { tenantid: e.tenantId, serviceprincipalid: randomUUID() } }),
            [`ENDPOINT_DATA_${id}_SUBSCRIPTIONID`]: e.subscriptionId,
            ENDPOINT_AUTH_SystemVssConnection: JSON.stringify({ scheme: 'OAuth', parameters: { AccessToken: job.accessToken } }),
          },
        },
      );
      assert.equal(r.succeeded, false);
      assert.match(r.error ?? '', /^Signing in to Azure with workload identity federation .* failed: /);
      assert.ok(r.masked.includes(job.accessToken));
      assert.deepEqual(secretsPrinted(r, [job.accessToken]), []);
      assert.ok(!r.stderr.includes(job.accessToken) && !r.stdout.replace(`##vso[task.setsecret]${job.accessToken}`, '').includes(job.accessToken));
    } finally {
      e.faults.clear();
    }
  });

  test('an ARM request that never answers ends the step at its timeout', async () => {
    let hungAt = 0;
    const hang = () => {
      hungAt = Date.now();
      return new Promise<void>(() => undefined);
    };
    world.e.faults.add({ surface: 'arm', kind: 'hook', when: 'before', method: 'GET', path: new RegExp(`${siteId('prop-app').replace(/[/.]/g, '\\$&')}$`), run: hang });
    try {
      const r = await run('github', { webapp: 'prop-app', 'dns-server': '10.0.0.10', timeout: '3' });
      // From the unanswered request, not the spawn: a loaded machine's slow process start does not count.
      const afterHang = Date.now() - hungAt;
      assert.ok(hungAt > 0, 'the request never reached ARM');
      assert.equal(r.succeeded, false);
      assert.match(r.error ?? '', /Azure did not answer in time while reading web app prop-app|The step did not finish within its timeout of 3 s/);
      assert.ok(afterHang < 7000, `ended ${afterHang} ms after the unanswered request, with timeout: 3`);
    } finally {
      world.e.faults.clear();
    }
  });
});

describe('app-setting mode (WEBSITE_DNS_SERVER)', () => {
  test('dry-run shows the change and writes nothing', async () => {
    world.e.log.clear();
    const r = await run('github', { webapp: 'setting-app', 'dns-server': '10.0.0.10', mode: 'app-setting', 'dry-run': 'true' });
    assert.equal(r.succeeded, true, r.error);
    assert.equal(r.outputs.changed, 'true');
    assert.match(r.summary, /## Set web app DNS \(dry run\)/);
    assert.match(r.summary, /\| update \| web app setting-app app settings \| set WEBSITE_DNS_SERVER, keeping every other setting \| \(none\) \| 10\.0\.0\.10 \|/);
    assert.deepEqual(world.e.log.writes('arm'), []);
    assert.equal(settingsOf(siteId('setting-app')).WEBSITE_DNS_SERVER, undefined);
  });

  for (const host of HOSTS) {
    test(`merges into dozens of settings, keeping every other one and the slot-sticky names byte for byte (${host})`, async () => {
      const { e } = world;
      const id = siteId('setting-app');
      const alt = host === 'github' ? '10.0.0.21' : '10.0.0.22';
      const siteBefore = e.store.get(id);
      const stickyBefore = e.store.get(`${id}/config/slotConfigNames`);
      const r = await run(host, { webapp: 'setting-app', 'dns-server': '10.0.0.10', 'alt-dns-server': alt, mode: 'app-setting' });
      assert.equal(r.succeeded, true, r.error ?? r.stdout);
      assert.equal(r.outputs.changed, 'true');
      const settings = settingsOf(id);
      assert.deepEqual(settings, { ...MANY, WEBSITE_DNS_SERVER: '10.0.0.10', WEBSITE_DNS_ALT_SERVER: alt });
      assert.equal(JSON.stringify(Object.keys(settings).slice(0, Object.keys(MANY).length)), JSON.stringify(Object.keys(MANY)), 'order kept');
      assert.deepEqual(e.store.get(`${id}/config/slotConfigNames`), stickyBefore);
      assert.deepEqual(e.store.get(id), siteBefore, 'the site resource is not written');
      assert.deepEqual(secretsPrinted(r, [world.sp.secret, ...Object.values(MANY).filter((v) => v.length >= 8)]), []);
    });
  }

  test('a second run writes nothing', async () => {
    world.e.log.clear();
    const r = await run('azure-pipelines', { webapp: 'setting-app', 'dns-server': '10.0.0.10', mode: 'app-setting' });
    assert.equal(r.outputs.changed, 'false');
    assert.match(r.summary, /\| none \| web app setting-app app settings \| WEBSITE_DNS_SERVER is up to date \| 10\.0\.0\.10; alt 10\.0\.0\.22 \|/);
    assert.deepEqual(world.e.log.writes('arm'), []);
  });

  test('several servers (up to 5) go into WEBSITE_DNS_SERVER comma-separated without blanks; every other setting stays; a second run writes nothing', async () => {
    const { e } = world;
    const id = siteId('multi-app');
    const servers = '10.0.0.10, 10.0.0.11,168.63.129.16,10.0.0.12,10.0.0.13';
    const r = await run('github', { webapp: 'multi-app', 'dns-server': servers, mode: 'app-setting' });
    assert.equal(r.succeeded, true, r.error ?? r.stdout);
    assert.match(r.summary, /\| update \| web app multi-app app settings \| set WEBSITE_DNS_SERVER, keeping every other setting \| 10\.0\.0\.10, {2}10\.0\.0\.11 \| 10\.0\.0\.10, 10\.0\.0\.11, 168\.63\.129\.16, 10\.0\.0\.12, 10\.0\.0\.13 \|/);
    assert.deepEqual(settingsOf(id), { ...MANY, WEBSITE_DNS_SERVER: '10.0.0.10,10.0.0.11,168.63.129.16,10.0.0.12,10.0.0.13' });
    assert.deepEqual(secretsPrinted(r, [world.sp.secret, ...Object.values(MANY).filter((v) => v.length >= 8)]), []);

    e.log.clear();
    const again = await run('azure-pipelines', { webapp: 'multi-app', 'dns-server': servers, mode: 'app-setting' });
    assert.equal(again.outputs.changed, 'false', again.error ?? again.stdout);
    assert.match(again.summary, /\| none \| web app multi-app app settings \| WEBSITE_DNS_SERVER is up to date \|/);
    assert.deepEqual(e.log.writes('arm'), []);
  });

  test('a slot: only the slot\'s settings change (Node 24)', async () => {
    const node24 = runtimes().find((rt) => rt.name === 'node24')!;
    const production = settingsOf(siteId('setting-app'));
    const slotId = `${siteId('setting-app')}/slots/staging`;
    const r = await run('github', { webapp: 'setting-app', slot: 'staging', 'dns-server': '10.0.0.10', mode: 'app-setting' }, node24.path);
    assert.equal(r.succeeded, true, r.error ?? r.stdout);
    assert.match(r.summary, /\| update \| web app setting-app\/slots\/staging app settings \| .* \| 168\.63\.129\.16 \| 10\.0\.0\.10 \|/);
    assert.deepEqual(settingsOf(slotId), { SLOT_ONLY: 'keep-me', WEBSITE_DNS_SERVER: '10.0.0.10' });
    assert.deepEqual(settingsOf(siteId('setting-app')), production);
  });

  test('a slot in property mode sets the slot\'s dnsConfiguration only', async () => {
    const slotId = `${siteId('setting-app')}/slots/staging`;
    const r = await run('azure-pipelines', { webapp: slotId, 'dns-server': '10.0.0.10' });
    assert.equal(r.succeeded, true, r.error);
    assert.deepEqual(dnsOf(slotId), { dnsServers: ['10.0.0.10'] });
    assert.deepEqual(dnsOf(siteId('setting-app')), {});
  });

  test('warns when the site dnsConfiguration holds different servers, since it wins over the app settings', async () => {
    const r = await run('github', { webapp: 'conflict-setting', 'dns-server': '10.0.0.10', mode: 'app-setting' });
    assert.equal(r.succeeded, true, r.error);
    assert.ok(
      r.warnings.some((w) => /has dnsConfiguration DNS servers \(10\.7\.7\.7\), different from the app settings this step sets \(10\.0\.0\.10\)\. The site property takes precedence, so the app keeps using 10\.7\.7\.7: clear dnsConfiguration, or use 'mode: property' instead\./.test(w)),
      r.warnings.join('\n'),
    );
    assert.deepEqual(settingsOf(siteId('conflict-setting')), { A: '1', WEBSITE_DNS_SERVER: '10.0.0.10' });
  });
});
