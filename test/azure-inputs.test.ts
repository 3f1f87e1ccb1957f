// Resource arguments (name + resource group, or a full ID) and Azure environments.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { resolveEnvironment } from '../packages/shared/src/azure/environment';
import { formatResourceId, parseResourceId, resolveResource } from '../packages/shared/src/azure/resource-id';

const SUB = '0b1f6471-1bf0-4dda-aec3-cb9272f09590';
const SITE_ID = `/subscriptions/${SUB}/resourceGroups/rg-web/providers/Microsoft.Web/sites/app-1/slots/staging`;

describe('resource IDs', () => {
  test('parse into subscription, group, provider, types and names, and format back', () => {
    const id = parseResourceId(SITE_ID, 'webapp');
    assert.deepEqual(id, { subscriptionId: SUB, resourceGroup: 'rg-web', provider: 'Microsoft.Web', types: ['sites', 'slots'], names: ['app-1', 'staging'] });
    assert.equal(formatResourceId(id), SITE_ID);
  });

  for (const [bad, why] of [
    ['/subscription/x/resourceGroups/rg/providers/Microsoft.Web/sites/a', 'it must start with /subscriptions/'],
    [`/subscriptions/not-a-guid/resourceGroups/rg/providers/Microsoft.Web/sites/a`, "'not-a-guid' is not a subscription GUID"],
    [`/subscriptions/${SUB}/providers/Microsoft.Web/sites/a`, 'the resourceGroups segment is missing'],
    [`/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Web/sites`, 'types and names must come in pairs'],
  ]) {
    test(`reject ${bad}`, () => {
      assert.throws(() => parseResourceId(bad!, 'vnet'), (e: Error) => e.message === `Input 'vnet' is '${bad}', which is not a valid resource ID: ${why}.`);
    });
  }

  const base = { provider: 'Microsoft.Web', types: ['sites'], resourceGroupInput: 'resource-group', subscriptionId: SUB, input: 'webapp' };

  test('a name needs the resource group; an ID does not', () => {
    assert.deepEqual(resolveResource({ ...base, value: 'app-1', resourceGroup: 'rg' }).names, ['app-1']);
    assert.throws(() => resolveResource({ ...base, value: 'app-1', resourceGroup: undefined }), /Input 'webapp' is the name 'app-1', but 'resource-group' is not given\./);
    const id = `/subscriptions/${SUB}/resourceGroups/other/providers/Microsoft.Web/sites/app-2`;
    assert.equal(resolveResource({ ...base, value: id, resourceGroup: undefined }).resourceGroup, 'other');
  });

  test('an ID of another type is refused, naming both types', () => {
    const vnet = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v`;
    assert.throws(() => resolveResource({ ...base, value: vnet, resourceGroup: 'rg' }), /is the ID of a Microsoft\.Network\/virtualNetworks, not of a Microsoft\.Web\/sites/);
  });

  test('a bad resource group name is refused', () => {
    assert.throws(() => resolveResource({ ...base, value: 'app', resourceGroup: 'rg with spaces' }), /Input 'resource-group' is 'rg with spaces', which is not a valid resource group name/);
  });
});

describe('environments', () => {
  test('public clouds carry their ARM endpoint, authority and scope', () => {
    assert.deepEqual(resolveEnvironment('AzureUSGovernment', {}), {
      name: 'AzureUSGovernment',
      resourceManagerEndpoint: 'https://management.usgovcloudapi.net/',
      authorityHost: 'https://login.microsoftonline.us/',
      armScope: 'https://management.usgovcloudapi.net/.default',
    });
  });

  test('Custom takes both endpoints and derives the scope from the ARM endpoint', () => {
    const env = resolveEnvironment('Custom', { resourceManagerEndpoint: 'https://127.0.0.1:8443', authorityHost: 'https://127.0.0.1:8443' });
    assert.equal(env.armScope, 'https://127.0.0.1:8443/.default');
    assert.throws(() => resolveEnvironment('Custom', { resourceManagerEndpoint: 'https://arm.local' }), /'authority-host' is not given/);
    assert.throws(
      () => resolveEnvironment('Custom', { resourceManagerEndpoint: 'http://arm.local', authorityHost: 'https://login.local' }),
      /Input 'resource-manager-endpoint' is 'http:\/\/arm.local', which is not https/,
    );
  });
});
