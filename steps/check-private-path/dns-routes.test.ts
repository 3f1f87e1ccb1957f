import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dnsFindings, routeFindings, routeFor } from './dns-routes';
import { healthyWorld } from './fixture';

const ids = (fs: { id: string; severity: string }[]) => fs.map((f) => `${f.severity} ${f.id}`);
const table = (routes: { name: string; addressPrefix: string; nextHopType: string; nextHopIpAddress?: string }[]) => ({ id: '/rt', name: 'web-rt', routes });

test('the longest prefix wins', () => {
  const routes = [
    { name: 'all', addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.224.9.4' },
    { name: 'aks', addressPrefix: '10.224.0.0/16', nextHopType: 'VnetLocal' },
  ];
  assert.equal(routeFor(routes, '10.224.0.50')?.name, 'aks');
  assert.equal(routeFor(routes, '10.230.0.1')?.name, 'all');
  assert.equal(routeFor([], '10.224.0.50'), undefined);
});

test('a route sending the DNS IP to an appliance warns, to None fails, to VnetLocal passes', () => {
  const via = (nextHopType: string) => ids(routeFindings(healthyWorld((w) => { w.routeTable = table([{ name: 'r', addressPrefix: '10.224.0.0/16', nextHopType, nextHopIpAddress: '10.224.9.4' }]); w.webapp.routeAll = true; })));
  assert.deepEqual(via('VirtualAppliance'), ['warning route-diverts-cluster-traffic']);
  assert.deepEqual(via('None'), ['error route-diverts-cluster-traffic']);
  assert.deepEqual(via('VnetLocal'), []);
  const msg = routeFindings(healthyWorld((w) => { w.routeTable = table([{ name: 'fw', addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.224.9.4' }]); w.webapp.routeAll = true; }))[0]!.message;
  assert.match(msg, /sends traffic for 10\.224\.0\.50 \(route 'fw', 0\.0\.0\.0\/0\) to VirtualAppliance 10\.224\.9\.4, not straight into the VNet \(route-all is on/);
});

test('custom DNS servers on the VNet, and linked private zones equal to or above the zone', () => {
  assert.deepEqual(dnsFindings(healthyWorld()), []);
  assert.deepEqual(ids(dnsFindings(healthyWorld((w) => { w.vnet.dnsServers = ['10.1.0.4']; }))), ['warning vnet-custom-dns']);
  assert.deepEqual(dnsFindings(healthyWorld((w) => { w.vnet.dnsServers = ['10.224.0.50']; })), [], 'the VNet already resolves with the cluster DNS');
  assert.deepEqual(dnsFindings(healthyWorld((w) => { w.vnet.dnsServers = ['10.1.0.4']; w.webapp.dnsServers = ['10.224.0.50']; })), [], 'the site\'s own DNS servers win over the VNet\'s');
  const zones = (...names: string[]) => ids(dnsFindings(healthyWorld((w) => { w.linkedZones = names.map((name) => ({ id: `/z/${name}`, name })); })));
  assert.deepEqual(zones('svc.example.internal'), ['warning private-zone-shadows-zone']);
  assert.deepEqual(zones('example.internal'), ['warning private-zone-shadows-zone']);
  assert.deepEqual(zones('other.example.internal', 'ample.internal', 'privatelink.blob.core.windows.net'), []);
});
