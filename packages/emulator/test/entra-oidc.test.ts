import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AzurePipelinesCredential, ClientAssertionCredential, ClientSecretCredential, ManagedIdentityCredential } from '@azure/identity';
import { TOKEN_EXCHANGE_AUDIENCE, startEmulator, type Emulator } from '../src/index';
import { clientOptions } from './helpers';

const ARM = 'https://management.azure.com/.default';
const aadstsCode = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    const m = /AADSTS(\d+)/.exec(String((e as Error).message));
    return m ? Number(m[1]) : String((e as Error).message);
  }
  throw new Error('expected token request to fail');
};

describe('Entra ID, OIDC issuers and managed identity', () => {
  let e: Emulator;
  before(async () => {
    e = await startEmulator();
  });
  after(() => e.stop());

  it('issues ARM tokens for a client secret, verifiable by verifyAccessToken', async () => {
    const app = e.registerApp({ secret: 'right' });
    const token = await new ClientSecretCredential(e.tenantId, app.clientId, 'right', clientOptions(e)).getToken(ARM);
    const v = e.verifyAccessToken(token.token, 'https://management.azure.com/');
    assert.ok(v.ok);
    assert.equal(v.ok && v.claims.appid, app.clientId);
    assert.equal(v.ok && v.claims.oid, app.objectId);
    assert.equal(e.verifyAccessToken(token.token, '6dae42f8-4368-4678-94ff-3960e28e3630').ok, false);
  });

  it('answers AADSTS errors for a bad secret, unknown app and unknown resource', async () => {
    const app = e.registerApp({ secret: 'right' });
    assert.equal(await aadstsCode(new ClientSecretCredential(e.tenantId, app.clientId, 'wrong', clientOptions(e)).getToken(ARM)), 7000215);
    assert.equal(await aadstsCode(new ClientSecretCredential(e.tenantId, '11111111-1111-1111-1111-111111111111', 'x', clientOptions(e)).getToken(ARM)), 700016);
    assert.equal(await aadstsCode(new ClientSecretCredential(e.tenantId, app.clientId, 'right', clientOptions(e)).getToken('https://unknown.example/.default')), 500011);
  });

  it('exchanges a GitHub Actions ID token (ClientAssertionCredential) and checks subject/audience/issuer', async () => {
    const run = e.github.createRequest({ repository: 'contoso/wire', ref: 'refs/heads/main' });
    const app = e.registerApp({ federated: [{ issuer: e.urls.githubIssuer, subject: run.subject }] });
    const idToken = async (audience = TOKEN_EXCHANGE_AUDIENCE) => {
      return httpsGetJson(`${run.url}&audience=${encodeURIComponent(audience)}`, run.token).then((b) => (b as { value: string }).value);
    };
    const ok = await new ClientAssertionCredential(e.tenantId, app.clientId, () => idToken(), clientOptions(e)).getToken(ARM);
    assert.ok(e.verifyAccessToken(ok.token, 'https://management.azure.com/').ok);
    assert.equal(await aadstsCode(new ClientAssertionCredential(e.tenantId, app.clientId, () => idToken('api://other'), clientOptions(e)).getToken(ARM)), 700212);
    const other = e.github.createRequest({ repository: 'contoso/wire', ref: 'refs/heads/feature' });
    const otherToken = () => httpsGetJson(`${other.url}&audience=${TOKEN_EXCHANGE_AUDIENCE}`, other.token).then((b) => (b as { value: string }).value);
    assert.equal(await aadstsCode(new ClientAssertionCredential(e.tenantId, app.clientId, otherToken, clientOptions(e)).getToken(ARM)), 700213);
    const stranger = e.registerApp({ federated: [{ issuer: 'https://token.actions.githubusercontent.com', subject: run.subject }] });
    assert.equal(await aadstsCode(new ClientAssertionCredential(e.tenantId, stranger.clientId, () => idToken(), clientOptions(e)).getToken(ARM)), 700211);
    const forged = async () => {
      const [h, p] = (await idToken()).split('.');
      return `${h}.${p}.${Buffer.from('not-a-signature').toString('base64url')}`;
    };
    assert.equal(await aadstsCode(new ClientAssertionCredential(e.tenantId, app.clientId, forged, clientOptions(e)).getToken(ARM)), 50013);
  });

  it('rejects an expired assertion with AADSTS700024', async () => {
    const run = e.github.createRequest({ repository: 'contoso/wire' });
    const app = e.registerApp({ federated: [{ issuer: e.urls.githubIssuer, subject: run.subject }] });
    const issuer = (e.github as unknown as { issuer: { mint: (c: Record<string, unknown>, s: number) => string } }).issuer;
    const expired = issuer.mint({ sub: run.subject, aud: TOKEN_EXCHANGE_AUDIENCE, exp: Math.floor(Date.now() / 1000) - 60 }, -60);
    assert.equal(await aadstsCode(new ClientAssertionCredential(e.tenantId, app.clientId, async () => expired, clientOptions(e)).getToken(ARM)), 700024);
  });

  it('exchanges an Azure Pipelines OIDC token through AzurePipelinesCredential', async () => {
    const job = e.azurePipelines.createRequest({ organization: 'contoso', project: 'wire', serviceConnections: [{ id: 'c0ffee00-0000-4000-8000-000000000001', name: 'prod-arm' }] });
    const app = e.registerApp({ federated: [{ issuer: job.issuer, subject: 'sc://contoso/wire/prod-arm' }] });
    const saved = process.env.SYSTEM_OIDCREQUESTURI;
    process.env.SYSTEM_OIDCREQUESTURI = job.requestUri;
    try {
      const cred = new AzurePipelinesCredential(e.tenantId, app.clientId, 'c0ffee00-0000-4000-8000-000000000001', job.accessToken, clientOptions(e));
      const token = await cred.getToken(ARM);
      assert.ok(e.verifyAccessToken(token.token, 'https://management.azure.com/').ok);
      const wrong = new AzurePipelinesCredential(e.tenantId, app.clientId, 'c0ffee00-0000-4000-8000-000000000001', 'not-the-token', clientOptions(e));
      await assert.rejects(wrong.getToken(ARM));
    } finally {
      if (saved === undefined) delete process.env.SYSTEM_OIDCREQUESTURI;
      else process.env.SYSTEM_OIDCREQUESTURI = saved;
    }
  });

  it('serves the App Service managed identity endpoint to ManagedIdentityCredential', async () => {
    const { identity, env } = e.registerManagedIdentity();
    const saved = { IDENTITY_ENDPOINT: process.env.IDENTITY_ENDPOINT, IDENTITY_HEADER: process.env.IDENTITY_HEADER };
    Object.assign(process.env, env);
    try {
      const token = await new ManagedIdentityCredential().getToken(ARM);
      const v = e.verifyAccessToken(token.token, 'https://management.azure.com');
      assert.ok(v.ok);
      assert.equal(v.ok && v.claims.oid, identity.principalId);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  async function httpsGetJson(url: string, token: string): Promise<unknown> {
    const { request } = await import('node:https');
    return new Promise((resolve, reject) => {
      request(url, { ca: e.tls.caPem, headers: { authorization: `Bearer ${token}` } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(Buffer.concat(chunks).toString())) : reject(new Error(`HTTP ${res.statusCode}`))));
      }).on('error', reject).end();
    });
  }
});
