import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatResourceId, parseResourceId, resolveResource } from './resource-id';

const SUB = '11111111-2222-4333-8444-555555555555';
const id = `/subscriptions/${SUB}/resourceGroups/rg-web/providers/Microsoft.Web/sites/app/slots/staging`;

test('parses and formats a resource ID, types and names in pairs', () => {
  const parsed = parseResourceId(`${id}/`, 'webapp');
  assert.deepEqual(parsed, { subscriptionId: SUB, resourceGroup: 'rg-web', provider: 'Microsoft.Web', types: ['sites', 'slots'], names: ['app', 'staging'] });
  assert.equal(formatResourceId(parsed), id);
});

test('refuses what is not an ID, or would address another resource than the one named', () => {
  const bad: [string, RegExp][] = [
    ['/subscriptions/not-a-guid/resourceGroups/rg/providers/P/t/n', /not a subscription GUID/],
    [`/subscriptions/${SUB}/providers/P/t/n`, /the resourceGroups segment is missing/],
    [`/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Web/sites`, /types and names must come in pairs/],
    [`${id}?api-version=1`, /segment 'staging\?api-version=1': it contains '\?'/],
    [`/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Web/sites/a%2Fb`, /it contains '%'/],
    [`/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Web/sites/..`, /relative path segment/],
    [`/subscriptions/${SUB}/resourceGroups/r g/providers/Microsoft.Web/sites/a`, /white space/],
  ];
  for (const [value, why] of bad) assert.throws(() => parseResourceId(value, 'x'), why, value);
});

test('a name with its resource group, or an ID of the expected type', () => {
  const options = { input: 'vnet', provider: 'Microsoft.Network', types: ['virtualNetworks'], resourceGroupInput: 'vnet-resource-group', subscriptionId: SUB };
  assert.deepEqual(resolveResource({ ...options, value: 'vnet-aks', resourceGroup: 'rg' }).names, ['vnet-aks']);
  assert.throws(() => resolveResource({ ...options, value: 'vnet-aks', resourceGroup: undefined }), /'vnet-resource-group' is not given/);
  assert.throws(() => resolveResource({ ...options, value: 'vnet aks', resourceGroup: 'rg' }), /not a valid name: it contains white space/);
  assert.throws(() => resolveResource({ ...options, value: 'vnet', resourceGroup: 'rg.' }), /not a valid resource group name/);
  assert.throws(() => resolveResource({ ...options, value: id, resourceGroup: 'rg' }), /is the ID of a Microsoft\.Web\/sites\/slots, not of a Microsoft\.Network\/virtualNetworks/);
});
