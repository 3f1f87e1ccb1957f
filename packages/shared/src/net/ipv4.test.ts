import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addressKind, privateFrontendProblem } from './ipv4';

test('addressKind follows the special-purpose ranges', () => {
  const cases: [string, ReturnType<typeof addressKind>][] = [
    ['0.0.0.0', 'unspecified'],
    ['127.0.0.1', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['224.0.0.251', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['10.224.0.4', 'private'],
    ['172.16.0.1', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.7.7', 'private'],
    ['100.64.0.1', 'private'],
    ['168.63.129.16', 'public'],
    ['20.50.1.1', 'public'],
  ];
  for (const [ip, kind] of cases) assert.equal(addressKind(ip), kind, ip);
});

test('an internal frontend IP must be private', () => {
  assert.equal(privateFrontendProblem('10.0.0.5'), undefined);
  assert.match(privateFrontendProblem('8.8.8.8')!, /public address/);
  assert.match(privateFrontendProblem('127.0.0.1')!, /loopback address, which no subnet hands out/);
});
