// create-private-endpoint through its built bundles on both hosts against the stand-in: alias and
// resource-ID targets, manual and automatic approval, dry-run, re-runs without writes, an endpoint
// of the same name with another target (refused), an alias not visible (refused), a rejection,
// waiting for the approval, the A record, and input validation.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { HOSTS, runShippedStep, secretsPrinted, startWorld, type HostName, type StepRun, type World } from '../../test/support/harness';

type LoggedRequest = World['e']['log']['entries'][number];
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const STEP = 'create-private-endpoint';
let world: World;

before(async () => {
  world = await startWorld({ provisioningDelayMs: 5, kube: { enabled: false } });
});
after(() => world?.stop());

let counter = 0;
/** A fresh consumer resource group with a VNet and an endpoint subnet. */
function consumer(): { rg: string; vnetId: string } {
  const rg = `rg-consumer-${++counter}`;
  world.e.seed.resourceGroup(rg);
  const { vnet } = world.e.seed.vnet(rg, 'consumer-vnet', { addressPrefixes: ['10.5.0.0/16'], subnets: [{ name: 'pe', addressPrefix: '10.5.1.0/24' }] });
  return { rg, vnetId: vnet.id };
}

/** A Private Link Service in a provider subscription of another tenant. */
function providerPls(opts: { visibility?: string[]; autoApproval?: string[] } = { visibility: ['*'] }): Json {
  const sub = randomUUID();
  world.e.seed.subscription(sub, 'provider', randomUUID());
  world.e.seed.resourceGroup('provider-rg', 'westeurope', sub);
  const { subnets } = world.e.seed.vnet('provider-rg', 'aks', { subscriptionId: sub, subnets: [{ name: 'pls', addressPrefix: '10.9.0.0/24', privateLinkServiceNetworkPolicies: 'Disabled' }] });
  return world.e.seed.privateLinkService('provider-rg', `pls-${++counter}`, { subnetId: subnets[0]!.id, subscriptionId: sub, ...opts });
}

const aliasOf = (pls: Json) => String(pls.properties.alias);
const connectionsOn = (targetId: string, type: string) => world.e.store.children(targetId, `${type}/privateEndpointConnections`);
const stateOf = (c: Json) => c.properties.privateLinkServiceConnectionState as { status: string; description: string };

function setState(connectionId: string, status: string, description: string): void {
  const c = world.e.store.get(connectionId)!;
  world.e.store.put({ ...c, properties: { ...c.properties, privateLinkServiceConnectionState: { status, description, actionsRequired: 'None' } } });
}

async function recording<T>(fn: () => Promise<T>): Promise<{ result: T; requests: LoggedRequest[] }> {
  const start = world.e.log.entries.length;
  const result = await fn();
  return { result, requests: world.e.log.entries.slice(start) };
}
const writesOf = (requests: LoggedRequest[]) => requests.filter((r) => r.surface === 'arm' && !['GET', 'HEAD'].includes(r.method) && !/checkPrivateLinkServiceVisibility$/i.test(r.path));

function run(host: HostName, inputs: Record<string, string>, options: Parameters<typeof runShippedStep>[4] = {}): Promise<StepRun> {
  return runShippedStep(world, STEP, host, inputs, options);
}
function assertOk(r: StepRun): void {
  assert.ok(r.succeeded, `step failed on ${r.host}: ${r.error}\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-2000)}`);
  assert.deepEqual(secretsPrinted(r, [world.sp.secret]), []);
}
function assertFailed(r: StepRun, pattern: RegExp): void {
  assert.ok(!r.succeeded, `expected a failure on ${r.host}\n${r.stdout.slice(-2000)}`);
  assert.match(r.error ?? '', pattern);
}

const RUN_ENV: Record<HostName, Record<string, string>> = {
  github: { GITHUB_REPOSITORY: 'contoso/shop', GITHUB_RUN_ID: '99' },
  'azure-pipelines': { BUILD_REPOSITORY_NAME: 'contoso/shop', BUILD_BUILDID: '77' },
};
const base = (rg: string, target: string, extra: Record<string, string> = {}) => ({ name: 'pe-shop', 'resource-group': rg, vnet: 'consumer-vnet', subnet: 'pe', target, ...extra });

describe('alias, manual request (both hosts)', () => {
  for (const host of HOSTS) {
    test(`${host}: visibility checked, endpoint created Pending with the run in its message, IP from the NIC; a re-run writes nothing`, async () => {
      const { rg } = consumer();
      const pls = providerPls();
      const first = await recording(() => run(host, base(rg, aliasOf(pls)), { env: RUN_ENV[host] }));
      assertOk(first.result);
      const id = `/subscriptions/${world.e.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Network/privateEndpoints/pe-shop`;
      assert.deepEqual(
        { ...first.result.outputs },
        { 'private-endpoint-id': id, ip: '10.5.1.4', status: 'Pending', changed: 'true' },
      );
      const [connection] = connectionsOn(pls.id, 'Microsoft.Network/privateLinkServices');
      const ref = host === 'github' ? 'GitHub Actions run contoso/shop#99' : 'Azure Pipelines build contoso/shop#77';
      assert.deepEqual(stateOf(connection!), { status: 'Pending', description: `Requested by private-wire in ${ref}`, actionsRequired: 'None' });
      assert.ok(first.requests.some((q) => q.method === 'POST' && /checkPrivateLinkServiceVisibility$/.test(q.path)), 'the alias was checked');
      assert.deepEqual(writesOf(first.requests).map((q) => [q.method, q.path.toLowerCase(), q.status]), [['PUT', id.toLowerCase(), 201]]);
      const endpoint = world.e.store.get(id)!;
      assert.equal((endpoint.properties as Json).manualPrivateLinkServiceConnections[0].properties.privateLinkServiceId, aliasOf(pls));

      const second = await recording(() => run(host, base(rg, aliasOf(pls))));
      assertOk(second.result);
      assert.deepEqual(writesOf(second.requests), []);
      assert.deepEqual([second.result.outputs.changed, second.result.outputs.status, second.result.outputs.ip], ['false', 'Pending', '10.5.1.4']);
    });
  }
});

describe('resource ID, automatic approval, A record (both hosts)', () => {
  for (const host of HOSTS) {
    test(`${host}: Approved at once, the record written with the NIC's IP; re-run writes nothing; a drifted record is put back, only it`, async () => {
      const { rg, vnetId } = consumer();
      const account = world.e.seed.storageAccount(rg, `stshop${counter}`);
      world.e.seed.privateDnsZone(rg, 'privatelink.blob.core.windows.net', { linkedVnets: [vnetId] });
      const inputs = base(rg, account.id, { 'group-id': 'blob', approval: 'auto', 'dns-zone': 'privatelink.blob.core.windows.net', 'dns-record': account.name });
      const first = await recording(() => run(host, inputs));
      assertOk(first.result);
      assert.equal(first.result.outputs.status, 'Approved');
      assert.equal(first.result.outputs.ip, '10.5.1.4');
      assert.deepEqual(first.result.warnings, [], 'the zone is linked to the VNet: no warning');
      const recordId = `/subscriptions/${world.e.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net/A/${account.name}`;
      assert.deepEqual((world.e.store.get(recordId)!.properties as Json).aRecords, [{ ipv4Address: '10.5.1.4' }]);
      assert.deepEqual(writesOf(first.requests).map((q) => [q.method, q.status]), [['PUT', 201], ['PUT', 201]]);
      const [connection] = connectionsOn(account.id, 'Microsoft.Storage/storageAccounts');
      assert.equal(stateOf(connection!).status, 'Approved');

      const second = await recording(() => run(host, inputs));
      assertOk(second.result);
      assert.deepEqual(writesOf(second.requests), []);
      assert.equal(second.result.outputs.changed, 'false');

      const record = world.e.store.get(recordId)!;
      world.e.store.put({ ...record, properties: { ...record.properties, aRecords: [{ ipv4Address: '10.5.1.99' }] } });
      const third = await recording(() => run(host, inputs));
      assertOk(third.result);
      assert.deepEqual(writesOf(third.requests).map((q) => [q.method, q.path.toLowerCase(), q.status]), [['PUT', recordId.toLowerCase(), 200]]);
      assert.deepEqual((world.e.store.get(recordId)!.properties as Json).aRecords, [{ ipv4Address: '10.5.1.4' }]);
      assert.match(third.result.summary, /\| update \| A record .* \| 10\.5\.1\.99 \| 10\.5\.1\.4 \|/);
    });
  }

  test('an unlinked zone is written with a warning; automatic approval the caller may not give fails with the role to ask for, and nothing is created', async () => {
    const { rg } = consumer();
    const account = world.e.seed.storageAccount(rg, `stdeny${counter}`);
    world.e.seed.privateDnsZone(rg, 'privatelink.blob.core.windows.net');
    world.e.seed.denyAssignment(account.id, ['Microsoft.Storage/storageAccounts/privateEndpointConnectionsApproval/action'], world.e.directory.app(world.e.tenantId, world.sp.clientId)!.objectId);
    const denied = await recording(() => run('azure-pipelines', base(rg, account.id, { 'group-id': 'blob', approval: 'auto', 'dns-zone': 'privatelink.blob.core.windows.net', 'dns-record': 'st' })));
    assertFailed(denied.result, /LinkedAuthorizationFailed[\s\S]*'approval: auto' needs the right to approve on the target/);
    assert.ok(denied.result.warnings.some((w) => /is not linked to virtual network consumer-vnet/.test(w)), denied.result.warnings.join('\n'));
    assert.deepEqual(writesOf(denied.requests).map((q) => q.status), [403]);
    assert.equal(world.e.store.ofType('Microsoft.Network/privateEndpoints', `/subscriptions/${world.e.subscriptionId}/resourceGroups/${rg}`).length, 0);
  });
});

describe('refusals', () => {
  test('dry-run: the plan, no writes; the endpoint ID is known, status and IP are not', async () => {
    const { rg } = consumer();
    const pls = providerPls();
    const { result, requests } = await recording(() => run('github', base(rg, aliasOf(pls), { 'dry-run': 'true' })));
    assertOk(result);
    assert.deepEqual(writesOf(requests), []);
    assert.equal(result.outputs.changed, 'true');
    assert.match(result.outputs['private-endpoint-id']!, /\/privateEndpoints\/pe-shop$/);
    assert.equal(result.outputs.status ?? '', '');
    assert.match(result.summary, /\| create \| private endpoint rg-consumer-\d+\/pe-shop \|/);
  });

  for (const host of HOSTS) {
    test(`${host}: an endpoint of that name with another target is refused, never replaced`, async () => {
      const { rg } = consumer();
      const first = providerPls();
      assertOk(await run(host, base(rg, aliasOf(first))));
      const other = providerPls();
      const { result, requests } = await recording(() => run(host, base(rg, aliasOf(other))));
      assertFailed(result, new RegExp(`already exists and connects to ${aliasOf(first).replace(/\./g, '\\.')}, not to alias ${aliasOf(other).replace(/\./g, '\\.')}`));
      assert.deepEqual(writesOf(requests), []);
      assert.equal(connectionsOn(other.id, 'Microsoft.Network/privateLinkServices').length, 0);
    });

    test(`${host}: an alias not visible to the subscription fails naming azure-pls-visibility, before any write`, async () => {
      const { rg } = consumer();
      const hidden = providerPls({ visibility: [randomUUID()] });
      const { result, requests } = await recording(() => run(host, base(rg, aliasOf(hidden))));
      assertFailed(result, new RegExp(`is not visible to subscription ${world.e.subscriptionId}[\\s\\S]*azure-pls-visibility`));
      assert.match(result.error!, new RegExp(`Input '${host === 'github' ? 'target' : 'target'}' is the alias`));
      assert.deepEqual(writesOf(requests), []);
    });
  }

  test('someone creates the endpoint between the plan and our create: the 412 is read again; the same target is used, another refused', async () => {
    for (const [which, sameTarget] of [['same', true], ['other', false]] as const) {
      const { rg } = consumer();
      const pls = providerPls();
      const other = providerPls();
      const id = `/subscriptions/${world.e.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Network/privateEndpoints/pe-shop`;
      const subnetId = `/subscriptions/${world.e.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Network/virtualNetworks/consumer-vnet/subnets/pe`;
      const nicId = `/subscriptions/${world.e.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Network/networkInterfaces/pe-shop.nic.theirs`;
      world.e.faults.add({
        surface: 'arm',
        kind: 'hook',
        when: 'before',
        method: 'PUT',
        path: new RegExp(`${rg}/providers/Microsoft.Network/privateEndpoints/pe-shop$`, 'i'),
        times: 1,
        run: () => {
          world.e.store.put({ id: nicId, name: 'pe-shop.nic.theirs', type: 'Microsoft.Network/networkInterfaces', properties: { ipConfigurations: [{ name: 'c', properties: { privateIPAddress: '10.5.1.200', subnet: { id: subnetId } } }] } });
          const conn = { name: 'theirs', properties: { privateLinkServiceId: aliasOf(sameTarget ? pls : other), groupIds: [] } };
          world.e.store.put({ id, name: 'pe-shop', type: 'Microsoft.Network/privateEndpoints', location: 'westeurope', properties: { provisioningState: 'Succeeded', subnet: { id: subnetId }, manualPrivateLinkServiceConnections: [conn], privateLinkServiceConnections: [], networkInterfaces: [{ id: nicId }] } });
          const target = sameTarget ? pls : other;
          world.e.store.put({ id: `${target.id}/privateEndpointConnections/pe-shop.theirs`, name: 'pe-shop.theirs', type: 'Microsoft.Network/privateLinkServices/privateEndpointConnections', properties: { provisioningState: 'Succeeded', privateEndpoint: { id }, privateLinkServiceConnectionState: { status: 'Pending', description: 'theirs', actionsRequired: 'None' } } });
        },
      });
      try {
        const { result, requests } = await recording(() => run('github', base(rg, aliasOf(pls))));
        assert.deepEqual(writesOf(requests).map((q) => q.status), [412], `${which}: one conditioned create, refused because it existed`);
        if (sameTarget) {
          assertOk(result);
          assert.equal(result.outputs.ip, '10.5.1.200', 'their endpoint, read again');
          assert.ok(result.warnings.some((w) => /was created by someone else while this step ran/.test(w)), result.warnings.join('\n'));
        } else {
          assertFailed(result, /already exists and connects to/);
        }
      } finally {
        world.e.faults.clear();
      }
    }
  });

  test('Rejected: the step fails with the provider\'s message', async () => {
    const { rg } = consumer();
    const pls = providerPls();
    assertOk(await run('azure-pipelines', base(rg, aliasOf(pls))));
    const [connection] = connectionsOn(pls.id, 'Microsoft.Network/privateLinkServices');
    setState(connection!.id, 'Rejected', 'Unknown consumer, contact netops@contoso.example');
    const { result, requests } = await recording(() => run('azure-pipelines', base(rg, aliasOf(pls))));
    assertFailed(result, /The provider rejected private endpoint .*pe-shop's connection: "Unknown consumer, contact netops@contoso\.example"/);
    assert.deepEqual(writesOf(requests), []);
  });

  test('input problems are reported together, with the host\'s input names, before any request', async () => {
    const { rg } = consumer();
    const account = world.e.seed.storageAccount(rg, `stinput${counter}`);
    const inputs = base(rg, account.id, { 'request-message': 'x'.repeat(141), 'dns-record': 'api', name: 'bad name' });
    for (const host of HOSTS) {
      const { result, requests } = await recording(() => run(host, inputs));
      assert.ok(!result.succeeded);
      const n = (kebab: string, camel: string) => (host === 'github' ? kebab : camel);
      for (const pattern of [`Input '${n('group-id', 'groupId')}' is empty`, `Input '${n('request-message', 'requestMessage')}' is 141 characters long`, `Input '${n('dns-record', 'dnsRecord')}' is 'api', but '${n('dns-zone', 'dnsZone')}' is empty`, "Input 'name' is 'bad name'"]) {
        assert.ok(result.error!.includes(pattern), `${host}: missing "${pattern}" in:\n${result.error}`);
      }
      assert.deepEqual(requests.filter((q) => q.surface === 'arm'), [], 'not even a read');
    }
  });
});

describe('waiting for the approval', () => {
  test('github: the provider approves while the step waits: it ends Approved', async () => {
    const { rg } = consumer();
    const pls = providerPls();
    // The provider approves a few seconds after the request appears.
    const approver = setInterval(() => {
      const [c] = connectionsOn(pls.id, 'Microsoft.Network/privateLinkServices');
      if (c && stateOf(c).status === 'Pending') {
        clearInterval(approver);
        setTimeout(() => setState(c.id, 'Approved', 'welcome'), 2500);
      }
    }, 100);
    try {
      const r = await run('github', base(rg, aliasOf(pls), { 'wait-for-approval': 'true', timeout: '60' }));
      assertOk(r);
      assert.equal(r.outputs.status, 'Approved');
      assert.match(r.stdout, /is Pending; waiting for the provider's approval/);
    } finally {
      clearInterval(approver);
    }
  });

  test('azure-pipelines: nobody approves within the timeout: the step fails saying so (and the endpoint stays for a re-run)', async () => {
    const { rg } = consumer();
    const pls = providerPls();
    const r = await run('azure-pipelines', base(rg, aliasOf(pls), { 'wait-for-approval': 'true', timeout: '12' }));
    assertFailed(r, /is still Pending: the provider has not approved it within 'timeout'/);
    assert.equal(connectionsOn(pls.id, 'Microsoft.Network/privateLinkServices').length, 1);
  });
});
