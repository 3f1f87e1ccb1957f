// The consumer side of Private Link: checkPrivateLinkServiceVisibility, private endpoints created
// through ARM (a NIC with a subnet IP; Pending for manual requests, Approved for automatic ones the
// caller may approve or a Private Link Service auto-approves), and private DNS A records.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { NetworkManagementClient } from '@azure/arm-network';
import { armOptions, fetchArm, putAndPoll, world } from './helpers';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('ARM private endpoints (consumer side)', () => {
  let w: Awaited<ReturnType<typeof world>>;
  let net: NetworkManagementClient;
  let subnetId: string;
  let counter = 0;
  before(async () => {
    w = await world();
    net = new NetworkManagementClient(w.credential, w.e.subscriptionId, armOptions(w.e));
    subnetId = w.e.seed.vnet('rg', 'consumer-vnet', { addressPrefixes: ['10.5.0.0/16'], subnets: [{ name: 'pe', addressPrefix: '10.5.1.0/28' }] }).subnets[0]!.id;
  });
  after(() => w.e.stop());

  const rgPath = () => `/subscriptions/${w.e.subscriptionId}/resourceGroups/rg/providers/Microsoft.Network`;
  /** A Private Link Service in a provider subscription of another tenant (RBAC on it: none). */
  function foreignPls(opts: { visibility?: string[]; autoApproval?: string[] } = {}) {
    const sub = randomUUID();
    w.e.seed.subscription(sub, 'provider', randomUUID());
    w.e.seed.resourceGroup('provider-rg', 'westeurope', sub);
    const { subnets } = w.e.seed.vnet('provider-rg', 'aks', { subscriptionId: sub, subnets: [{ name: 'pls', addressPrefix: '10.9.0.0/24', privateLinkServiceNetworkPolicies: 'Disabled' }] });
    return w.e.seed.privateLinkService('provider-rg', `pls-${++counter}`, { subnetId: subnets[0]!.id, subscriptionId: sub, ...opts });
  }
  const alias = (pls: { properties?: Json }) => String(pls.properties!.alias);
  const visible = async (a: string) => (await net.privateLinkServices.beginCheckPrivateLinkServiceVisibilityAndWait('westeurope', { privateLinkServiceAlias: a }, { updateIntervalInMs: 5 })).visible;
  const endpointBody = (target: string, kind: 'manual' | 'auto', extra: Json = {}) => ({
    location: 'westeurope',
    properties: {
      subnet: { id: subnetId },
      [kind === 'manual' ? 'manualPrivateLinkServiceConnections' : 'privateLinkServiceConnections']: [{ name: 'conn', properties: { privateLinkServiceId: target, ...extra } }],
    },
  });
  const targetConnections = (targetId: string, type: string) => w.e.store.children(targetId, `${type}/privateEndpointConnections`);

  it('checkPrivateLinkServiceVisibility: listed subscription or `*`, or RBAC access; hidden, foreign and unknown aliases are not visible', async () => {
    assert.equal(await visible(alias(foreignPls({ visibility: [w.e.subscriptionId.toUpperCase()] }))), true);
    assert.equal(await visible(alias(foreignPls({ visibility: ['*'] }))), true);
    assert.equal(await visible(alias(foreignPls())), false, 'another tenant, not listed');
    assert.equal(await visible(alias(foreignPls({ visibility: [randomUUID()] }))), false);
    const own = w.e.seed.privateLinkService('rg', 'pls-own', { subnetId });
    assert.equal(await visible(alias(own)), true, 'the caller has RBAC access in its own tenant');
    assert.equal(await visible('nope.00000000-0000-0000-0000-000000000000.westeurope.azure.privatelinkservice'), false);
    const res = await fetchArm(w, 'POST', `/subscriptions/${w.e.subscriptionId}/providers/Microsoft.Network/locations/westeurope/checkPrivateLinkServiceVisibility?api-version=2025-05-01`, { privateLinkServiceAlias: alias(own) });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { visible: true });
  });

  it('a manual request by alias: Pending on the target with the request message; a NIC holds a subnet IP; the approval shows on the endpoint', async () => {
    const pls = foreignPls({ visibility: ['*'] });
    await putAndPoll(w, `${rgPath()}/privateEndpoints/pe-alias`, endpointBody(alias(pls), 'manual', { requestMessage: 'from build 7' }));
    const pe = await net.privateEndpoints.get('rg', 'pe-alias');
    const conn = pe.manualPrivateLinkServiceConnections![0]!;
    assert.equal(conn.privateLinkServiceId, alias(pls), 'the alias as sent');
    assert.equal(conn.privateLinkServiceConnectionState?.status, 'Pending');
    const [onTarget] = targetConnections(pls.id, 'Microsoft.Network/privateLinkServices');
    assert.deepEqual((onTarget!.properties as Json).privateLinkServiceConnectionState, { status: 'Pending', description: 'from build 7', actionsRequired: 'None' });
    const nicId = pe.networkInterfaces![0]!.id!;
    assert.match(nicId, /\/resourceGroups\/rg\/providers\/Microsoft\.Network\/networkInterfaces\/pe-alias\.nic\./);
    const nic = await net.networkInterfaces.get('rg', nicId.split('/').pop()!);
    const ip = nic.ipConfigurations![0]!.privateIPAddress!;
    assert.equal(ip, '10.5.1.4', 'the first address Azure does not reserve');
    assert.equal(nic.ipConfigurations![0]!.subnet?.id, subnetId);
    // The provider approves on its side: the endpoint shows it.
    const provider = new NetworkManagementClient(w.credential, pls.id.split('/')[2]!, armOptions(w.e));
    await provider.privateLinkServices.updatePrivateEndpointConnection('provider-rg', pls.name, onTarget!.name, { ...(onTarget as Json), privateLinkServiceConnectionState: { status: 'Approved', description: 'ok' } });
    assert.equal((await net.privateEndpoints.get('rg', 'pe-alias')).manualPrivateLinkServiceConnections![0]!.privateLinkServiceConnectionState?.status, 'Approved');

    await putAndPoll(w, `${rgPath()}/privateEndpoints/pe-second`, endpointBody(alias(pls), 'manual'));
    const second = await net.privateEndpoints.get('rg', 'pe-second');
    const nic2 = await net.networkInterfaces.get('rg', second.networkInterfaces![0]!.id!.split('/').pop()!);
    assert.equal(nic2.ipConfigurations![0]!.privateIPAddress, '10.5.1.5');
  });

  it('an alias the subscription cannot see is refused like a missing reference, and nothing is stored', async () => {
    const pls = foreignPls();
    const res = await fetchArm(w, 'PUT', `${rgPath()}/privateEndpoints/pe-hidden?api-version=2025-05-01`, endpointBody(alias(pls), 'manual'));
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as Json).error.code, 'InvalidResourceReference');
    assert.equal(w.e.store.get(`${rgPath()}/privateEndpoints/pe-hidden`), undefined);
    assert.deepEqual(targetConnections(pls.id, 'Microsoft.Network/privateLinkServices'), []);
  });

  it('automatic: Approved when the caller may approve on the target; 403 LinkedAuthorizationFailed when it may not (deny assignment, other tenant)', async () => {
    const account = w.e.seed.storageAccount('rg', 'stauto');
    await putAndPoll(w, `${rgPath()}/privateEndpoints/pe-auto`, endpointBody(account.id, 'auto', { groupIds: ['blob'] }));
    assert.equal((await net.privateEndpoints.get('rg', 'pe-auto')).privateLinkServiceConnections![0]!.privateLinkServiceConnectionState?.status, 'Approved');

    const denied = w.e.seed.storageAccount('rg', 'stdenied');
    w.e.seed.denyAssignment(denied.id, ['Microsoft.Storage/storageAccounts/privateEndpointConnectionsApproval/action'], w.app.objectId);
    const res = await fetchArm(w, 'PUT', `${rgPath()}/privateEndpoints/pe-denied?api-version=2025-05-01`, endpointBody(denied.id, 'auto', { groupIds: ['blob'] }));
    assert.equal(res.status, 403);
    const error = ((await res.json()) as Json).error;
    assert.equal(error.code, 'LinkedAuthorizationFailed');
    assert.match(error.message, /privateEndpointConnectionsApproval\/action' on the linked scope\(s\) '.*stdenied'/);
    assert.equal(w.e.store.get(`${rgPath()}/privateEndpoints/pe-denied`), undefined);
    // The same request as a manual one is fine: it waits for the owner.
    await putAndPoll(w, `${rgPath()}/privateEndpoints/pe-denied`, endpointBody(denied.id, 'manual', { groupIds: ['blob'] }));
    assert.equal((await net.privateEndpoints.get('rg', 'pe-denied')).manualPrivateLinkServiceConnections![0]!.privateLinkServiceConnectionState?.status, 'Pending');

    const foreign = foreignPls({ visibility: ['*'] });
    const other = await fetchArm(w, 'PUT', `${rgPath()}/privateEndpoints/pe-foreign?api-version=2025-05-01`, endpointBody(foreign.id, 'auto'));
    assert.equal(other.status, 403);
  });

  it('a Private Link Service auto-approves the subscriptions on its autoApproval list, even for a manual request', async () => {
    const pls = foreignPls({ visibility: ['*'], autoApproval: [w.e.subscriptionId] });
    await putAndPoll(w, `${rgPath()}/privateEndpoints/pe-listed`, endpointBody(alias(pls), 'manual', { requestMessage: 'hi' }));
    assert.equal((await net.privateEndpoints.get('rg', 'pe-listed')).manualPrivateLinkServiceConnections![0]!.privateLinkServiceConnectionState?.status, 'Approved');
  });

  it('deleting an endpoint removes its NIC and its connection on the target', async () => {
    const account = w.e.seed.storageAccount('rg', 'stdelete');
    await putAndPoll(w, `${rgPath()}/privateEndpoints/pe-gone`, endpointBody(account.id, 'manual', { groupIds: ['blob'] }));
    const nicId = (await net.privateEndpoints.get('rg', 'pe-gone')).networkInterfaces![0]!.id!;
    assert.ok(w.e.store.get(nicId));
    const res = await fetchArm(w, 'DELETE', `${rgPath()}/privateEndpoints/pe-gone?api-version=2025-05-01`);
    assert.equal(res.status, 202);
    for (let i = 0; i < 100 && w.e.store.get(nicId); i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(w.e.store.get(nicId), undefined);
    assert.deepEqual(targetConnections(account.id, 'Microsoft.Storage/storageAccounts'), []);
  });
});

describe('ARM private DNS zones and A records', () => {
  let w: Awaited<ReturnType<typeof world>>;
  before(async () => (w = await world()));
  after(() => w.e.stop());
  const zonePath = () => `/subscriptions/${w.e.subscriptionId}/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/privatelink.contoso.internal`;
  const put = (name: string, ip: string, headers: Record<string, string> = {}) =>
    fetchArm(w, 'PUT', `${zonePath()}/A/${name}?api-version=2024-06-01`, { properties: { ttl: 300, aRecords: [{ ipv4Address: ip }] } }, headers);

  it('needs the zone (ParentResourceNotFound), creates with If-None-Match: *, updates only with the current etag', async () => {
    const missing = await put('app', '10.5.1.4');
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as Json).error.code, 'ParentResourceNotFound');
    w.e.seed.privateDnsZone('rg', 'privatelink.contoso.internal');
    const created = await put('App', '10.5.1.4', { 'if-none-match': '*' });
    assert.equal(created.status, 201);
    const body = (await created.json()) as Json;
    assert.deepEqual([body.name, body.type, body.properties.fqdn, body.properties.aRecords], ['app', 'Microsoft.Network/privateDnsZones/A', 'app.privatelink.contoso.internal.', [{ ipv4Address: '10.5.1.4' }]]);
    assert.equal(body.properties.provisioningState, undefined, 'a record set has no provisioningState');
    assert.equal((await put('app', '10.5.1.9', { 'if-none-match': '*' })).status, 412);
    assert.equal((await put('app', '10.5.1.9', { 'if-match': 'W/"stale"' })).status, 412);
    const updated = await put('app', '10.5.1.9', { 'if-match': String(created.headers.etag) });
    assert.equal(updated.status, 200);
    const got = await fetchArm(w, 'GET', `${zonePath()}/A/app?api-version=2024-06-01`);
    assert.deepEqual(((await got.json()) as Json).properties.aRecords, [{ ipv4Address: '10.5.1.9' }]);
    const bad = await put('bad', '10.5.1.300');
    assert.equal(bad.status, 400);
  });
});
