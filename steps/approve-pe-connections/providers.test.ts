import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROVIDERS, providerOf } from './providers';

test('one row per type, found in any case; unknown types have none', () => {
  assert.equal(new Set(PROVIDERS.map((r) => r.type.toLowerCase())).size, PROVIDERS.length);
  assert.equal(providerOf('microsoft.sql/SERVERS')?.type, 'Microsoft.Sql/servers');
  assert.equal(providerOf('Microsoft.Network/virtualNetworks'), undefined);
});

test('every row names a GA api-version and the azure-rest-api-specs file it was read from', () => {
  for (const row of PROVIDERS) {
    assert.match(row.apiVersion, /^\d{4}-\d{2}-\d{2}$/, row.type);
    assert.match(row.spec, /^specification\/[a-z-]+\/resource-manager\//, row.type);
    assert.ok(!row.spec.includes('/stable/') || row.spec.includes(`/stable/${row.apiVersion}/`), `${row.type}: the spec file is of the api-version called`);
  }
});

test('the README lists every row with its api-version and etag', async () => {
  const { readFile } = await import('node:fs/promises');
  const readme = await readFile(new URL('../../actions/approve-pe-connections/README.md', import.meta.url), 'utf8');
  for (const row of PROVIDERS) {
    // The provider table's row (the first table names some types too, in two columns).
    const line = readme.split('\n').find((l) => l.startsWith(`| \`${row.type}\` |`) && l.split('|').length === 8);
    assert.ok(line, `README row for ${row.type}`);
    assert.ok(line.includes(`| ${row.apiVersion} |`), `${row.type}: api-version ${row.apiVersion} in the README`);
    assert.ok(line.includes(row.etag ? '| yes |' : '| no |'), `${row.type}: etag ${row.etag ? 'yes' : 'no'} in the README`);
  }
});
