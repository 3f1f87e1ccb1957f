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

  it('a seeded cluster in a bring-your-own VNet shows its node subnet as agentPoolProfiles[].vnetSubnetID', async () => {
    const subnetId = `/subscriptions/${w.e.subscriptionId}/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/nodes/subnets/aks`;
    w.e.seed.cluster('rg', 'byo', { vnetSubnetID: subnetId });
    assert.deepEqual((await aks.managedClusters.get('rg', 'byo')).agentPoolProfiles?.map((a) => a.vnetSubnetID), [subnetId]);
    w.e.store.delete(`/subscriptions/${w.e.subscriptionId}/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/byo`);
  });

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

  type Kc = { clusters: { cluster: { server: string } }[]; users: { user: { exec?: { command: string }; 'auth-provider'?: { name: string; config: Record<string, string> } } }[] };
  const kubeconfigOf = (r: { kubeconfigs?: { value?: Uint8Array }[] }) => parse(Buffer.from(r.kubeconfigs![0]!.value!).toString()) as Kc;

  it('format: 1.24+ AAD clusters default to exec, older ones to the azure auth-provider; format=exec is honoured; unknown formats are refused', async () => {
    w.e.seed.cluster('rg', 'aad-old', { aad: true, kubernetesVersion: '1.23.12' });
    const old = kubeconfigOf(await aks.managedClusters.listClusterUserCredentials('rg', 'aad-old'));
    assert.equal(old.users[0]!.user['auth-provider']?.name, 'azure');
    assert.equal(old.users[0]!.user['auth-provider']?.config['apiserver-id'], AKS_AAD_SERVER_APP_ID);
    assert.equal(old.users[0]!.user.exec, undefined);
    const exec = kubeconfigOf(await aks.managedClusters.listClusterUserCredentials('rg', 'aad-old', { format: 'exec' }));
    assert.equal(exec.users[0]!.user.exec?.command, 'kubelogin');
    const azure = kubeconfigOf(await aks.managedClusters.listClusterUserCredentials('rg', 'aks', { format: 'azure' }));
    assert.equal(azure.users[0]!.user['auth-provider']?.name, 'azure');
    assert.equal(await armCode(aks.managedClusters.listClusterUserCredentials('rg', 'aks', { format: 'yaml' })), 'InvalidParameter');
  });

  it('private clusters: privateFQDN, a public fqdn unless disabled; server-fqdn=public picks it, for user and admin credentials', async () => {
    const created = await aks.managedClusters.beginCreateOrUpdateAndWait('rg', 'priv', { location: 'westeurope', dnsPrefix: 'priv', apiServerAccessProfile: { enablePrivateCluster: true } }, { updateIntervalInMs: 5 });
    assert.match(created.privateFqdn ?? '', /^priv-[0-9a-f]{8}\.[0-9a-f-]{36}\.privatelink\.westeurope\.azmk8s\.io$/);
    assert.match(created.fqdn ?? '', /^priv-[0-9a-f]{8}\.hcp\.westeurope\.azmk8s\.io$/, 'a public FQDN by default');
    const byDefault = kubeconfigOf(await aks.managedClusters.listClusterUserCredentials('rg', 'priv'));
    assert.equal(byDefault.clusters[0]!.cluster.server, `https://${created.privateFqdn}:443`);
    const publicUser = kubeconfigOf(await aks.managedClusters.listClusterUserCredentials('rg', 'priv', { serverFqdn: 'public' }));
    assert.equal(publicUser.clusters[0]!.cluster.server, 'https://127.0.0.1:6443');
    const publicAdmin = kubeconfigOf(await aks.managedClusters.listClusterAdminCredentials('rg', 'priv', { serverFqdn: 'public' }));
    assert.equal(publicAdmin.clusters[0]!.cluster.server, 'https://127.0.0.1:6443');
    assert.equal(await armCode(aks.managedClusters.listClusterUserCredentials('rg', 'priv', { serverFqdn: 'private' })), 'InvalidParameter');

    const closed = await aks.managedClusters.beginCreateOrUpdateAndWait('rg', 'closed', { location: 'westeurope', dnsPrefix: 'closed', apiServerAccessProfile: { enablePrivateCluster: true, enablePrivateClusterPublicFqdn: false } }, { updateIntervalInMs: 5 });
    assert.equal(closed.fqdn, undefined);
    assert.ok(closed.privateFqdn);
    assert.equal(await armCode(aks.managedClusters.listClusterUserCredentials('rg', 'closed', { serverFqdn: 'public' })), 'InvalidParameter');
    // A cluster that is not private has only its public name: server-fqdn=public changes nothing.
    const plain = kubeconfigOf(await aks.managedClusters.listClusterAdminCredentials('rg', 'aks', { serverFqdn: 'public' }));
    assert.equal(plain.clusters[0]!.cluster.server, 'https://127.0.0.1:6443');
  });

  it('refuses admin credentials when local accounts are disabled', async () => {
    w.e.seed.cluster('rg', 'locked', { aad: true, disableLocalAccounts: true });
    assert.equal(await armCode(aks.managedClusters.listClusterAdminCredentials('rg', 'locked')), 'BadRequest');
  });
});
