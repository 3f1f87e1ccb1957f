import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PatchStrategy, setHeaderOptions, type CoreV1Event, type V1Service } from '@kubernetes/client-node';
import { ArmStore } from '../src/arm/store';
import * as A from '../src/cloud-provider/annotations';
import { startCloudProvider, type CloudProvider } from '../src/cloud-provider/controller';
import type { KubeServer } from '../src/kube/server';
import { clientsFor, startTestKube, until, type KubeClients } from './kube-helpers';

const SUB = '00000000-0000-0000-0000-000000000001';
const VNET = `/subscriptions/${SUB}/resourceGroups/net-rg/providers/Microsoft.Network/virtualNetworks/spoke`;
const NODE_RG = 'MC_rg_aks_westeurope';
const PLS_TYPE = 'Microsoft.Network/privateLinkServices';

describe('simulated cloud-provider-azure', () => {
  let server: KubeServer;
  let c: KubeClients;
  let arm: ArmStore;
  let cp: CloudProvider;
  before(async () => {
    server = await startTestKube();
    c = clientsFor(server);
    arm = new ArmStore();
    arm.put({ id: VNET, name: 'spoke', type: 'Microsoft.Network/virtualNetworks', location: 'westeurope', properties: { addressSpace: { addressPrefixes: ['10.224.0.0/12'] } } });
    arm.put({ id: `${VNET}/subnets/aks-subnet`, name: 'aks-subnet', type: 'Microsoft.Network/virtualNetworks/subnets', properties: { addressPrefix: '10.224.0.0/16' } });
    arm.put({ id: `${VNET}/subnets/ilb`, name: 'ilb', type: 'Microsoft.Network/virtualNetworks/subnets', properties: { addressPrefix: '10.225.1.0/24', privateLinkServiceNetworkPolicies: 'Enabled' } });
    // AKS runs the controller with the default --cluster-name, `kubernetes`.
    cp = startCloudProvider({ kube: server.store, arm, subscriptionId: SUB, location: 'westeurope', clusterName: 'kubernetes', nodeResourceGroup: NODE_RG, vnetId: VNET, delayMs: 20 });
  });
  after(async () => {
    cp.stop();
    await server.stop();
  });

  const lb = (name: string, annotations: Record<string, string> = {}): V1Service => ({
    metadata: { name, annotations },
    spec: { type: 'LoadBalancer', selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] },
  });
  const ingressIp = async (name: string) =>
    until(async () => (await c.core.readNamespacedService({ name, namespace: 'default' })).status?.loadBalancer?.ingress?.[0]?.ip);
  const warnings = async (name: string) =>
    (await c.core.listNamespacedEvent({ namespace: 'default', fieldSelector: `involvedObject.name=${name},type=Warning` })).items as CoreV1Event[];

  it('an internal LoadBalancer gets a node-subnet IP after a delay, seen on a watch', async () => {
    const seen: string[] = [];
    const ctrl = await c.watch.watch('/api/v1/namespaces/default/services', { fieldSelector: 'metadata.name=ilb1' }, (type, o: V1Service) => {
      seen.push(`${type}:${o.status?.loadBalancer?.ingress?.[0]?.ip ?? 'pending'}`);
    }, () => undefined);
    const created = await c.core.createNamespacedService({ namespace: 'default', body: lb('ilb1', { [A.LB_INTERNAL]: 'true' }) });
    assert.equal(created.status?.loadBalancer?.ingress, undefined, 'pending at first');
    await until(() => seen.some((s) => s.startsWith('MODIFIED:10.224.')));
    ctrl.abort();
    assert.equal(seen[0], 'ADDED:pending');
    assert.match(seen.at(-1)!, /^MODIFIED:10\.224\.0\.\d+$/);
  });

  it('"True" is not "true": without the exact string the frontend is public', async () => {
    await c.core.createNamespacedService({ namespace: 'default', body: lb('pub', { [A.LB_INTERNAL]: 'True' }) });
    assert.match(await ingressIp('pub'), /^20\.62\./);
  });

  it('the internal-subnet annotation allocates from that ArmStore subnet', async () => {
    await c.core.createNamespacedService({ namespace: 'default', body: lb('ilb2', { [A.LB_INTERNAL]: 'true', [A.LB_INTERNAL_SUBNET]: 'ilb' }) });
    assert.match(await ingressIp('ilb2'), /^10\.225\.1\.\d+$/);
  });

  it('a pinned IP is used; outside the subnet or taken → SyncLoadBalancerFailed, IP stays pending', async () => {
    await c.core.createNamespacedService({ namespace: 'default', body: lb('pinned', { [A.LB_INTERNAL]: 'true', [A.LB_IPV4]: '10.224.5.5' }) });
    assert.equal(await ingressIp('pinned'), '10.224.5.5');

    await c.core.createNamespacedService({ namespace: 'default', body: lb('outside', { [A.LB_INTERNAL]: 'true', [A.LB_IPV4]: '10.9.9.9' }) });
    const ev = await until(async () => (await warnings('outside'))[0]);
    assert.equal(ev.reason, 'SyncLoadBalancerFailed');
    assert.equal(ev.source?.component, 'service-controller');
    assert.match(ev.message ?? '', /^Error syncing load balancer: failed to ensure load balancer: .*PrivateIPAddressNotInSubnet.*10\.9\.9\.9 does not belong to the range of subnet prefix 10\.224\.0\.0\/16/);
    assert.equal((await c.core.readNamespacedService({ name: 'outside', namespace: 'default' })).status?.loadBalancer?.ingress, undefined);

    await c.core.createNamespacedService({ namespace: 'default', body: lb('dup', { [A.LB_INTERNAL]: 'true', [A.LB_IPV4]: '10.224.5.5' }) });
    const dup = await until(async () => (await warnings('dup'))[0]);
    assert.match(dup.message ?? '', /PrivateIPAddressInUse/);

    // Fixing the annotation recovers.
    await c.core.patchNamespacedService({ name: 'outside', namespace: 'default', body: { metadata: { annotations: { [A.LB_IPV4]: '10.224.6.6' } } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    assert.equal(await ingressIp('outside'), '10.224.6.6');
  });

  it('creates a PLS in the ArmStore with tags, alias, visibility and auto-approval; no rewrite when unchanged', async () => {
    const svc = await c.core.createNamespacedService({
      namespace: 'default',
      body: lb('backend', {
        [A.LB_INTERNAL]: 'true',
        [A.PLS_CREATE]: 'true',
        [A.PLS_NAME]: 'backend-pls',
        [A.PLS_IP_CONFIGURATION_SUBNET]: 'ilb',
        [A.PLS_IP_CONFIGURATION_IP_ADDRESS_COUNT]: '2',
        [A.PLS_IP_CONFIGURATION_IP_ADDRESS]: '10.225.1.50',
        [A.PLS_VISIBILITY]: `${SUB} 00000000-0000-0000-0000-000000000002`,
        [A.PLS_AUTO_APPROVAL]: SUB,
        [A.PLS_PROXY_PROTOCOL]: 'false',
      }),
    });
    await ingressIp('backend');
    const id = `/subscriptions/${SUB}/resourceGroups/${NODE_RG}/providers/${PLS_TYPE}/backend-pls`;
    const pls = await until(() => arm.get(id));
    assert.equal(pls.tags?.[A.TAG_OWNER_SERVICE], 'default/backend');
    assert.equal(pls.tags?.[A.TAG_CLUSTER_NAME], 'kubernetes');
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form ARM JSON
    const p = pls.properties as Record<string, any>;
    assert.match(p.alias, /^backend-pls\.[0-9a-f-]{36}\.westeurope\.azure\.privatelinkservice$/);
    assert.deepEqual(p.visibility, { subscriptions: [SUB, '00000000-0000-0000-0000-000000000002'] });
    assert.deepEqual(p.autoApproval, { subscriptions: [SUB] });
    assert.equal(p.enableProxyProtocol, false);
    assert.equal(p.ipConfigurations.length, 2);
    assert.deepEqual(p.ipConfigurations.map((i: { properties: { privateIPAllocationMethod: string; primary: boolean } }) => [i.properties.privateIPAllocationMethod, i.properties.primary]), [['Static', true], ['Dynamic', false]]);
    assert.equal(p.ipConfigurations[0].properties.privateIPAddress, '10.225.1.50');
    assert.ok(p.ipConfigurations[0].properties.subnet.id.endsWith('/subnets/ilb'));
    assert.equal(p.loadBalancerFrontendIpConfigurations[0].id, `/subscriptions/${SUB}/resourceGroups/${NODE_RG}/providers/Microsoft.Network/loadBalancers/kubernetes-internal/frontendIPConfigurations/a${svc.metadata!.uid!.replace(/-/g, '')}`);
    assert.equal(arm.get(`${VNET}/subnets/ilb`)?.properties?.['privateLinkServiceNetworkPolicies'], 'Disabled', 'network policies disabled on the PLS subnet');

    const writes = arm.writes;
    await c.core.patchNamespacedService({ name: 'backend', namespace: 'default', body: { metadata: { labels: { unrelated: 'x' } } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    await new Promise((r) => setTimeout(r, 80));
    assert.equal(arm.writes, writes, 'no ARM write for an unchanged PLS');

    await c.core.patchNamespacedService({ name: 'backend', namespace: 'default', body: { metadata: { annotations: { [A.PLS_VISIBILITY]: '*' } } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    await until(() => ((arm.get(id)?.properties as { visibility?: { subscriptions?: string[] } })?.visibility?.subscriptions?.[0] === '*' ? true : undefined));
    assert.equal((arm.get(id)?.properties as { alias?: string }).alias, p.alias, 'alias is stable across updates');
  });

  const ILB = `/subscriptions/${SUB}/resourceGroups/${NODE_RG}/providers/Microsoft.Network/loadBalancers/kubernetes-internal`;
  type Fe = { name: string; id: string; properties: { privateIPAddress: string; privateIPAllocationMethod: string; subnet: { id: string } } };
  const frontends = () => ((arm.get(ILB)?.properties?.['frontendIPConfigurations'] as Fe[] | undefined) ?? []);

  it('internal frontends are frontend IP configurations of kubernetes-internal in the node resource group; the PLS references the one with the Service IP', async () => {
    const svc = await c.core.createNamespacedService({ namespace: 'default', body: lb('fe-check', { [A.LB_INTERNAL]: 'true', [A.PLS_CREATE]: 'true', [A.PLS_NAME]: 'fe-check-pls' }) });
    const ip = await ingressIp('fe-check');
    const name = `a${svc.metadata!.uid!.replace(/-/g, '')}`;
    const fe = frontends().find((f) => f.name === name)!;
    assert.ok(fe, 'the frontend exists');
    assert.equal(fe.id, `${ILB}/frontendIPConfigurations/${name}`);
    assert.equal(fe.properties.privateIPAddress, ip);
    assert.equal(fe.properties.privateIPAllocationMethod, 'Dynamic');
    assert.ok(fe.properties.subnet.id.endsWith('/subnets/aks-subnet'));
    const pls = await until(() => arm.ofType(PLS_TYPE).find((p) => p.name === 'fe-check-pls'));
    assert.equal((pls.properties as { loadBalancerFrontendIpConfigurations: { id: string }[] }).loadBalancerFrontendIpConfigurations[0]!.id, fe.id);
    const pinned = frontends().find((f) => f.properties.privateIPAddress === '10.224.5.5');
    assert.equal(pinned?.properties.privateIPAllocationMethod, 'Static', 'a pinned IP is a static frontend');
    assert.equal(frontends().some((f) => f.properties.privateIPAddress.startsWith('20.62.')), false, 'public frontends are not on the internal load balancer');

    await c.core.deleteNamespacedService({ name: 'fe-check', namespace: 'default' });
    await until(() => (frontends().some((f) => f.name === name) ? undefined : true));
  });

  it('auto-approval is written as given even when visibility does not list it (the controller no longer checks; no event)', async () => {
    const other = '00000000-0000-0000-0000-000000000009';
    await c.core.createNamespacedService({
      namespace: 'default',
      body: lb('approve', { [A.LB_INTERNAL]: 'true', [A.PLS_CREATE]: 'true', [A.PLS_NAME]: 'approve-pls', [A.PLS_VISIBILITY]: SUB, [A.PLS_AUTO_APPROVAL]: `${SUB} ${other}` }),
    });
    const pls = await until(() => arm.ofType(PLS_TYPE).find((p) => p.name === 'approve-pls'));
    assert.deepEqual((pls.properties as { visibility: unknown }).visibility, { subscriptions: [SUB] });
    assert.deepEqual((pls.properties as { autoApproval: unknown }).autoApproval, { subscriptions: [SUB, other] });
    assert.deepEqual(await warnings('approve'), []);
  });

  it('the default PLS name is pls-<frontend config name>', async () => {
    const svc = await c.core.createNamespacedService({ namespace: 'default', body: lb('dflt', { [A.LB_INTERNAL]: 'true', [A.PLS_CREATE]: 'true' }) });
    const name = `pls-a${svc.metadata!.uid!.replace(/-/g, '')}`;
    const pls = await until(() => arm.ofType(PLS_TYPE).find((p) => p.name === name));
    assert.equal(pls.tags?.[A.TAG_OWNER_SERVICE], 'default/dflt');
  });

  for (const [label, annotations, message] of [
    ['count 0', { [A.PLS_IP_CONFIGURATION_IP_ADDRESS_COUNT]: '0' }, 'minimum number of private link service ipConfig is 1, 0 provided'],
    ['count 9', { [A.PLS_IP_CONFIGURATION_IP_ADDRESS_COUNT]: '9' }, 'maximum number of private link service ipConfig is 8, 9 provided'],
    ['more static IPs than count', { [A.PLS_IP_CONFIGURATION_IP_ADDRESS]: '10.224.9.1 10.224.9.2' }, 'checkAndUpdatePLSIPConfigs: ipConfigCount(1) must be no smaller than number of static IPs specified(2)'],
    ['a bad static IP', { [A.PLS_IP_CONFIGURATION_IP_ADDRESS]: 'ten.0.0.1' }, 'getPLSStaticIPs: ten.0.0.1 is not a valid IP address'],
    ['not internal', { [A.LB_INTERNAL]: 'false' }, 'reconcilePrivateLinkService for service(default/bad-'],
  ] as const) {
    it(`PLS validation: ${label} → Warning event, no PLS`, async () => {
      const name = `bad-${label.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
      const before = arm.ofType(PLS_TYPE).length;
      await c.core.createNamespacedService({ namespace: 'default', body: lb(name, { [A.LB_INTERNAL]: 'true', [A.PLS_CREATE]: 'true', ...annotations }) });
      const ev = await until(async () => (await warnings(name))[0]);
      assert.equal(ev.reason, 'SyncLoadBalancerFailed');
      assert.ok(ev.message?.startsWith('Error syncing load balancer: failed to ensure load balancer: '));
      assert.ok(ev.message?.includes(message), ev.message);
      assert.equal(arm.ofType(PLS_TYPE).length, before);
    });
  }

  it('type change releases the IP and deletes the PLS; deletion too', async () => {
    const id = `/subscriptions/${SUB}/resourceGroups/${NODE_RG}/providers/${PLS_TYPE}/backend-pls`;
    const ip = await ingressIp('backend');
    await c.core.patchNamespacedService({ name: 'backend', namespace: 'default', body: { spec: { type: 'ClusterIP' } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    await until(() => (arm.get(id) ? undefined : true));
    const svc = await until(async () => {
      const s = await c.core.readNamespacedService({ name: 'backend', namespace: 'default' });
      return s.status?.loadBalancer?.ingress ? undefined : s;
    });
    assert.equal(JSON.stringify(svc.status?.loadBalancer), '{}');
    assert.ok(!cp.allocatedIps().includes(ip));
    const pinnedIp = await ingressIp('pinned');
    await c.core.deleteNamespacedService({ name: 'pinned', namespace: 'default' });
    await until(() => (cp.allocatedIps().includes(pinnedIp) ? undefined : true));
    assert.equal(frontends().some((f) => f.properties.privateIPAddress === pinnedIp), false, 'its frontend is gone');
  });

  it('the internal load balancer is deleted with its last frontend', async () => {
    const services = (await c.core.listNamespacedService({ namespace: 'default' })).items;
    await Promise.all(services.filter((s) => s.spec?.type === 'LoadBalancer').map((s) => c.core.deleteNamespacedService({ name: s.metadata!.name!, namespace: 'default' })));
    await until(() => (arm.get(ILB) ? undefined : true));
  });
});
