import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseTarget, sameTarget, targetReference } from './target';

const names = { target: 'target', groupId: 'group-id' };
const SUB = '11111111-2222-4333-8444-555555555555';
const ALIAS = 'pls-shop.0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9.westeurope.azure.privatelinkservice';
const PLS_ID = `/subscriptions/${SUB}/resourceGroups/mc_rg/providers/Microsoft.Network/privateLinkServices/pls-shop`;
const STORAGE_ID = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stshop`;

describe('target (no I/O)', () => {
  test('an alias (with or without its region part) keeps its text; the service name is its first part', () => {
    const t = parseTarget(ALIAS, undefined, names);
    assert.deepEqual(t, { kind: 'alias', alias: ALIAS, serviceName: 'pls-shop' });
    const old = parseTarget('my.pls.0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9.azure.privatelinkservice', undefined, names);
    assert.equal(old.kind === 'alias' && old.serviceName, 'my.pls');
    assert.equal(targetReference(t), ALIAS);
  });

  test('neither alias nor ID, a child resource ID, or a broken ID are refused naming the input', () => {
    assert.throws(() => parseTarget('pls-shop.westeurope.azure.privatelinkservice', undefined, names), /Input 'target' is 'pls-shop\.westeurope\.azure\.privatelinkservice', which is neither a Private Link Service alias nor a resource ID/);
    assert.throws(() => parseTarget(`${STORAGE_ID}/blobServices/default`, 'blob', names), /a child resource/);
    assert.throws(() => parseTarget('/subscriptions/x/resourceGroups/rg', undefined, names), /not a valid resource ID/);
  });

  test('group-id: none for a Private Link Service or alias, required and well-formed for any other resource', () => {
    assert.equal(parseTarget(PLS_ID, undefined, names).kind, 'resource');
    assert.throws(() => parseTarget(PLS_ID, 'sites', names), /Input 'group-id' is 'sites', but 'target' is a Private Link Service, which has no sub-resources/);
    assert.throws(() => parseTarget(ALIAS, 'x', names), /Private Link Service alias/);
    assert.throws(() => parseTarget(STORAGE_ID, undefined, { target: 'target', groupId: 'groupId' }), /Input 'groupId' is empty, but 'target' is a Microsoft\.Storage\/storageAccounts/);
    assert.throws(() => parseTarget(STORAGE_ID, 'blob/x', names), /not a sub-resource name/);
    const t = parseTarget(`${STORAGE_ID}/`, 'blob', names);
    assert.equal(targetReference(t), STORAGE_ID, 'a trailing slash is dropped');
  });

  test('sameTarget: the reference as ARM keeps it (case-insensitive) and the same sub-resource', () => {
    const storage = parseTarget(STORAGE_ID, 'blob', names);
    assert.ok(sameTarget(storage, 'blob', { privateLinkServiceId: STORAGE_ID.toLowerCase(), groupIds: ['Blob'] }));
    assert.ok(!sameTarget(storage, 'blob', { privateLinkServiceId: STORAGE_ID, groupIds: ['file'] }));
    assert.ok(!sameTarget(storage, 'blob', { privateLinkServiceId: STORAGE_ID.replace('stshop', 'stother'), groupIds: ['blob'] }));
    const alias = parseTarget(ALIAS, undefined, names);
    assert.ok(sameTarget(alias, undefined, { privateLinkServiceId: ALIAS.toUpperCase(), groupIds: [] }));
    assert.ok(!sameTarget(alias, undefined, { privateLinkServiceId: PLS_ID }), 'an ID is not the alias: the step cannot tell they are the same service');
    assert.ok(!sameTarget(alias, undefined, {}));
  });
});
