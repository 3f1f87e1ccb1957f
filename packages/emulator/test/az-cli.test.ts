import assert from 'node:assert/strict';
import { request } from 'node:https';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { AZ_CLOUD, azEnv, azJson, azLogin, azLoginArgs, azPath, azUseStandIn, runAz } from '../src/az';
import { startEmulator, type Emulator } from '../src/index';

/**
 * The real Azure CLI (Debian's azure-cli 2.45: `apt-get install azure-cli`) against the stand-in:
 * login through Entra ID, then the commands of our procedure. Each az process takes ~0.5-1 s,
 * so the world is seeded once and commands that only read share one login.
 */
const az = azPath();
const skip = az ? false : 'az not installed (apt-get install azure-cli)';

const SECRET = 's3cret-value';
/** Subscription of the private endpoints asking to connect (another team's, same tenant). */
const CONSUMER_SUBSCRIPTION = '33333333-0000-4000-8000-000000000003';

interface PrivateEndpointConnection {
  id: string;
  name: string;
  properties: { privateLinkServiceConnectionState: { status: string; description: string }; privateEndpoint: { id: string } };
}

/** The runner's ID token request (what azure/login does before `az login --federated-token`). */
async function githubIdToken(e: Emulator, req: { url: string; token: string }): Promise<string> {
  const url = new URL(`${req.url}&audience=${encodeURIComponent('api://AzureADTokenExchange')}`);
  return await new Promise<string>((resolve, reject) => {
    request(url, { ca: e.tls.caPem, headers: { authorization: `Bearer ${req.token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString()) as { value?: string };
        if (res.statusCode !== 200 || !body.value) reject(new Error(`ID token request failed: ${res.statusCode}`));
        else resolve(body.value);
      });
    })
      .on('error', reject)
      .end();
  });
}

describe('Azure CLI against the stand-in', { skip }, () => {
  let e: Emulator;
  let env: Record<string, string>;
  let sp: { clientId: string };
  let subscriptions: { id: string; tenantId: string; isDefault: boolean }[];
  let plsId: string;
  let connectionId: string;
  let otherConnectionId: string;
  const configDirs: string[] = [];

  before(async () => {
    // Kubernetes side off: nothing here talks to it, and it would only slow start-up.
    e = await startEmulator({ kube: { enabled: false } });
    sp = e.registerApp({ secret: SECRET });
    e.seed.resourceGroup('rg-app', 'westeurope');
    e.seed.resourceGroup('rg-aks', 'westeurope');
    const { subnets } = e.seed.vnet('rg-aks', 'vnet-aks', {
      addressPrefixes: ['10.1.0.0/16'],
      subnets: [
        { name: 'nodes', addressPrefix: '10.1.0.0/22' },
        { name: 'pls', addressPrefix: '10.1.8.0/24', privateLinkServiceNetworkPolicies: 'Disabled' },
      ],
    });
    const plan = e.seed.plan('rg-app', 'plan', { sku: 'P1v3' });
    e.seed.site('rg-app', 'app', plan.id, { appSettings: { WEBSITE_RUN_FROM_PACKAGE: '1', BACKEND_URL: 'http://backend.internal' }, slotSettingNames: ['BACKEND_URL'] });
    e.seed.cluster('rg-aks', 'aks', { aad: true, authorizedIPRanges: ['203.0.113.0/24'] });
    const pls = e.seed.privateLinkService('rg-aks', 'pls-ingress', { subnetId: subnets[1]!.id });
    plsId = pls.id;
    connectionId = e.seed.privateEndpointRequest(pls.id, { subscriptionId: CONSUMER_SUBSCRIPTION, name: 'pe-app', requestMessage: 'from the app vnet' }).connection.id;
    otherConnectionId = e.seed.privateEndpointRequest(pls.id, { subscriptionId: CONSUMER_SUBSCRIPTION, name: 'pe-other', requestMessage: 'someone else' }).connection.id;

    env = azEnv(e);
    configDirs.push(env['AZURE_CONFIG_DIR']!);
    subscriptions = await azLogin(e, env, { clientId: sp.clientId, secret: SECRET });
  });

  after(async () => {
    await e?.stop();
    for (const d of configDirs) rmSync(d, { recursive: true, force: true });
  });

  it('az login --service-principal gets a token from the stand-in and finds the subscription', async () => {
    // The stand-in has no RBAC, so the consumer's subscription is listed too; the seeded one is
    // the default, as the first subscription ARM returns.
    assert.deepEqual(
      subscriptions.map((s) => [s.id, s.tenantId, s.isDefault]),
      [[e.subscriptionId, e.tenantId, true], [CONSUMER_SUBSCRIPTION, e.tenantId, false]],
    );
    // The token request went to login.microsoftonline.com's path through the proxy, and the
    // token az now holds is the stand-in's, for the audience the public cloud uses.
    assert.ok(e.log.entries.some((r) => r.surface === 'entra' && r.method === 'POST' && r.path === `/${e.tenantId}/oauth2/v2.0/token` && r.status === 200));
    const token = await azJson<{ accessToken: string; tenant: string }>(env, ['account', 'get-access-token']);
    assert.equal(token.tenant, e.tenantId);
    const verified = e.verifyAccessToken(token.accessToken, 'https://management.core.windows.net/');
    assert.ok(verified.ok, JSON.stringify(verified));
    assert.equal(verified.claims['appid'], sp.clientId);
  });

  it('a wrong secret fails with Entra\'s AADSTS7000215; a GitHub OIDC federated token logs in', async () => {
    const fresh = azEnv(e);
    configDirs.push(fresh['AZURE_CONFIG_DIR']!);
    await azUseStandIn(e, fresh);
    const wrong = await runAz(fresh, azLoginArgs(e.tenantId, { clientId: sp.clientId, secret: 'not-the-secret' }));
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.stderr, /AADSTS7000215: Invalid client secret provided/);

    const gh = e.github.createRequest({ repository: 'contoso/private-wire', environment: 'prod' });
    const fed = e.registerApp({ federated: [{ issuer: e.urls.githubIssuer, subject: gh.subject }] });
    const idToken = await githubIdToken(e, gh);
    const subs = await azJson<{ id: string; isDefault: boolean; user: { name: string; type: string } }[]>(fresh, azLoginArgs(e.tenantId, { clientId: fed.clientId, federatedToken: idToken }));
    assert.deepEqual(subs.find((s) => s.isDefault)?.id, e.subscriptionId);
    assert.ok(subs.every((s) => s.user.name === fed.clientId && s.user.type === 'servicePrincipal'));
    // Entra checked the assertion against the federated credential (issuer + subject).
    assert.ok(e.log.entries.filter((r) => r.surface === 'entra' && r.method === 'POST' && r.status === 200).length >= 2);
    const cloud = await azJson<{ name: string; endpoints: { resourceManager: string } }>(fresh, ['cloud', 'show']);
    assert.equal(cloud.name, AZ_CLOUD);
    assert.equal(cloud.endpoints.resourceManager, `${e.urls.arm}/`);
  });

  it('az webapp config appsettings list reads settings and slot-setting flags', async () => {
    const settings = await azJson<{ name: string; value: string; slotSetting: boolean }[]>(env, ['webapp', 'config', 'appsettings', 'list', '-g', 'rg-app', '-n', 'app']);
    assert.deepEqual(
      settings.sort((a, b) => a.name.localeCompare(b.name)),
      [
        { name: 'BACKEND_URL', value: 'http://backend.internal', slotSetting: true },
        { name: 'WEBSITE_RUN_FROM_PACKAGE', value: '1', slotSetting: false },
      ],
    );
  });

  it('az network private-endpoint-connection list/approve moves one connection to Approved', async () => {
    const before = await azJson<PrivateEndpointConnection[]>(env, ['network', 'private-endpoint-connection', 'list', '--id', plsId]);
    assert.deepEqual(
      before.map((c) => [c.id, c.properties.privateLinkServiceConnectionState.status, c.properties.privateLinkServiceConnectionState.description]).sort(),
      [[connectionId, 'Pending', 'from the app vnet'], [otherConnectionId, 'Pending', 'someone else']].sort(),
    );

    const writes = e.store.writes;
    // az 2.45 sleeps 10 s after the PUT before re-reading the connection (RETRY_INTERVAL in
    // private_link_resource_and_endpoint_connections): most of this file's run time.
    const approved = await azJson<PrivateEndpointConnection>(env, ['network', 'private-endpoint-connection', 'approve', '--id', connectionId, '--description', 'approved by private-wire']);
    assert.equal(approved.id, connectionId);
    assert.deepEqual(approved.properties.privateLinkServiceConnectionState, { status: 'Approved', description: 'approved by private-wire', actionsRequired: 'None' });
    // The stand-in's state changed (not just az's output), and only for that connection.
    assert.ok(e.store.writes > writes);
    const stored = (id: string) => (e.store.get(id)?.properties as PrivateEndpointConnection['properties']).privateLinkServiceConnectionState;
    assert.deepEqual([stored(connectionId).status, stored(connectionId).description], ['Approved', 'approved by private-wire']);
    assert.equal(stored(otherConnectionId).status, 'Pending');
    assert.ok(e.log.entries.some((r) => r.method === 'PUT' && r.path.toLowerCase() === connectionId.toLowerCase()));
  });

  it('az network vnet subnet show reads a subnet; a missing one fails as not found', async () => {
    const subnet = await azJson<{ name: string; addressPrefix: string; privateLinkServiceNetworkPolicies: string }>(env, ['network', 'vnet', 'subnet', 'show', '-g', 'rg-aks', '--vnet-name', 'vnet-aks', '-n', 'pls']);
    assert.deepEqual([subnet.name, subnet.addressPrefix, subnet.privateLinkServiceNetworkPolicies], ['pls', '10.1.8.0/24', 'Disabled']);

    const missing = await runAz(env, ['network', 'vnet', 'subnet', 'show', '-g', 'rg-aks', '--vnet-name', 'vnet-aks', '-n', 'nope']);
    // az exits 3 for ResourceNotFoundError and prints ARM's code and message.
    assert.equal(missing.code, 3, missing.stderr);
    assert.match(missing.stderr, /NotFound/);
    assert.match(missing.stderr, /subnets\/nope/);
  });

  it('az aks show reads the cluster: network profile, AAD, authorized IP ranges', async () => {
    const mc = await azJson<{
      name: string;
      provisioningState: string;
      fqdn: string;
      networkProfile: { networkPlugin: string; serviceCidr: string; dnsServiceIp: string };
      aadProfile: { managed: boolean; tenantId: string };
      apiServerAccessProfile: { authorizedIpRanges: string[] };
      servicePrincipalProfile: { clientId: string };
    }>(env, ['aks', 'show', '-g', 'rg-aks', '-n', 'aks']);
    assert.equal(mc.name, 'aks');
    assert.equal(mc.provisioningState, 'Succeeded');
    assert.match(mc.fqdn, /^aks-dns-.*\.hcp\.westeurope\.azmk8s\.io$/);
    // az's SDK models rename fields (dnsServiceIP → dnsServiceIp): this checks the wire shape parsed.
    assert.deepEqual([mc.networkProfile.networkPlugin, mc.networkProfile.serviceCidr, mc.networkProfile.dnsServiceIp], ['azure', '10.0.0.0/16', '10.0.0.10']);
    assert.deepEqual([mc.aadProfile.managed, mc.aadProfile.tenantId], [true, e.tenantId]);
    assert.deepEqual(mc.apiServerAccessProfile.authorizedIpRanges, ['203.0.113.0/24']);
    assert.equal(mc.servicePrincipalProfile.clientId, 'msi');
  });
});
