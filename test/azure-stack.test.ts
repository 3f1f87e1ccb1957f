// Azure Stack Hub service connections on Azure Pipelines, through a shipped bundle (set-webapp-dns)
// against stand-ins for a stack signing in with Entra ID and one signing in with AD FS: the
// authority and ARM's token audience come from the connection's data or from the stack's
// /metadata/endpoints, as the built-in Azure tasks take them; the audience is not ARM's URL.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AZURE_CONNECTION_ID, runShippedStep, secretsPrinted, startWorld, type RunOptions, type StepRun, type World } from './support/harness';

const STEP = 'set-webapp-dns';
const ENTRA_AUDIENCE = 'https://management.contoso.onmicrosoft.com/4de154de-f8a8-4017-af41-df619da68155';
const ADFS_AUDIENCE = 'https://management.adfs.azurestack.local/9e2b6b07-7f5a-4d5b-a3a4-3a3b0f0e7c11';

async function stack(audience: string, identity: 'entra' | 'adfs'): Promise<World> {
  const world = await startWorld({ kube: { enabled: false }, azureStack: { audience, identity } });
  const { e } = world;
  e.seed.resourceGroup('rg', 'local');
  const plan = e.seed.plan('rg', 'plan').id;
  for (const name of ['app-a', 'app-b', 'app-c']) e.seed.site('rg', name, plan, { appSettings: { KEEP: '1' } });
  return world;
}

function run(world: World, webapp: string, options: RunOptions = {}): Promise<StepRun> {
  return runShippedStep(world, STEP, 'azure-pipelines', { webapp, 'resource-group': 'rg', 'dns-server': '10.0.0.10' }, { azure: 'azure-stack', cluster: 'none', ...options });
}

const dnsServers = (world: World, webapp: string) =>
  ((world.e.store.get(`/subscriptions/${world.e.subscriptionId}/resourceGroups/rg/providers/Microsoft.Web/sites/${webapp}`)?.properties ?? {}) as { dnsConfiguration?: { dnsServers?: string[] } })
    .dnsConfiguration?.dnsServers;

const requests = (world: World) => world.e.log.entries.map((l) => `${l.method} ${l.path}`);

for (const [identity, audience] of [
  ['entra', ENTRA_AUDIENCE],
  ['adfs', ADFS_AUDIENCE],
] as const) {
  describe(`Azure Stack Hub signing in with ${identity === 'adfs' ? 'AD FS' : 'Entra ID'}`, () => {
    let world: World;
    before(async () => {
      world = await stack(audience, identity);
    });
    after(() => world?.stop());

    const tokenPath = (w: World) => (identity === 'adfs' ? 'POST /adfs/oauth2/token/' : `POST /${w.e.tenantId}/oauth2/v2.0/token`);

    test("with only the connection's URL, the authority and audience are read from /metadata/endpoints", async () => {
      world.e.log.clear();
      const r = await run(world, 'app-a');
      assert.equal(r.succeeded, true, r.error ?? r.stdout);
      const loginEndpoint = identity === 'adfs' ? `${world.e.urls.arm}/adfs/` : `${world.e.urls.arm}/`;
      assert.match(r.stdout, new RegExp(`Read from the metadata of ${world.e.urls.arm}/: sign in at ${loginEndpoint}, ARM token audience ${audience}\\.`));
      assert.match(r.stdout, /Signed in to Azure \(AzureStack\) with service principal secret/);
      assert.deepEqual(dnsServers(world, 'app-a'), ['10.0.0.10']);
      const seen = requests(world);
      assert.ok(seen.includes('GET /metadata/endpoints'), seen.join('\n'));
      assert.ok(seen.includes(tokenPath(world)), seen.join('\n'));
      assert.ok(!seen.some((s) => s.includes('/discovery/instance')), 'no instance discovery');
      assert.deepEqual(secretsPrinted(r, [world.sp.secret]), []);
    });

    test("with the connection's authority and audience data, ARM's metadata is not read", async () => {
      world.e.log.clear();
      const authority = identity === 'adfs' ? `${world.e.urls.arm}/adfs/` : `${world.e.urls.arm}/`;
      const r = await run(world, 'app-b', { connectionData: { activeDirectoryAuthority: authority, activeDirectoryServiceEndpointResourceId: audience } });
      assert.equal(r.succeeded, true, r.error ?? r.stdout);
      assert.deepEqual(dnsServers(world, 'app-b'), ['10.0.0.10']);
      const seen = requests(world);
      assert.ok(!seen.includes('GET /metadata/endpoints'), seen.join('\n'));
      assert.ok(seen.includes(tokenPath(world)), seen.join('\n'));
    });

    test('a connection URL that is not the stack ARM says so, before any token request or write', async () => {
      world.e.log.clear();
      const writes = world.e.store.writes;
      const r = await run(world, 'app-c', { env: { [`ENDPOINT_URL_${AZURE_CONNECTION_ID}`]: `${world.e.urls.arm}/nope/` } });
      assert.equal(r.succeeded, false);
      assert.match(r.error ?? '', new RegExp(`The ARM metadata at ${world.e.urls.arm}/nope/metadata/endpoints\\?api-version=2015-01-01 answered HTTP 404\\. Check the service connection's environment URL`));
      assert.deepEqual(requests(world), ['GET /nope/metadata/endpoints']);
      assert.equal(world.e.store.writes, writes);
      assert.equal(dnsServers(world, 'app-c'), undefined);
    });
  });
}
