import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dnsFindings, routeFindings, routeFor, webAppDnsFindings } from './dns-routes';
import { healthyWorld } from './fixture';
import type { World } from './world';

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

test('the web app\'s own DNS: the property and the app settings disagreeing, or not including the DNS IP', () => {
  const app = (change: (w: World) => void) => healthyWorld((w) => { w.webapp.appSettingDns = { servers: [] }; change(w); });
  assert.deepEqual(webAppDnsFindings(app(() => {})), []);
  assert.deepEqual(webAppDnsFindings(app((w) => { w.webapp.dnsServers = ['10.224.0.50']; w.webapp.appSettingDns = { servers: ['10.224.0.50'] }; })), [], 'both the same');
  const disagree = webAppDnsFindings(app((w) => { w.webapp.dnsServers = ['10.224.0.50']; w.webapp.appSettingDns = { servers: ['10.9.9.9'], alt: '168.63.129.16' }; }));
  assert.deepEqual(ids(disagree), ['warning webapp-dns-settings-disagree']);
  assert.match(disagree[0]!.message, /dnsConfiguration property \(10\.224\.0\.50\) and different ones in its WEBSITE_DNS_SERVER \/ WEBSITE_DNS_ALT_SERVER app settings \(10\.9\.9\.9; alt 168\.63\.129\.16\)/);
  assert.deepEqual(ids(webAppDnsFindings(app((w) => { w.webapp.dnsServers = ['10.224.0.50']; w.webapp.dnsAltServer = '1.1.1.1'; w.webapp.appSettingDns = { servers: ['10.224.0.50'] }; }))), ['warning webapp-dns-settings-disagree'], 'the alternate server counts');
  const setting = webAppDnsFindings(app((w) => { w.webapp.appSettingDns = { servers: ['10.9.9.9'] }; }));
  assert.deepEqual(ids(setting), ['warning webapp-dns-not-dns-ip']);
  assert.match(setting[0]!.message, /resolves with its own DNS servers \(10\.9\.9\.9, from its WEBSITE_DNS_SERVER app setting\), which do not include the DNS IP 10\.224\.0\.50/);
  assert.deepEqual(ids(webAppDnsFindings(healthyWorld((w) => { w.webapp.appSettingDns = undefined; }))), ['info webapp-app-settings-not-read']);
});

test('vnet-custom-dns: the WEBSITE_DNS_SERVER app setting counts as the app\'s own DNS too', () => {
  const w = healthyWorld((x) => { x.vnet.dnsServers = ['10.1.0.4']; x.webapp.appSettingDns = { servers: ['10.224.0.50'] }; });
  assert.deepEqual(dnsFindings(w), []);
});
