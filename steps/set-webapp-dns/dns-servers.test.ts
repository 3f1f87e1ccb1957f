import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dnsAddressProblem, dnsServerProblems } from './dns-servers';

const names = { dnsServer: 'dns-server', altDnsServer: 'alt-dns-server' };

test('a DNS server is a unicast IPv4 address; public resolvers and Azure DNS are fine', () => {
  for (const ok of ['10.0.0.10', '168.63.129.16', '8.8.8.8']) assert.equal(dnsAddressProblem(ok), undefined, ok);
  const bad: [string, RegExp][] = [
    ['10.0.0.10/32', /a CIDR range/],
    ['fd00::1', /not an IPv4 address/],
    ['10.0.0.256', /not a valid IPv4 address/],
    ['coredns.internal', /a host name/],
    ['127.0.0.53', /a loopback address/],
    ['224.0.0.251', /a multicast address/],
    ['169.254.169.254', /a link-local address/],
    ['0.0.0.0', /a unspecified address/],
    ['255.255.255.255', /a reserved address/],
  ];
  for (const [value, why] of bad) assert.match(dnsAddressProblem(value)!.why, why, value);
});

test('every problem of both inputs is reported at once', () => {
  const problems = dnsServerProblems(['10.0.0.10', '10.0.0.10', 'x.example'], '10.0.0.10', names);
  assert.deepEqual(
    problems.map((p) => p.message),
    [
      "Input 'dns-server' has 'x.example', which is a host name, not an IP address.",
      "Input 'dns-server' lists '10.0.0.10' more than once.",
      "Input 'alt-dns-server' is '10.0.0.10', which is also in 'dns-server'.",
    ],
  );
});

test('1 to 5 servers in either mode (WEBSITE_DNS_SERVER takes several too); a sixth is refused with the input, the value and the fix', () => {
  const five = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5'];
  assert.deepEqual(dnsServerProblems(five, undefined, names), []);
  assert.deepEqual(dnsServerProblems(five.slice(0, 3), '168.63.129.16', names), []);
  const [tooMany, ...rest] = dnsServerProblems([...five, '10.0.0.6'], undefined, names);
  assert.deepEqual(rest, []);
  assert.equal(tooMany!.message, "Input 'dns-server' has 6 addresses (10.0.0.1, 10.0.0.2, 10.0.0.3, 10.0.0.4, 10.0.0.5, 10.0.0.6), more than the 5 App Service accepts.");
  assert.match(tooMany!.toDisplayString(), /Give at most 5, in order of preference \('alt-dns-server' can add one more, as the last fallback\)\./);
});
