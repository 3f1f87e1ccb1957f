import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseIpv4Cidr, type Ipv4Cidr } from '@private-wire/shared/net/ipv4';
import { healthyWorld } from './fixture';
import { DEFAULT_OUTBOUND_RULES, evaluateOutbound, nsgFindings } from './nsg';
import type { Nsg, NsgRule } from './world';

const cidr = (t: string) => parseIpv4Cidr(t)!;
const SOURCE: Ipv4Cidr[] = [cidr('10.225.0.0/26')];
const SPACE: Ipv4Cidr[] = [cidr('10.224.0.0/12')];
const rule = (r: Partial<NsgRule> & Pick<NsgRule, 'name' | 'priority' | 'access'>): NsgRule => ({ direction: 'Outbound', protocol: '*', sourcePrefixes: ['*'], destinationPrefixes: ['*'], destinationPorts: ['*'], ...r });
const nsg = (rules: NsgRule[], defaults: NsgRule[] = [...DEFAULT_OUTBOUND_RULES]): Nsg => ({ id: '/nsg', name: 'web-nsg', rules, defaultRules: defaults });
const verdict = (n: Nsg, destination: string, port = 53, protocol: 'Tcp' | 'Udp' = 'Udp') => {
  const v = evaluateOutbound(n, { source: SOURCE, destination, port, protocol }, SPACE);
  return `${v.access} ${v.rule.name}`;
};

test('the default rules: VNet traffic allowed by AllowVnetOutBound, private space outside the VNet denied by DenyAllOutBound, public allowed by AllowInternetOutBound', () => {
  assert.equal(verdict(nsg([]), '10.224.0.50'), 'Allow AllowVnetOutBound');
  assert.equal(verdict(nsg([]), '192.168.1.1'), 'Deny DenyAllOutBound');
  assert.equal(verdict(nsg([]), '20.50.1.1'), 'Allow AllowInternetOutBound');
  assert.equal(verdict(nsg([], []), '10.224.0.50'), 'Allow AllowVnetOutBound', 'defaults missing from the read: the documented ones apply');
});

test('the lowest priority number wins; protocol, port and destination must all match; inbound rules never apply', () => {
  const denyDns = rule({ name: 'deny-dns', priority: 200, access: 'Deny', protocol: 'Udp', destinationPorts: ['53'] });
  const allowDns = rule({ name: 'allow-dns', priority: 100, access: 'Allow', protocol: 'Udp', destinationPrefixes: ['10.224.0.50'], destinationPorts: ['50-60'] });
  assert.equal(verdict(nsg([denyDns]), '10.224.0.50'), 'Deny deny-dns');
  assert.equal(verdict(nsg([denyDns]), '10.224.0.50', 53, 'Tcp'), 'Allow AllowVnetOutBound', 'a UDP rule does not match TCP');
  assert.equal(verdict(nsg([denyDns]), '10.224.0.50', 443), 'Allow AllowVnetOutBound', 'another port');
  assert.equal(verdict(nsg([denyDns, allowDns]), '10.224.0.50'), 'Allow allow-dns');
  assert.equal(verdict(nsg([denyDns, allowDns]), '10.224.0.51'), 'Deny deny-dns', 'the allow names one address only');
  assert.equal(verdict(nsg([rule({ name: 'in', priority: 100, access: 'Deny', direction: 'Inbound' })]), '10.224.0.50'), 'Allow AllowVnetOutBound');
  const denyVnet = rule({ name: 'deny-vnet', priority: 4000, access: 'Deny', destinationPrefixes: ['VirtualNetwork'] });
  assert.equal(verdict(nsg([denyVnet]), '10.224.0.50'), 'Deny deny-vnet');
  assert.equal(verdict(nsg([denyVnet]), '20.50.1.1'), 'Allow AllowInternetOutBound', 'a public address is not in the VirtualNetwork tag');
});

test('a source prefix matches only when it covers the whole integration subnet', () => {
  const part = rule({ name: 'part', priority: 100, access: 'Deny', sourcePrefixes: ['10.225.0.0/27'] });
  const whole = rule({ name: 'whole', priority: 100, access: 'Deny', sourcePrefixes: ['10.225.0.0/24'] });
  assert.equal(verdict(nsg([part]), '10.224.0.50'), 'Allow AllowVnetOutBound');
  assert.equal(verdict(nsg([whole]), '10.224.0.50'), 'Deny whole');
});

test('nsg-blocks-dns names the protocol, the rule and its priority', () => {
  const w = healthyWorld((x) => { x.nsg = nsg([rule({ name: 'deny-53', priority: 300, access: 'Deny', protocol: '*', destinationPorts: ['53'] })]); });
  const found = nsgFindings(w, SOURCE);
  assert.deepEqual(found.map((f) => f.id), ['nsg-blocks-dns', 'nsg-blocks-dns']);
  assert.match(found[0]!.message, /denies DNS \(53\/UDP\) from the web app to 10\.224\.0\.50: rule 'deny-53' \(priority 300\) matches first/);
  assert.match(found[1]!.message, /53\/TCP/);
  assert.match(found[0]!.fix, /priority lower than 300/);
  assert.deepEqual(nsgFindings(healthyWorld((x) => { x.nsg = nsg([]); }), SOURCE), []);
  assert.deepEqual(nsgFindings(healthyWorld((x) => { x.nsg = nsg([]); x.dnsIp = '172.16.0.10'; }), SOURCE).map((f) => f.id), ['nsg-blocks-dns', 'nsg-blocks-dns'], 'outside the VNet: DenyAllOutBound');
});
