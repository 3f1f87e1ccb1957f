import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { AKS_AAD_SERVER_APP_ID } from '../src/index';
import { LB_INTERNAL, PLS_CREATE, PLS_NAME } from '../src/cloud-provider/annotations';
import { armOptions, world } from './helpers';
import { until } from './kube-helpers';
import { SERVICES } from '../src/kube/resources';

describe('startEmulator wires the kube API, cloud provider and CoreDNS', () => {
  let w: Awaited<ReturnType<typeof world>>;
  before(async () => {
    w = await world({ kube: { rolloutDelayMs: 20, loadBalancerDelayMs: 10 } });
    w.e.seed.cluster('rg', 'aks');
  });
  after(() => w.e.stop());

  it('listClusterAdminCredentials returns a kubeconfig that reaches the stand-in over https', async () => {
    const aks = new ContainerServiceClient(w.credential, w.e.subscriptionId, armOptions(w.e));
    const cred = await aks.managedClusters.listClusterAdminCredentials('rg', 'aks');
    const kc = new KubeConfig();
    kc.loadFromString(Buffer.from(cred.kubeconfigs![0]!.value!).toString());
    assert.equal(kc.getCurrentCluster()?.server, w.e.kube!.httpsUrl);
    const core = kc.makeApiClient(CoreV1Api);
    const svc = await core.readNamespacedService({ name: 'kube-dns', namespace: 'kube-system' });
    assert.equal(svc.spec?.clusterIP, '10.0.0.10');
  });

  it('accepts Entra access tokens for the AKS server app; other audiences are 401', async () => {
    const good = w.e.issueAccessToken({ appId: w.app.clientId, objectId: 'oid-1' }, AKS_AAD_SERVER_APP_ID);
    const res = await fetch(`${w.e.kube!.httpUrl}/api/v1/namespaces/default`, { headers: { authorization: `Bearer ${good}` } });
    assert.equal(res.status, 200);
    const wrong = w.e.issueAccessToken({ appId: w.app.clientId, objectId: 'oid-1' }, 'https://management.azure.com/');
    assert.equal((await fetch(`${w.e.kube!.httpUrl}/api/v1/namespaces/default`, { headers: { authorization: `Bearer ${wrong}` } })).status, 401);
  });

  it('the cloud provider follows the seeded cluster: PLS lands in its node resource group', async () => {
    const kube = w.e.kube!;
    kube.api.create(SERVICES, 'default', {
      metadata: { name: 'backend', annotations: { [LB_INTERNAL]: 'true', [PLS_CREATE]: 'true', [PLS_NAME]: 'backend-pls' } },
      spec: { type: 'LoadBalancer', ports: [{ port: 80 }] },
    }, { manager: 'test' });
    const pls = await until(() => w.e.store.ofType('Microsoft.Network/privateLinkServices').find((p) => p.name === 'backend-pls'));
    assert.match(pls.id, /\/resourceGroups\/MC_rg_aks_westeurope\//);
    assert.equal(pls.location, 'westeurope');
    // AKS's controller runs with the default --cluster-name: the tag never carries the ARM cluster's name.
    assert.equal(pls.tags?.['k8s-azure-cluster-name'], 'kubernetes');
    const fe = (pls.properties as { loadBalancerFrontendIpConfigurations: { id: string }[] }).loadBalancerFrontendIpConfigurations[0]!.id;
    assert.match(fe, /\/resourceGroups\/MC_rg_aks_westeurope\/providers\/Microsoft\.Network\/loadBalancers\/kubernetes-internal\/frontendIPConfigurations\//);
    assert.ok(w.e.store.get(fe.replace(/\/frontendIPConfigurations\/.*$/, '')), 'the internal load balancer is in the node resource group');
    assert.ok(w.e.coredns!.port > 0);
  });
});
