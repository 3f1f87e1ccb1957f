// Azure Stack Hub: ARM's /metadata/endpoints, an ARM token audience that is not ARM's URL, and
// AD FS sign-in (tenant `adfs`, no instance discovery) as MSAL (@azure/identity) does it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ClientSecretCredential } from '@azure/identity';
import { startEmulator, type Emulator } from '../src/index';
import { clientOptions, fetchArm } from './helpers';

const AUDIENCE = 'https://management.contoso.onmicrosoft.com/4de154de-f8a8-4017-af41-df619da68155';
const SECRET = 'stack-secret-value';

const aadsts = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return /AADSTS(\d+)/.exec(String((e as Error).message))?.[1] ?? String((e as Error).message);
  }
  throw new Error('expected the token request to fail');
};

/** GET on the stand-in's ARM with a given bearer token (null: none), as a raw client does. */
async function armGet(e: Emulator, path: string, token: string | null) {
  const res = await fetchArm({ e } as Parameters<typeof fetchArm>[0], 'GET', path, undefined, {}, token);
  return { status: res.status, body: (await res.json()) as { authentication?: { loginEndpoint: string; audiences: string[] }; error?: { code: string } } };
}

const metadata = (e: Emulator, apiVersion = '2015-01-01') => armGet(e, `/metadata/endpoints?api-version=${apiVersion}`, null);
const getSubscription = (e: Emulator, token: string) => armGet(e, `/subscriptions/${e.subscriptionId}?api-version=2022-12-01`, token);

describe('the default stand-in', () => {
  let e: Emulator;
  before(async () => {
    e = await startEmulator({ kube: { enabled: false } });
  });
  after(() => e.stop());

  it('answers /metadata/endpoints anonymously with its own authority and URL as audience', async () => {
    const { status, body } = await metadata(e);
    assert.equal(status, 200);
    assert.deepEqual(body.authentication, { loginEndpoint: `${e.urls.arm}/`, audiences: [`${e.urls.arm}/`, 'https://management.azure.com/'] });
    assert.ok('galleryEndpoint' in body && 'graphEndpoint' in body && 'portalEndpoint' in body);
  });

  it('refuses api-versions whose (newer) shape it does not serve, and a missing one', async () => {
    assert.equal((await metadata(e, '2022-09-01')).body.error?.code, 'InvalidApiVersionParameter');
    assert.equal((await armGet(e, '/metadata/endpoints', null)).body.error?.code, 'MissingApiVersionParameter');
  });
});

describe('an Azure Stack Hub signing in with Entra ID', () => {
  let e: Emulator;
  let clientId: string;
  before(async () => {
    e = await startEmulator({ kube: { enabled: false }, azureStack: { audience: AUDIENCE } });
    clientId = e.registerApp({ secret: SECRET }).clientId;
  });
  after(() => e.stop());

  it('names its authority and its audience (not its URL) in /metadata/endpoints', async () => {
    assert.deepEqual((await metadata(e)).body.authentication, { loginEndpoint: `${e.urls.arm}/`, audiences: [AUDIENCE] });
  });

  it("Entra ID has no resource at ARM's URL; a token for the audience is accepted by ARM", async () => {
    const credential = new ClientSecretCredential(e.tenantId, clientId, SECRET, clientOptions(e));
    assert.equal(await aadsts(credential.getToken(`${e.urls.arm}/.default`)), '500011');
    assert.equal((await getSubscription(e, (await credential.getToken(`${AUDIENCE}/.default`))!.token)).status, 200);
  });

  it("ARM refuses a token for another audience (public ARM's) with InvalidAuthenticationTokenAudience", async () => {
    const credential = new ClientSecretCredential(e.tenantId, clientId, SECRET, clientOptions(e));
    const refused = await getSubscription(e, (await credential.getToken('https://management.azure.com/.default'))!.token);
    assert.equal(refused.status, 401);
    assert.equal(refused.body.error?.code, 'InvalidAuthenticationTokenAudience');
  });
});

describe('an Azure Stack Hub signing in with AD FS', () => {
  let e: Emulator;
  let clientId: string;
  before(async () => {
    e = await startEmulator({ kube: { enabled: false }, azureStack: { audience: AUDIENCE, identity: 'adfs' } });
    clientId = e.registerApp({ secret: SECRET }).clientId;
  });
  after(() => e.stop());

  const adfsCredential = (id: string, secret: string) =>
    // What azure-cli and private-wire do for an AD FS authority: its host, and the tenant `adfs`.
    new ClientSecretCredential('adfs', id, secret, { ...clientOptions(e), disableInstanceDiscovery: false });

  it('names <base>/adfs/ as its login endpoint', async () => {
    assert.deepEqual((await metadata(e)).body.authentication, { loginEndpoint: `${e.urls.arm}/adfs/`, audiences: [AUDIENCE] });
  });

  it('MSAL signs in through the AD FS discovery document, without instance discovery, and ARM accepts the token', async () => {
    e.log.clear();
    const token = (await adfsCredential(clientId, SECRET).getToken(`${AUDIENCE}/.default`))!.token;
    const paths = e.log.entries.map((l) => `${l.method} ${l.path}`);
    assert.deepEqual(paths, ['GET /adfs/.well-known/openid-configuration', 'POST /adfs/oauth2/token/']);
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, string>;
    assert.equal(claims.iss, `http://${new URL(e.urls.arm).host}/adfs/services/trust`);
    assert.equal(claims.aud, AUDIENCE);
    assert.equal((await getSubscription(e, token)).status, 200);
  });

  it('answers AD FS (MSIS) errors for an unknown client, a wrong secret and an unknown resource', async () => {
    assert.match(await aadsts(adfsCredential('11111111-1111-1111-1111-111111111111', SECRET).getToken(`${AUDIENCE}/.default`)), /MSIS9607/);
    assert.match(await aadsts(adfsCredential(clientId, 'wrong').getToken(`${AUDIENCE}/.default`)), /MSIS9622/);
    assert.match(await aadsts(adfsCredential(clientId, SECRET).getToken(`${e.urls.arm}/.default`)), /MSIS9602/);
  });
});
