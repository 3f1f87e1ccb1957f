import assert from 'node:assert/strict';
import { test } from 'node:test';
import { targetFindings } from './address-plan';
import { healthyWorld, VNET_ID } from './fixture';
import { DEFAULT_OUTBOUND_RULES, nsgFindings } from './nsg';
import { nodeSubnetFindings, peeringFindings, placeOf, vnetTagSpace } from './reach';
import { integrationRanges } from './topology';
import type { PeeringView, World } from './world';

const ids = (fs: { id: string; severity: string }[]) => fs.map((f) => `${f.severity} ${f.id}`);
const AKS_VNET = VNET_ID.replace(/hub$/, 'aks-vnet');
const peering = (change: Partial<PeeringView> = {}): PeeringView => ({ name: 'hub-to-aks', remoteVnetId: AKS_VNET, state: 'Connected', allowAccess: true, remoteAddressSpace: ['10.250.0.0/16'], ...change });
const peered = (change: Partial<PeeringView> = {}, more: (w: World) => void = () => {}) =>
  healthyWorld((w) => {
    w.vnet.peerings = [peering(change)];
    w.dnsIp = '10.250.0.10';
    more(w);
  });

test('an address in a Connected peering is reachable: no target-outside-vnet, no peering finding', () => {
  const w = peered();
  assert.deepEqual(placeOf(w, '10.250.0.10'), { peering: w.vnet.peerings[0] });
  assert.deepEqual(targetFindings(w), []);
  assert.deepEqual(peeringFindings(w), []);
  assert.deepEqual(ids(targetFindings(healthyWorld((x) => { x.dnsIp = '10.250.0.10'; }))), ['warning target-outside-vnet'], 'without the peering it is outside');
});

test('the VirtualNetwork tag covers Connected peerings: DNS to a peered VNet passes the default rules', () => {
  const nsg = { id: '/nsg', name: 'nsg', rules: [], defaultRules: [...DEFAULT_OUTBOUND_RULES] };
  assert.deepEqual(nsgFindings(peered({}, (w) => { w.nsg = nsg; }), integrationRanges(healthyWorld())), []);
  assert.equal(vnetTagSpace(peered({ state: 'Initiated' })).length, 1, 'an Initiated peering adds nothing');
  assert.deepEqual(ids(nsgFindings(peered({ state: 'Initiated' }, (w) => { w.nsg = nsg; }), integrationRanges(healthyWorld()))), ['error nsg-blocks-dns', 'error nsg-blocks-dns']);
});

test('a peering not Connected: an error when it cuts the DNS IP off, else a warning', () => {
  const cut = peered({ state: 'Initiated' });
  assert.deepEqual(ids(peeringFindings(cut)), ['error peering-not-connected']);
  assert.match(peeringFindings(cut)[0]!.message, /Peering 'hub-to-aks' of virtual network 'hub' to 'aks-vnet' is Initiated, not Connected: no traffic flows through it, so 10\.250\.0\.10 cannot be reached\./);
  assert.match(peeringFindings(cut)[0]!.fix, /from 'aks-vnet' back to 'hub'/);
  assert.deepEqual(ids(targetFindings(cut)), ['warning target-outside-vnet']);
  assert.deepEqual(ids(peeringFindings(peered({ state: 'Disconnected' }, (w) => { w.dnsIp = '10.224.0.50'; }))), ['warning peering-not-connected']);
  assert.match(peeringFindings(peered({ allowAccess: false }))[0]!.message, /does not allow virtual network access/);
});

test('node subnets: the integration subnet overlapping one, and nodes in a VNet that is not peered', () => {
  assert.deepEqual(nodeSubnetFindings(healthyWorld()), [], 'nodes in the same VNet, another subnet');
  const same = healthyWorld((w) => { w.nodeSubnets = [{ id: `${VNET_ID}/subnets/web`, name: 'web', vnetId: VNET_ID, prefixes: ['10.225.0.0/26'] }]; });
  assert.deepEqual(ids(nodeSubnetFindings(same)), ['error subnet-overlaps-node-subnet']);
  assert.match(nodeSubnetFindings(same)[0]!.message, /overlaps node subnet 'web' \(10\.225\.0\.0\/26\) of cluster 'aks1'/);
  const elsewhere = (w: World) => { w.nodeSubnets = [{ id: `${AKS_VNET}/subnets/nodes`, name: 'nodes', vnetId: AKS_VNET, prefixes: ['10.250.0.0/16'] }]; };
  assert.deepEqual(ids(nodeSubnetFindings(healthyWorld(elsewhere))), ['error node-vnet-not-peered']);
  assert.match(nodeSubnetFindings(healthyWorld(elsewhere))[0]!.message, /subnet 'nodes' of virtual network 'aks-vnet', which is not 'hub' and not peered with it/);
  assert.deepEqual(nodeSubnetFindings(peered({}, elsewhere)), [], 'peered and Connected');
  assert.deepEqual(ids([...nodeSubnetFindings(peered({ state: 'Initiated' }, elsewhere)), ...peeringFindings(peered({ state: 'Initiated' }, (w) => { elsewhere(w); w.dnsIp = '10.224.0.50'; }))]), ['error peering-not-connected'], 'a broken peering to the nodes is one error, named as the peering');
});
