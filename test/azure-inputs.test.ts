// Resource arguments (name + resource group, or a full ID), Azure environments and the OIDC audience.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { armMetadataUrl, parseArmMetadata } from '../packages/shared/src/azure/arm-metadata';
import { TOKEN_EXCHANGE_AUDIENCES, metadataToRead, resolveEnvironment } from '../packages/shared/src/azure/environment';
import { azureInputs, azureSignInSettings } from '../packages/shared/src/azure/inputs';
import type { UserError } from '../packages/shared/src/errors';
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
  test('public clouds carry their ARM endpoint, authority, audience and scope', () => {
    assert.deepEqual(resolveEnvironment({ name: 'AzureUSGovernment' }), {
      name: 'AzureUSGovernment',
      resourceManagerEndpoint: 'https://management.usgovcloudapi.net/',
      authorityHost: 'https://login.microsoftonline.us/',
      armAudience: 'https://management.usgovcloudapi.net/',
      armScope: 'https://management.usgovcloudapi.net/.default',
      disableInstanceDiscovery: false,
    });
    assert.equal(metadataToRead({ name: 'AzureChinaCloud' }), undefined);
  });

  test('Custom with both endpoints asks ARM for nothing and derives the scope from the ARM endpoint', () => {
    const choice = { name: 'Custom', resourceManagerEndpoint: 'https://127.0.0.1:8443', authorityHost: 'https://127.0.0.1:8443' };
    assert.equal(metadataToRead(choice), undefined);
    const env = resolveEnvironment(choice);
    assert.equal(env.armScope, 'https://127.0.0.1:8443/.default');
    assert.equal(env.armAudience, 'https://127.0.0.1:8443/');
    assert.equal(env.tenant, undefined);
    assert.equal(env.disableInstanceDiscovery, true);
    assert.throws(() => metadataToRead({ name: 'Custom', authorityHost: 'https://login.local' }), /Input 'environment' is 'Custom', but 'resource-manager-endpoint' is not given\./);
    assert.throws(
      () => metadataToRead({ name: 'Custom', resourceManagerEndpoint: 'http://arm.local', authorityHost: 'https://login.local' }),
      /Input 'resource-manager-endpoint' is 'http:\/\/arm.local', which is not https/,
    );
    assert.throws(() => metadataToRead({ name: 'Custom', resourceManagerEndpoint: 'https://arm.local', authorityHost: 'login.local' }), /Input 'authority-host' is 'login.local', which is not a URL/);
    assert.throws(
      () => metadataToRead({ name: 'AzureGermanCloud' }),
      (e: UserError) => e.toDisplayString() === "Input 'environment' is 'AzureGermanCloud', which is not a known Azure cloud. Use one of: AzureCloud, AzureUSGovernment, AzureChinaCloud, Custom.",
    );
  });

  const STACK_AUDIENCE = 'https://management.contoso.onmicrosoft.com/4de154de-f8a8-4017-af41-df619da68155';

  test('Custom without authority-host learns the authority and the ARM audience from ARM metadata', () => {
    const choice = { name: 'Custom', resourceManagerEndpoint: 'https://management.local.azurestack.external' };
    assert.equal(metadataToRead(choice), 'https://management.local.azurestack.external/');
    assert.throws(() => resolveEnvironment(choice), /metadata .* is needed first/);
    const env = resolveEnvironment(choice, undefined, { loginEndpoint: 'https://login.microsoftonline.com/', audience: STACK_AUDIENCE });
    assert.equal(env.authorityHost, 'https://login.microsoftonline.com/');
    assert.equal(env.armAudience, STACK_AUDIENCE);
    assert.equal(env.armScope, `${STACK_AUDIENCE}/.default`, 'the audience verbatim, as the tasks and az ask for it');
    assert.equal(env.tenant, undefined);
  });

  test('an Azure Stack connection with its authority and audience needs no metadata; without one it does', () => {
    const base = { name: 'AzureStack', resourceManagerEndpoint: 'https://management.local.azurestack.external/' };
    const full = { ...base, authorityHost: 'https://login.microsoftonline.com/', armAudience: STACK_AUDIENCE };
    assert.equal(metadataToRead(full), undefined);
    assert.equal(resolveEnvironment(full).armScope, `${STACK_AUDIENCE}/.default`);
    assert.equal(metadataToRead({ ...base, authorityHost: 'https://login.microsoftonline.com/' }), base.resourceManagerEndpoint, 'no audience: ARM is asked');
    assert.equal(metadataToRead({ ...base, armAudience: STACK_AUDIENCE }), base.resourceManagerEndpoint, 'no authority: ARM is asked');
    const learned = resolveEnvironment({ ...base, authorityHost: 'https://login.partner.example/' }, undefined, { loginEndpoint: 'https://login.microsoftonline.com/', audience: STACK_AUDIENCE });
    assert.equal(learned.authorityHost, 'https://login.partner.example/', "the connection's own authority wins over the metadata's");
    assert.equal(learned.armAudience, STACK_AUDIENCE);
    assert.throws(() => metadataToRead({ name: 'AzureStack' }), /The Azure Stack Hub service connection has no ARM endpoint \(its URL\), and 'resource-manager-endpoint' is not given\./);
  });

  test('an AD FS authority (ending in /adfs) signs in to the tenant adfs at its host', () => {
    const metadata = { loginEndpoint: 'https://adfs.local.azurestack.external/adfs/', audience: 'https://management.adfs.azurestack.local/9e2b6b07-7f5a-4d5b-a3a4-3a3b0f0e7c11' };
    const env = resolveEnvironment({ name: 'AzureStack', resourceManagerEndpoint: 'https://management.local.azurestack.external/' }, undefined, metadata);
    assert.equal(env.tenant, 'adfs');
    assert.equal(env.authorityHost, 'https://adfs.local.azurestack.external/');
    assert.equal(env.disableInstanceDiscovery, true);
    assert.equal(env.armScope, `${metadata.audience}/.default`);
    const custom = resolveEnvironment({ name: 'Custom', resourceManagerEndpoint: 'https://arm.local', authorityHost: 'https://fs.local/ADFS' });
    assert.deepEqual([custom.tenant, custom.authorityHost], ['adfs', 'https://fs.local/']);
    const flagged = resolveEnvironment({ name: 'AzureStack', resourceManagerEndpoint: 'https://arm.local', authorityHost: 'https://fs.local/', armAudience: 'https://arm.local/x', adfs: true });
    assert.deepEqual([flagged.tenant, flagged.authorityHost], ['adfs', 'https://fs.local/'], 'EnableAdfsAuthentication on the connection');
    assert.equal(resolveEnvironment({ name: 'Custom', resourceManagerEndpoint: 'https://arm.local', authorityHost: 'https://login.local/adfsx' }).tenant, undefined);
  });
});

describe('ARM metadata (/metadata/endpoints)', () => {
  const URL = 'https://management.local.azurestack.external/metadata/endpoints?api-version=2015-01-01';

  test('the URL the tasks use, whatever the trailing slash', () => {
    assert.equal(armMetadataUrl('https://management.local.azurestack.external/'), URL);
    assert.equal(armMetadataUrl('https://management.local.azurestack.external'), URL);
  });

  test('reads authentication.loginEndpoint and audiences[0] from the documented shape', () => {
    const body = {
      galleryEndpoint: 'https://adminportal.local.azurestack.external:30015/',
      graphEndpoint: 'https://graph.windows.net/',
      portalEndpoint: 'https://adminportal.local.azurestack.external/',
      authentication: { loginEndpoint: 'https://login.windows.net/', audiences: ['https://contoso.onmicrosoft.com/4de154de-f8a8-4017-af41-df619da68155', 'https://other/'] },
    };
    assert.deepEqual(parseArmMetadata(body, URL), { loginEndpoint: 'https://login.windows.net/', audience: 'https://contoso.onmicrosoft.com/4de154de-f8a8-4017-af41-df619da68155' });
  });

  for (const [what, body, why] of [
    ['no authentication', { galleryEndpoint: 'x' }, /has no https authentication\.loginEndpoint/],
    ['an http login endpoint', { authentication: { loginEndpoint: 'http://login.local/', audiences: ['a'] } }, /has no https authentication\.loginEndpoint/],
    ['no audiences', { authentication: { loginEndpoint: 'https://login.local/', audiences: [] } }, /has no authentication\.audiences/],
    ['a non-string audience', { authentication: { loginEndpoint: 'https://login.local/', audiences: [42] } }, /has no authentication\.audiences/],
    ['null', null, /has no https authentication\.loginEndpoint/],
  ] as const) {
    test(`refuses ${what}`, () => {
      assert.throws(() => parseArmMetadata(body, URL, 'the hint'), (e: UserError) => why.test(e.message) && e.message.includes(URL) && e.hint === 'the hint');
    });
  }
});

describe('the GitHub OIDC audience', () => {
  const inputs = (environment?: string, audience?: string) =>
    ({ environment, audience, 'client-id': undefined, 'tenant-id': undefined, 'subscription-id': undefined, 'resource-manager-endpoint': undefined, 'authority-host': undefined, 'azure-subscription': undefined }) as unknown as Parameters<typeof azureSignInSettings>[0];

  test("defaults to the environment's token exchange audience", () => {
    assert.equal(azureSignInSettings(inputs()).audience, 'api://AzureADTokenExchange');
    assert.equal(azureSignInSettings(inputs('AzureCloud')).audience, 'api://AzureADTokenExchange');
    assert.equal(azureSignInSettings(inputs('AzureUSGovernment')).audience, 'api://AzureADTokenExchangeUSGov');
    assert.equal(azureSignInSettings(inputs('AzureChinaCloud')).audience, 'api://AzureADTokenExchangeChina');
    assert.equal(azureSignInSettings(inputs('Custom')).audience, 'api://AzureADTokenExchange');
  });

  test('an audience given wins in every cloud', () => {
    assert.equal(azureSignInSettings(inputs('AzureUSGovernment', 'api://custom')).audience, 'api://custom');
  });

  test('the input has no static default, and its description states the per-cloud ones', () => {
    const spec = azureInputs(false).audience!;
    assert.equal(spec.default, undefined);
    for (const value of Object.values(TOKEN_EXCHANGE_AUDIENCES)) assert.ok(spec.description.includes(`\`${value}\``), value);
  });
});
