import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { parse } from 'yaml';
import { AKS_AAD_SERVER_APP_ID } from '../src/index';
import { armCode, armOptions, world } from './helpers';

describe('ARM Microsoft.ContainerService through @azure/arm-containerservice', () => {
  let w: Awaited<ReturnType<typeof world>>;
  let aks: ContainerServiceClient;
  before(async () => {
    w = await world();
    aks = new ContainerServiceClient(w.credential, w.e.subscriptionId, armOptions(w.e));
    w.e.setKube({ server: 'https://127.0.0.1:6443', caPem: w.e.tls.caPem, adminToken: 'admin-token' });
  });
  after(() => w.e.stop());

  it('creates a cluster through the SDK poller (Creating -> Succeeded)', async () => {
    const poller = await aks.managedClusters.beginCreateOrUpdate('rg', 'aks', {
      location: 'westeurope',
      dnsPrefix: 'aks',
      aadProfile: { managed: true, enableAzureRbac: true },
      networkProfile: { networkPlugin: 'azure', networkPluginMode: 'overlay' },
      apiServerAccessProfile: { authorizedIPRanges: ['203.0.113.0/24'] },
    }, { updateIntervalInMs: 5 });
    const id = `/subscriptions/${w.e.subscriptionId}/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks`;
    assert.equal(w.e.store.get(id)?.properties?.provisioningState, 'Creating');
    const cluster = await poller.pollUntilDone();
    assert.equal(cluster.provisioningState, 'Succeeded');
    assert.equal(cluster.aadProfile?.tenantID, w.e.tenantId);
    assert.match(cluster.fqdn ?? '', /\.hcp\.westeurope\.azmk8s\.io$/);
  });

  it('updates authorizedIPRanges with If-Match and refuses a stale etag with 412', async () => {
    const cluster = await aks.managedClusters.get('rg', 'aks');
    const updated = await aks.managedClusters.beginCreateOrUpdateAndWait('rg', 'aks', { ...cluster, apiServerAccessProfile: { authorizedIPRanges: ['203.0.113.0/24', '198.51.100.7/32'] } }, { ifMatch: cluster.eTag, updateIntervalInMs: 5 });
    assert.deepEqual(updated.apiServerAccessProfile?.authorizedIPRanges, ['203.0.113.0/24', '198.51.100.7/32']);
    assert.ok(cluster.eTag);
    assert.notEqual(updated.eTag, cluster.eTag);
    const code = await armCode(aks.managedClusters.beginCreateOrUpdateAndWait('rg', 'aks', { ...cluster, apiServerAccessProfile: { authorizedIPRanges: [] } }, { ifMatch: cluster.eTag, updateIntervalInMs: 5 }));
    assert.equal(code, 'PreconditionFailed');
  });

  it('refuses to change the network plugin', async () => {
    const cluster = await aks.managedClusters.get('rg', 'aks');
    const code = await armCode(aks.managedClusters.beginCreateOrUpdateAndWait('rg', 'aks', { ...cluster, networkProfile: { ...cluster.networkProfile, networkPlugin: 'kubenet' } }, { updateIntervalInMs: 5 }));
    assert.equal(code, 'PropertyChangeNotAllowed');
  });

  it('returns a kubelogin exec user kubeconfig for AAD clusters and a static admin one', async () => {
    const user = await aks.managedClusters.listClusterUserCredentials('rg', 'aks');
    const kc = parse(Buffer.from(user.kubeconfigs![0]!.value!).toString()) as { clusters: { cluster: { server: string } }[]; users: { user: { exec: { command: string; args: string[] } } }[] };
    assert.equal(kc.clusters[0]!.cluster.server, 'https://127.0.0.1:6443');
    assert.equal(kc.users[0]!.user.exec.command, 'kubelogin');
    assert.ok(kc.users[0]!.user.exec.args.includes(AKS_AAD_SERVER_APP_ID));
    const admin = await aks.managedClusters.listClusterAdminCredentials('rg', 'aks');
    const akc = parse(Buffer.from(admin.kubeconfigs![0]!.value!).toString()) as { users: { user: { token: string } }[] };
    assert.equal(akc.users[0]!.user.token, 'admin-token');
  });

  it('refuses admin credentials when local accounts are disabled', async () => {
    w.e.seed.cluster('rg', 'locked', { aad: true, disableLocalAccounts: true });
    assert.equal(await armCode(aks.managedClusters.listClusterAdminCredentials('rg', 'locked')), 'BadRequest');
  });
});
