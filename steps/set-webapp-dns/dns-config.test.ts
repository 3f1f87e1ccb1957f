import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appSettingValues, changedSettings, describe as describeValues, dnsConfigurationPatch, propertyValues, sameValues, withDnsSettings } from './dns-config';

test('the two mechanisms read the same way', () => {
  const site = { properties: { dnsConfiguration: { dnsServers: ['10.0.0.10', '10.0.0.11'], dnsAltServer: '10.0.0.12', dnsLegacySortOrder: false } } };
  assert.deepEqual(propertyValues(site), { servers: ['10.0.0.10', '10.0.0.11'], alt: '10.0.0.12' });
  assert.deepEqual(propertyValues({}), { servers: [], alt: undefined });
  assert.deepEqual(appSettingValues({ WEBSITE_DNS_SERVER: '10.0.0.10', OTHER: 'x' }), { servers: ['10.0.0.10'], alt: undefined });
  assert.deepEqual(appSettingValues({ WEBSITE_DNS_SERVER: '10.0.0.10,10.0.0.11,168.63.129.16', WEBSITE_DNS_ALT_SERVER: '10.0.0.12' }), { servers: ['10.0.0.10', '10.0.0.11', '168.63.129.16'], alt: '10.0.0.12' });
  assert.equal(describeValues({ servers: [], alt: undefined }), '(none)');
  assert.equal(describeValues({ servers: ['a', 'b'], alt: 'c' }), 'a, b; alt c');
  assert.ok(sameValues({ servers: ['a'] }, { servers: ['a'], alt: '' }));
  assert.ok(!sameValues({ servers: ['a', 'b'] }, { servers: ['b', 'a'] }), 'order is preference');
});

test('the dnsConfiguration PATCH keeps the retry and cache settings, never the read-only one', () => {
  const site = { properties: { httpsOnly: true, dnsConfiguration: { dnsServers: ['1.1.1.1'], dnsRetryAttemptCount: 2, dnsLegacySortOrder: true } } };
  assert.deepEqual(dnsConfigurationPatch(site, { servers: ['10.0.0.10'], alt: '10.0.0.11' }), {
    properties: { dnsConfiguration: { dnsServers: ['10.0.0.10'], dnsRetryAttemptCount: 2, dnsAltServer: '10.0.0.11' } },
  });
});

test('WEBSITE_DNS_SERVER: several servers comma-separated without blanks; a value with blanks reads as different, so it is rewritten', () => {
  const wanted = { servers: ['10.0.0.10', '10.0.0.11'] };
  assert.deepEqual(withDnsSettings({ A: '1' }, wanted), { A: '1', WEBSITE_DNS_SERVER: '10.0.0.10,10.0.0.11' });
  assert.ok(sameValues(appSettingValues({ WEBSITE_DNS_SERVER: '10.0.0.10,10.0.0.11' }), wanted), 'a second run writes nothing');
  for (const blanks of ['10.0.0.10, 10.0.0.11', ' 10.0.0.10,10.0.0.11', '10.0.0.10,10.0.0.11 ']) {
    assert.ok(!sameValues(appSettingValues({ WEBSITE_DNS_SERVER: blanks }), wanted), JSON.stringify(blanks));
  }
});

test('app settings: only our two change; what changed since the plan is named', () => {
  const current = { A: '1', WEBSITE_DNS_SERVER: '10.9.9.9' };
  assert.deepEqual(withDnsSettings(current, { servers: ['10.0.0.10'] }), { A: '1', WEBSITE_DNS_SERVER: '10.0.0.10' });
  assert.deepEqual(withDnsSettings(current, { servers: ['10.0.0.10'], alt: '10.0.0.11' }), { A: '1', WEBSITE_DNS_SERVER: '10.0.0.10', WEBSITE_DNS_ALT_SERVER: '10.0.0.11' });
  assert.deepEqual(changedSettings({ A: '1', B: '2' }, { A: '1', B: '3', C: '4' }), ['B', 'C']);
  assert.deepEqual(changedSettings({ A: '1', D: '0' }, { A: '1' }), ['D']);
});
