import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NetworkManagementClient } from '@azure/arm-network';
import { armCode, armOptions, fetchArm, putAndPoll, world } from './helpers';

describe('ARM Microsoft.Network through @azure/arm-network', () => {
  let w: Awaited<ReturnType<typeof world>>;
  let net: NetworkManagementClient;
  before(async () => {
    w = await world();
    net = new NetworkManagementClient(w.credential, w.e.subscriptionId, armOptions(w.e));
  });
  after(() => w.e.stop());

  // @azure/arm-network 36 declares @azure/core-lro ^2 but the workspace overrides it to 3.3.1,
  // whose poller cannot read arm-network's responses; so network writes here go over raw HTTP
  // (which also pins the LRO protocol itself) and the SDK is used for reads and sync calls.
  const rgPath = () => `/subscriptions/${w.e.subscriptionId}/resourceGroups/rg/providers/Microsoft.Network`;

  it('creates a VNet and subnets as long-running operations, with provisioningState transitions', async () => {
    const created = await putAndPoll(w, `${rgPath()}/virtualNetworks/vnet`, { location: 'westeurope', properties: { addressSpace: { addressPrefixes: ['10.10.0.0/16'] } } });
    assert.equal(created.initial.status, 201);
    assert.match(String(created.initial.headers['azure-asyncoperation']), /\/providers\/Microsoft.Network\/locations\/westeurope\/operations\//);
    assert.equal((created.initial.body as { properties: { provisioningState: string } }).properties.provisioningState, 'Creating');
    assert.equal(created.final.status, 'Succeeded');
    const subnet = await putAndPoll(w, `${rgPath()}/virtualNetworks/vnet/subnets/apps`, { properties: { addressPrefix: '10.10.1.0/24', delegations: [{ name: 'web', properties: { serviceName: 'Microsoft.Web/serverFarms' } }] } });
    assert.equal(subnet.final.status, 'Succeeded');
    const got = await net.subnets.get('rg', 'vnet', 'apps');
    assert.equal(got.provisioningState, 'Succeeded');
    assert.equal(got.addressPrefix, '10.10.1.0/24');
    assert.equal(got.delegations?.[0]?.serviceName, 'Microsoft.Web/serverFarms');
    const vnet = await net.virtualNetworks.get('rg', 'vnet');
    assert.deepEqual(vnet.subnets?.map((s) => s.name), ['apps']);
  });

  it('rejects subnets outside the VNet, overlapping, or with host bits set', async () => {
    const code = async (name: string, prefix: string) => ((await fetchArm(w, 'PUT', `${rgPath()}/virtualNetworks/vnet/subnets/${name}?api-version=2024-05-01`, { properties: { addressPrefix: prefix } })).json() as Promise<{ error: { code: string } }>).then((b) => b.error.code);
    assert.equal(await code('out', '10.20.0.0/24'), 'NetcfgSubnetRangeOutsideVnet');
    assert.equal(await code('dup', '10.10.1.128/25'), 'NetcfgSubnetRangesOverlap');
    assert.equal(await code('bits', '10.10.2.1/24'), 'InvalidCIDRNotation');
    assert.equal(w.e.store.children(`/subscriptions/${w.e.subscriptionId}/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet`).length, 1);
  });

  it('answers 404 ResourceNotFound / ResourceGroupNotFound', async () => {
    assert.equal(await armCode(net.virtualNetworks.get('rg', 'nope')), 'ResourceNotFound');
    assert.equal(await armCode(net.virtualNetworks.get('nope-rg', 'nope')), 'ResourceGroupNotFound');
  });

  it('honours If-Match with 412 on a stale etag', async () => {
    const subnet = await net.subnets.get('rg', 'vnet', 'apps');
    const res = await fetchArm(w, 'PUT', `${subnet.id}?api-version=2024-05-01`, { properties: { addressPrefix: '10.10.1.0/24', delegations: subnet.delegations?.map((d) => ({ name: d.name, properties: { serviceName: d.serviceName } })) } }, { 'if-match': 'W/"stale"' });
    assert.equal(res.status, 412);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'PreconditionFailed');
    const ok = await fetchArm(w, 'PUT', `${subnet.id}?api-version=2024-05-01`, { properties: { addressPrefix: '10.10.1.0/24', delegations: subnet.delegations?.map((d) => ({ name: d.name, properties: { serviceName: d.serviceName } })) } }, { 'if-match': subnet.etag! });
    assert.equal(ok.status, 200);
  });

  it('approves a pending private endpoint connection on a Private Link Service', async () => {
    const { subnets } = w.e.seed.vnet('rg', 'aks-vnet', { addressPrefixes: ['10.1.0.0/16'], subnets: [{ name: 'pls', addressPrefix: '10.1.2.0/24', privateLinkServiceNetworkPolicies: 'Disabled' }] });
    const pls = w.e.seed.privateLinkService('rg', 'pls-ingress', { subnetId: subnets[0]!.id });
    const { endpoint } = w.e.seed.privateEndpointRequest(pls.id, { requestMessage: 'from app' });
    const list = [];
    for await (const c of net.privateLinkServices.listPrivateEndpointConnections('rg', 'pls-ingress')) list.push(c);
    assert.equal(list.length, 1);
    assert.equal(list[0]!.privateLinkServiceConnectionState?.status, 'Pending');
    const updated = await net.privateLinkServices.updatePrivateEndpointConnection('rg', 'pls-ingress', list[0]!.name!, {
      ...list[0]!,
      privateLinkServiceConnectionState: { status: 'Approved', description: 'ok by pipeline' },
    });
    assert.equal(updated.privateLinkServiceConnectionState?.status, 'Approved');
    const plsAfter = await net.privateLinkServices.get('rg', 'pls-ingress');
    assert.equal(plsAfter.privateEndpointConnections?.[0]?.privateLinkServiceConnectionState?.status, 'Approved');
    assert.equal(w.e.store.get(endpoint.id)?.type, 'Microsoft.Network/privateEndpoints');
  });

  it('creating a private endpoint adds a Pending manual connection on the target', async () => {
    const { subnets } = w.e.seed.vnet('rg', 'app-vnet', { addressPrefixes: ['10.2.0.0/16'], subnets: [{ name: 'pe', addressPrefix: '10.2.0.0/24' }] });
    const plsId = `/subscriptions/${w.e.subscriptionId}/resourceGroups/rg/providers/Microsoft.Network/privateLinkServices/pls-ingress`;
    await putAndPoll(w, `${rgPath()}/privateEndpoints/pe-app`, {
      location: 'westeurope',
      properties: { subnet: { id: subnets[0]!.id }, manualPrivateLinkServiceConnections: [{ name: 'c', properties: { privateLinkServiceId: plsId, requestMessage: 'please' } }] },
    });
    const pe = await net.privateEndpoints.get('rg', 'pe-app');
    assert.equal(pe.manualPrivateLinkServiceConnections?.[0]?.privateLinkServiceConnectionState?.status, 'Pending');
    const conns = w.e.store.children(plsId, 'Microsoft.Network/privateLinkServices/privateEndpointConnections');
    assert.ok(conns.some((c) => (c.properties?.privateEndpoint as { id: string }).id === pe.id));
    const del = await fetchArm(w, 'DELETE', `${rgPath()}/virtualNetworks/app-vnet/subnets/pe?api-version=2024-05-01`);
    assert.equal(del.status, 400);
    assert.equal(((await del.json()) as { error: { code: string } }).error.code, 'InUseSubnetCannotBeDeleted');
  });

  it('shows virtual network peerings on the VNet: Initiated from one side, Connected from both, Disconnected when the remote VNet is gone', async () => {
    const hub = w.e.seed.vnet('rg', 'peer-hub', { addressPrefixes: ['10.40.0.0/16'] }).vnet;
    const spoke = w.e.seed.vnet('rg', 'peer-spoke', { addressPrefixes: ['10.41.0.0/16', '10.42.0.0/24'] }).vnet;
    w.e.seed.vnetPeering(hub.id, 'hub-to-spoke', spoke.id);
    const one = (await net.virtualNetworks.get('rg', 'peer-hub')).virtualNetworkPeerings ?? [];
    assert.deepEqual(one.map((p) => [p.name, p.peeringState, p.remoteVirtualNetwork?.id, p.remoteAddressSpace?.addressPrefixes, p.allowVirtualNetworkAccess]), [['hub-to-spoke', 'Initiated', spoke.id, ['10.41.0.0/16', '10.42.0.0/24'], true]]);
    w.e.seed.vnetPeering(spoke.id, 'spoke-to-hub', hub.id);
    assert.equal((await net.virtualNetworks.get('rg', 'peer-hub')).virtualNetworkPeerings?.[0]?.peeringState, 'Connected');
    assert.equal((await net.virtualNetworks.get('rg', 'peer-spoke')).virtualNetworkPeerings?.[0]?.peeringState, 'Connected');
    w.e.store.delete(spoke.id);
    assert.equal((await net.virtualNetworks.get('rg', 'peer-hub')).virtualNetworkPeerings?.[0]?.peeringState, 'Disconnected');
  });

  it('requires api-version and a valid bearer token', async () => {
    const base = w.e.urls.arm;
    const noVersion = await fetchArm(w, 'GET', `/subscriptions/${w.e.subscriptionId}/resourceGroups/rg`);
    assert.equal(noVersion.status, 400);
    assert.equal(((await noVersion.json()) as { error: { code: string } }).error.code, 'MissingApiVersionParameter');
    const anon = await fetchArm(w, 'GET', `/subscriptions/${w.e.subscriptionId}/resourceGroups/rg?api-version=2021-04-01`, undefined, {}, null);
    assert.equal(anon.status, 401);
    assert.equal(((await anon.json()) as { error: { code: string } }).error.code, 'AuthenticationFailed');
    const wrongAud = w.e.issueAccessToken({ appId: 'x', objectId: 'y' }, 'https://vault.azure.net');
    const bad = await fetchArm(w, 'GET', `/subscriptions/${w.e.subscriptionId}/resourceGroups/rg?api-version=2021-04-01`, undefined, {}, wrongAud);
    assert.equal(bad.status, 401);
    assert.equal(((await bad.json()) as { error: { code: string } }).error.code, 'InvalidAuthenticationTokenAudience');
    assert.ok(base.startsWith('https://'));
  });
});

