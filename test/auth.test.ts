// Every Azure sign-in path and every cluster-connection path, run through real bundles on both
// hosts against the stand-in's Entra ID, OIDC issuers, ARM and Kubernetes API.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startEmulator, type Emulator } from '@private-wire/emulator';
import { azEnv, azLogin, azPath } from '@private-wire/emulator/az';
import { bundleFixture, type HostBundles } from './support/bundles';
import { runAzurePipelinesTask, runGitHubAction, type AzurePipelinesRun, type GitHubRun } from './support/runners';

let e: Emulator;
let bundles: HostBundles;
const SECRET = 'sp-secret-9f8e7d6c5b4a';
let sp: { clientId: string };
let ghApp: { clientId: string };
const REPO = 'contoso/platform';

before(async () => {
  [e, bundles] = await Promise.all([
    startEmulator({ kube: { userToken: `user-${randomBytes(12).toString('hex')}`, adminToken: `admin-${randomBytes(12).toString('hex')}` } }),
    bundleFixture('auth-probe'),
  ]);
  e.seed.resourceGroup('rg-net');
  e.seed.vnet('rg-net', 'vnet-hub', { subnets: [{ name: 'aks', addressPrefix: '10.0.0.0/22' }] });
  e.seed.resourceGroup('rg-aks');
  e.seed.cluster('rg-aks', 'aks-plain');
  e.seed.cluster('rg-aks', 'aks-aad', { aad: true });
  e.seed.cluster('rg-aks', 'aks-aad-nolocal', { aad: true, disableLocalAccounts: true });
  sp = e.registerApp({ secret: SECRET });
  ghApp = e.registerApp({ federated: [{ issuer: e.urls.githubIssuer, subject: `repo:${REPO}:ref:refs/heads/main` }] });
});

after(() => e?.stop());

/** What every run needs: trust for the stand-in's CA, IMDS kept on loopback, no az profile. */
function baseEnv(): Record<string, string> {
  return {
    NODE_EXTRA_CA_CERTS: e.tls.caFile,
    // Managed identity probing must never leave loopback: an unused port answers "refused".
    AZURE_POD_IDENTITY_AUTHORITY_HOST: 'http://127.0.0.1:9',
    AZURE_CONFIG_DIR: mkdtempSync(path.join(tmpdir(), 'no-az-')),
  };
}

const custom = () => ({ environment: 'Custom', 'resource-manager-endpoint': e.urls.arm, 'authority-host': e.urls.authorityHost });

/** No value the step masked, and none of the known secrets, appears anywhere but the mask command. */
function assertNoSecretPrinted(run: GitHubRun | AzurePipelinesRun, known: string[] = []): void {
  const masked = 'masked' in run ? run.masked : run.secrets;
  const strip = (text: string) => text.split('\n').filter((l) => !l.startsWith('::add-mask::') && !l.startsWith('##vso[task.setsecret]')).join('\n');
  const places = [strip(run.stdout), run.stderr, JSON.stringify(run.outputs), 'summary' in run ? run.summary : run.summaries.join('\n')];
  for (const secret of [...masked, ...known].filter((s) => s.length >= 8)) {
    for (const text of places) assert.ok(!text.includes(secret), `a secret (${secret.slice(0, 6)}…) was printed:\n${text.slice(0, 2000)}`);
  }
}

/** GET over https trusting the stand-in's CA (this process started before the CA existed). */
function getJson(url: string, headers: Record<string, string>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { headers, ca: e.tls.caPem }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(body)) : reject(new Error(`${res.statusCode}: ${body}`))));
      })
      .on('error', reject);
  });
}

function github(inputs: Record<string, string>, env: Record<string, string> = {}) {
  return runGitHubAction(bundles.github, inputs, { env: { ...baseEnv(), ...env } });
}

describe('GitHub: Azure sign-in', () => {
  test('OIDC with client-id and tenant-id exchanges a fresh GitHub ID token', async () => {
    const request = e.github.createRequest({ repository: REPO });
    const run = await github({ probe: 'azure', 'client-id': ghApp.clientId, 'tenant-id': e.tenantId, 'subscription-id': e.subscriptionId, 'resource-group': 'rg-net', ...custom() }, request.env);
    assert.equal(run.exitCode, 0, run.stdout);
    assert.match(run.outputs['azure-method']!, /^GitHub OIDC \(client /);
    assert.equal(run.outputs.vnets, 'vnet-hub');
    assert.ok(run.masked.length >= 2, 'the ID token and the access token are masked');
    assertNoSecretPrinted(run, [request.token]);
  });

  test('OIDC from a branch the federated credential does not trust fails with what to fix', async () => {
    const request = e.github.createRequest({ repository: REPO, ref: 'refs/heads/feature' });
    const run = await github({ probe: 'azure', 'client-id': ghApp.clientId, 'tenant-id': e.tenantId, 'subscription-id': e.subscriptionId, ...custom() }, request.env);
    assert.equal(run.exitCode, 1);
    assert.match(run.stdout, /::error::Signing in to Azure with GitHub OIDC .* failed: .*AADSTS700213.* No federated credential matches this workflow/);
    assertNoSecretPrinted(run, [request.token]);
  });

  test('OIDC inputs without the id-token permission are refused before any request', async () => {
    e.log.clear();
    const run = await github({ probe: 'azure', 'client-id': ghApp.clientId, 'tenant-id': e.tenantId, ...custom() });
    assert.equal(run.exitCode, 1);
    assert.match(run.stdout, /::error::Inputs 'client-id' and 'tenant-id' ask for OIDC sign-in, but this job cannot request a GitHub ID token\. Add `permissions: id-token: write`/);
    assert.equal(e.log.entries.length, 0);
  });

  test('a malformed client-id is named with its value', async () => {
    const run = await github({ probe: 'azure', 'client-id': 'my-app', 'tenant-id': e.tenantId, ...custom() }, e.github.createRequest({ repository: REPO }).env);
    assert.match(run.stdout, /::error::Input 'client-id' is 'my-app', which is not a GUID\./);
  });

  test('client secret from AZURE_CLIENT_* environment variables', async () => {
    const run = await github(
      { probe: 'azure', 'resource-group': 'rg-net', ...custom() },
      { AZURE_CLIENT_ID: sp.clientId, AZURE_TENANT_ID: e.tenantId, AZURE_CLIENT_SECRET: SECRET, AZURE_SUBSCRIPTION_ID: e.subscriptionId },
    );
    assert.equal(run.exitCode, 0, run.stdout);
    assert.match(run.outputs['azure-method']!, /^client secret from AZURE_CLIENT_SECRET/);
    assert.ok(run.masked.includes(SECRET));
    assertNoSecretPrinted(run, [SECRET]);
  });

  test('a wrong client secret fails with the AADSTS code and the fix', async () => {
    const run = await github(
      { probe: 'azure', ...custom() },
      { AZURE_CLIENT_ID: sp.clientId, AZURE_TENANT_ID: e.tenantId, AZURE_CLIENT_SECRET: 'wrong-secret-123', AZURE_SUBSCRIPTION_ID: e.subscriptionId },
    );
    assert.equal(run.exitCode, 1);
    assert.match(run.stdout, /AADSTS7000215.*The client secret is wrong or expired/);
    assertNoSecretPrinted(run, ['wrong-secret-123']);
  });

  test('a federated token file (AZURE_FEDERATED_TOKEN_FILE) is read on each renewal', async () => {
    const request = e.github.createRequest({ repository: REPO });
    const { value } = (await getJson(`${request.url}&audience=api://AzureADTokenExchange`, { Authorization: `Bearer ${request.token}` })) as { value: string };
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'fed-')), 'token');
    writeFileSync(file, value);
    const run = await github(
      { probe: 'azure', ...custom(), 'subscription-id': e.subscriptionId },
      { AZURE_CLIENT_ID: ghApp.clientId, AZURE_TENANT_ID: e.tenantId, AZURE_FEDERATED_TOKEN_FILE: file },
    );
    assert.equal(run.exitCode, 0, run.stdout);
    assert.match(run.outputs['azure-method']!, /^federated token file/);
    assertNoSecretPrinted(run, [value]);
  });

  test('managed identity when the host provides one', async () => {
    const { env } = e.registerManagedIdentity();
    const run = await github({ probe: 'azure', ...custom(), 'subscription-id': e.subscriptionId }, env);
    assert.equal(run.exitCode, 0, run.stdout);
    assert.equal(run.outputs['azure-method'], 'managed identity');
    assert.match(run.stdout, /Signed in to Azure \(Custom\) with managed identity; subscription /);
  });

  test('an az session left by azure/login, after managed identity is found missing', { skip: azPath() ? false : 'az not installed (apt-get install azure-cli)' }, async () => {
    const env = azEnv(e);
    await azLogin(e, env, { clientId: sp.clientId, secret: SECRET });
    const run = await github({ probe: 'azure', 'resource-group': 'rg-net', ...custom() }, env);
    assert.equal(run.exitCode, 0, run.stdout + run.stderr);
    assert.equal(run.outputs['azure-method'], 'Azure CLI session (az login / azure/login)');
    assert.equal(run.outputs.vnets, 'vnet-hub');
    assert.match(run.stdout, new RegExp(`subscription ${e.subscriptionId}\\.`));
    assertNoSecretPrinted(run, [SECRET]);
  });

  test('with no credential at all, says what was tried and how to sign in', async () => {
    const run = await github({ probe: 'azure', ...custom(), 'subscription-id': e.subscriptionId });
    assert.equal(run.exitCode, 1);
    assert.match(run.stdout, /::error::No Azure credential is available \(tried: managed identity, Azure CLI session \(az login \/ azure\/login\)\)\. Give 'client-id' and 'tenant-id'/);
  });

  test('a Custom environment without its ARM endpoint is refused before any request', async () => {
    e.log.clear();
    const run = await github({ probe: 'azure', environment: 'Custom', 'authority-host': e.urls.authorityHost }, { AZURE_CLIENT_ID: sp.clientId, AZURE_TENANT_ID: e.tenantId, AZURE_CLIENT_SECRET: SECRET });
    assert.match(run.stdout, /::error::Input 'environment' is 'Custom', but 'resource-manager-endpoint' is not given\./);
    assert.equal(e.log.entries.length, 0);
  });

  test('a Custom environment without authority-host reads the authority and the ARM audience from ARM metadata', async () => {
    e.log.clear();
    const run = await github(
      { probe: 'azure', environment: 'Custom', 'resource-manager-endpoint': e.urls.arm, 'resource-group': 'rg-net' },
      { AZURE_CLIENT_ID: sp.clientId, AZURE_TENANT_ID: e.tenantId, AZURE_CLIENT_SECRET: SECRET, AZURE_SUBSCRIPTION_ID: e.subscriptionId },
    );
    assert.equal(run.exitCode, 0, run.stdout);
    assert.match(run.stdout, new RegExp(`Read from the metadata of ${e.urls.arm}/: sign in at ${e.urls.arm}/, ARM token audience ${e.urls.arm}/\\.`));
    assert.equal(run.outputs.vnets, 'vnet-hub');
    assert.deepEqual(e.log.entries.slice(0, 1).map((l) => `${l.method} ${l.path}`), ['GET /metadata/endpoints']);
    assertNoSecretPrinted(run, [SECRET]);
  });

  test('OIDC in AzureUSGovernment asks GitHub for an ID token with the US Government audience', async () => {
    // A federated credential as Entra ID for US Government has it; the stand-in answers for
    // login.microsoftonline.us through its CONNECT proxy (sign-in only: ARM is not called).
    const usGov = e.registerApp({ federated: [{ issuer: e.urls.githubIssuer, subject: `repo:${REPO}:ref:refs/heads/main`, audiences: ['api://AzureADTokenExchangeUSGov'] }] });
    const viaProxy = { HTTPS_PROXY: e.urls.azProxy, NO_PROXY: '127.0.0.1,localhost' };
    const inputs = { probe: 'azure', 'client-id': usGov.clientId, 'tenant-id': e.tenantId, 'subscription-id': e.subscriptionId, environment: 'AzureUSGovernment' };
    const request = e.github.createRequest({ repository: REPO });
    const run = await github(inputs, { ...request.env, ...viaProxy });
    assert.equal(run.exitCode, 0, run.stdout);
    assert.match(run.stdout, /Signed in to Azure \(AzureUSGovernment\) with GitHub OIDC/);
    assertNoSecretPrinted(run, [request.token]);
    // The same run with the global audience is refused by the federated credential: the default made the difference.
    const global = await github({ ...inputs, audience: 'api://AzureADTokenExchange' }, { ...e.github.createRequest({ repository: REPO }).env, ...viaProxy });
    assert.equal(global.exitCode, 1);
    assert.match(global.stdout, /AADSTS700212: No matching federated identity record found for presented assertion audience 'api:\/\/AzureADTokenExchange'/);
  });
});

describe('GitHub: cluster connection', () => {
  const spEnv = () => ({ AZURE_CLIENT_ID: sp.clientId, AZURE_TENANT_ID: e.tenantId, AZURE_CLIENT_SECRET: SECRET, AZURE_SUBSCRIPTION_ID: e.subscriptionId });

  test('kubeconfig input (masked, with the token inside it)', async () => {
    const kubeconfig = e.kube!.kubeconfig({ https: true });
    const run = await github({ probe: 'cluster', kubeconfig });
    assert.equal(run.exitCode, 0, run.stdout + run.stderr);
    assert.equal(run.outputs['cluster-source'], 'the kubeconfig input');
    assert.match(run.outputs.namespaces!, /(^|,)kube-system(,|$)/);
    assert.ok(run.masked.includes(e.kube!.tokens.user));
    assertNoSecretPrinted(run, [e.kube!.tokens.user]);
  });

  test('the KUBECONFIG file', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'kc-')), 'config');
    writeFileSync(file, e.kube!.kubeconfig({ https: true }));
    const run = await github({ probe: 'cluster' }, { KUBECONFIG: file });
    assert.equal(run.exitCode, 0, run.stdout);
    assert.equal(run.outputs['cluster-source'], `KUBECONFIG (${file})`);
    assertNoSecretPrinted(run, [e.kube!.tokens.user]);
  });

  for (const admin of [false, true]) {
    test(`AKS ${admin ? 'admin' : 'user'} credentials fetched from ARM`, async () => {
      const run = await github({ probe: 'cluster', 'cluster-resource-group': 'rg-aks', 'cluster-name': 'aks-plain', admin: String(admin), ...custom() }, spEnv());
      assert.equal(run.exitCode, 0, run.stdout);
      assert.equal(run.outputs['cluster-source'], `AKS cluster rg-aks/aks-plain (${admin ? 'admin' : 'user'} credentials)`);
      assert.match(run.outputs.namespaces!, /kube-system/);
      assertNoSecretPrinted(run, [SECRET, e.kube!.tokens.admin, e.kube!.tokens.user]);
    });
  }

  test('AAD cluster: user credentials work without kubelogin, with an Azure AD token for the AKS server app', async () => {
    const run = await github({ probe: 'cluster', 'cluster-resource-group': 'rg-aks', 'cluster-name': 'aks-aad', ...custom() }, spEnv());
    assert.equal(run.exitCode, 0, run.stdout);
    assert.match(run.outputs.namespaces!, /kube-system/);
    assert.ok(run.masked.length >= 3, 'secret, ARM token and AKS token are masked');
    assertNoSecretPrinted(run, [SECRET]);
  });

  test('AAD cluster: admin credentials on a cluster without local accounts fail with the hint', async () => {
    const run = await github({ probe: 'cluster', 'cluster-resource-group': 'rg-aks', 'cluster-name': 'aks-aad-nolocal', admin: 'true', ...custom() }, spEnv());
    assert.equal(run.exitCode, 1);
    assert.match(run.stdout, /::error::Azure refused fetching admin credentials of AKS cluster rg-aks\/aks-aad-nolocal/);
  });

  test('an unknown cluster names the inputs to check', async () => {
    const run = await github({ probe: 'cluster', 'cluster-resource-group': 'rg-aks', 'cluster-name': 'nope', ...custom() }, spEnv());
    assert.equal(run.exitCode, 1);
    assert.match(run.stdout, /::error::Azure refused fetching user credentials of AKS cluster rg-aks\/nope \(ResourceNotFound\).*Check 'cluster-name' and 'cluster-resource-group'\./);
  });

  test('an unreachable API server mentions authorized IP ranges and private clusters', async () => {
    const kubeconfig = e.kube!.kubeconfig({ https: true }).replace(/server: \S+/, 'server: https://127.0.0.1:9');
    const run = await github({ probe: 'cluster', kubeconfig });
    assert.equal(run.exitCode, 1);
    assert.match(run.stdout, /::error::The Kubernetes API server at https:\/\/127\.0\.0\.1:9 cannot be reached while listing namespaces.*authorized IP ranges.*private cluster/);
  });

  test('an invalid or expired token gets 401 with what to do', async () => {
    const run = await github({ probe: 'cluster', kubeconfig: e.kube!.kubeconfig({ https: true, token: 'expired-token-0000' }) });
    assert.equal(run.exitCode, 1);
    assert.match(run.stdout, /::error::The Kubernetes API server rejected the credentials from the kubeconfig input while listing namespaces \(401 Unauthorized\)/);
    assertNoSecretPrinted(run, ['expired-token-0000']);
  });

  test('a denied verb says which identity and what was denied', async () => {
    e.kube!.authorizer.deny({ user: 'clusterUser', verb: 'list', resource: 'namespaces' });
    try {
      const run = await github({ probe: 'cluster', kubeconfig: e.kube!.kubeconfig({ https: true }) });
      assert.equal(run.exitCode, 1);
      assert.match(run.stdout, /::error::clusterUser_emulator is not allowed to do this on the cluster while listing namespaces: .*"clusterUser" cannot list resource "namespaces"/);
    } finally {
      e.kube!.authorizer.clearDenials();
    }
  });

  test('nothing given: one message listing every way to connect', async () => {
    const run = await github({ probe: 'cluster' });
    assert.match(run.stdout, /::error::No cluster connection is given\. Give 'kubeconfig', set KUBECONFIG/);
  });
});

describe('Azure Pipelines: service connections', () => {
  const CONNECTION = '6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a00';
  const K8S_CONNECTION = '7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c21';

  function endpointEnv(id: string, scheme: string, parameters: Record<string, string>, data: Record<string, string> = {}, url?: string) {
    const env: Record<string, string> = { [`ENDPOINT_AUTH_${id}`]: JSON.stringify({ parameters, scheme }), [`ENDPOINT_AUTH_SCHEME_${id}`]: scheme };
    for (const [k, v] of Object.entries(data)) env[`ENDPOINT_DATA_${id}_${k.toUpperCase()}`] = v;
    if (url) env[`ENDPOINT_URL_${id}`] = url;
    return env;
  }

  function azp(inputs: Record<string, string>, env: Record<string, string>) {
    return runAzurePipelinesTask(bundles.azurePipelines, inputs, { env: { ...baseEnv(), ...env } });
  }

  const customAzp = () => ({ environment: 'Custom', resourceManagerEndpoint: e.urls.arm, authorityHost: e.urls.authorityHost });

  test('workload identity federation through System.AccessToken and the OIDC request URI', async () => {
    const job = e.azurePipelines.createRequest({ organization: 'contoso', project: 'platform', serviceConnections: [{ id: CONNECTION, name: 'prod-arm' }] });
    const app = e.registerApp({ federated: [{ issuer: job.issuer, subject: 'sc://contoso/platform/prod-arm' }] });
    const run = await azp(
      { probe: 'azure', azureSubscription: CONNECTION, resourceGroup: 'rg-net', ...customAzp() },
      {
        SYSTEM_OIDCREQUESTURI: job.requestUri,
        ...endpointEnv(CONNECTION, 'WorkloadIdentityFederation', { tenantid: e.tenantId, serviceprincipalid: app.clientId }, { subscriptionId: e.subscriptionId }),
        ...endpointEnv('SystemVssConnection', 'OAuth', { AccessToken: job.accessToken }),
      },
    );
    assert.equal(run.result, 'Succeeded', run.stdout);
    assert.match(run.outputs.azureMethod!, /^workload identity federation \(service connection 6f1e2d3c/);
    assert.equal(run.outputs.vnets, 'vnet-hub');
    assert.ok(run.secrets.includes(job.accessToken));
    assertNoSecretPrinted(run, [job.accessToken]);
  });

  test('service principal with a client secret; the subscription comes from the connection', async () => {
    const run = await azp(
      { probe: 'azure', azureSubscription: CONNECTION, resourceGroup: 'rg-net', ...customAzp() },
      endpointEnv(CONNECTION, 'ServicePrincipal', { tenantid: e.tenantId, serviceprincipalid: sp.clientId, serviceprincipalkey: SECRET, authenticationType: 'spnKey' }, { subscriptionId: e.subscriptionId }),
    );
    assert.equal(run.result, 'Succeeded', run.stdout);
    assert.match(run.outputs.azureMethod!, /^service principal secret/);
    assert.ok(run.secrets.includes(SECRET));
    assertNoSecretPrinted(run, [SECRET]);
  });

  test("an Azure Stack connection signs in at its authority, with ARM's audience from the stack's metadata", async () => {
    e.log.clear();
    const run = await azp(
      { probe: 'azure', azureSubscription: CONNECTION, resourceGroup: 'rg-net' },
      endpointEnv(
        CONNECTION,
        'ServicePrincipal',
        { tenantid: e.tenantId, serviceprincipalid: sp.clientId, serviceprincipalkey: SECRET, authenticationType: 'spnKey' },
        { subscriptionId: e.subscriptionId, environment: 'AzureStack', activeDirectoryAuthority: e.urls.authorityHost },
        `${e.urls.arm}/`,
      ),
    );
    assert.equal(run.result, 'Succeeded', run.stdout);
    assert.match(run.stdout, /Signed in to Azure \(AzureStack\)/);
    assert.equal(run.outputs.vnets, 'vnet-hub');
    assert.ok(e.log.entries.some((l) => l.path === '/metadata/endpoints'));
  });

  test('Kubernetes service connection of type Kubeconfig', async () => {
    const run = await azp(
      { probe: 'cluster', kubernetesServiceConnection: K8S_CONNECTION },
      endpointEnv(K8S_CONNECTION, 'Kubernetes', { kubeconfig: e.kube!.kubeconfig({ https: true }) }, { authorizationType: 'Kubeconfig' }),
    );
    assert.equal(run.result, 'Succeeded', run.stdout);
    assert.match(run.outputs.clusterSource!, /^Kubernetes service connection 7a6b5c4d.* \(Kubeconfig\)$/);
    assertNoSecretPrinted(run, [e.kube!.tokens.user]);
  });

  test('Kubernetes service connection of type ServiceAccount', async () => {
    const run = await azp(
      { probe: 'cluster', kubernetesServiceConnection: K8S_CONNECTION },
      endpointEnv(
        K8S_CONNECTION,
        'Token',
        { apiToken: Buffer.from(e.kube!.tokens.admin).toString('base64'), serviceAccountCertificate: e.tls.caPem },
        { authorizationType: 'ServiceAccount' },
        e.kube!.httpsUrl,
      ),
    );
    assert.equal(run.result, 'Succeeded', run.stdout);
    assert.match(run.outputs.namespaces!, /kube-system/);
    assertNoSecretPrinted(run, [e.kube!.tokens.admin]);
  });

  test('AKS credentials through the Azure service connection', async () => {
    const run = await azp(
      { probe: 'cluster', azureSubscription: CONNECTION, clusterResourceGroup: 'rg-aks', clusterName: 'aks-aad', ...customAzp() },
      endpointEnv(CONNECTION, 'ServicePrincipal', { tenantid: e.tenantId, serviceprincipalid: sp.clientId, serviceprincipalkey: SECRET, authenticationType: 'spnKey' }, { subscriptionId: e.subscriptionId }),
    );
    assert.equal(run.result, 'Succeeded', run.stdout);
    assert.match(run.outputs.namespaces!, /kube-system/);
    assertNoSecretPrinted(run, [SECRET]);
  });

  test('managed identity of the agent (ManagedServiceIdentity connection)', async () => {
    const { env } = e.registerManagedIdentity();
    const run = await azp(
      { probe: 'azure', azureSubscription: CONNECTION, resourceGroup: 'rg-net', ...customAzp() },
      { ...env, ...endpointEnv(CONNECTION, 'ManagedServiceIdentity', { tenantid: e.tenantId }, { subscriptionId: e.subscriptionId }) },
    );
    assert.equal(run.result, 'Succeeded', run.stdout);
    assert.match(run.outputs.azureMethod!, /^managed identity of the agent/);
    assert.equal(run.outputs.vnets, 'vnet-hub');
  });

  test('an unsupported scheme names the connection', async () => {
    const run = await azp({ probe: 'azure', azureSubscription: CONNECTION, ...customAzp() }, endpointEnv(CONNECTION, 'Certificate', {}));
    assert.equal(run.result, 'Failed');
    assert.match(run.resultMessage!, /The service connection 6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a00 cannot be used: its scheme 'Certificate' is not supported\./);
  });
});
