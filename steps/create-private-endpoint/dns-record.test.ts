import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkRecordName, checkZoneName, recordChange } from './dns-record';

describe('A record (no I/O)', () => {
  test('zone and record names', () => {
    checkZoneName('privatelink.blob.core.windows.net', 'dns-zone');
    assert.throws(() => checkZoneName('localhost', 'dns-zone'), /Input 'dns-zone' is 'localhost', which is not a private DNS zone name/);
    assert.throws(() => checkZoneName('contoso.internal.', 'dnsZone'), /Input 'dnsZone'/);
    assert.throws(() => checkZoneName('-bad.internal', 'dns-zone'), /not a private DNS zone name/);
    for (const ok of ['@', 'api', 'api.v2', 'st_shop', '*']) checkRecordName(ok, 'dns-record');
    for (const bad of ['', 'a..b', 'has space', 'x'.repeat(64), 'end-']) assert.throws(() => checkRecordName(bad, 'dns-record'), /which is not a DNS record name/);
  });

  test('written only when it does not point at exactly the IP; an update is conditioned on the etag read', () => {
    assert.deepEqual(recordChange(undefined, '10.0.0.4'), { action: 'create' });
    assert.deepEqual(recordChange({ etag: 'e1', addresses: ['10.0.0.4'] }, '10.0.0.4'), { action: 'none' });
    assert.deepEqual(recordChange({ etag: 'e1', addresses: ['10.0.0.9'] }, '10.0.0.4'), { action: 'update', before: '10.0.0.9', etag: 'e1' });
    assert.deepEqual(recordChange({ etag: 'e2', addresses: ['10.0.0.4', '10.0.0.5'] }, '10.0.0.4'), { action: 'update', before: '10.0.0.4, 10.0.0.5', etag: 'e2' });
    assert.deepEqual(recordChange({ addresses: [] }, '10.0.0.4'), { action: 'update', before: '(no address)', etag: undefined });
  });
});
