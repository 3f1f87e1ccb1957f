import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { NetworkManagementClient } from '@azure/arm-network';
import { armOptions, world } from './helpers';

describe('seeded NSGs, route tables, VNet DNS servers and AKS network profiles, read through the SDKs', () => {
  let w: Awaited<ReturnType<typeof world>>;
  let net: NetworkManagementClient;
  before(async () => {
    w = await world();
    net = new NetworkManagementClient(w.credential, w.e.subscriptionId, armOptions(w.e));
  });
  after(() => w.e.stop());

  it('an NSG has its rules and the six default rules, and is associated both ways with its subnet', async () => {
    const { vnet } = w.e.seed.vnet('rg', 'sec-vnet', { addressPrefixes: ['10.50.0.0/16'], dnsServers: ['10.50.0.4'], subnets: [{ name: 'web', addressPrefix: '10.50.1.0/26' }] });
    const subnetId = `${vnet.id}/subnets/web`;
    w.e.seed.networkSecurityGroup('rg', 'web-nsg', { subnetIds: [subnetId], rules: [{ name: 'deny-dns', priority: 200, access: 'Deny', protocol: 'Udp', destinationPorts: '53' }] });
    const nsg = await net.networkSecurityGroups.get('rg', 'web-nsg');
    assert.deepEqual(nsg.securityRules?.map((r) => [r.name, r.priority, r.direction, r.access, r.protocol, r.destinationPortRange]), [['deny-dns', 200, 'Outbound', 'Deny', 'Udp', '53']]);
    assert.deepEqual(
      nsg.defaultSecurityRules?.map((r) => `${r.direction} ${r.priority} ${r.access} ${r.name} ${r.sourceAddressPrefix}->${r.destinationAddressPrefix}`),
      [
        'Inbound 65000 Allow AllowVnetInBound VirtualNetwork->VirtualNetwork',
        'Inbound 65001 Allow AllowAzureLoadBalancerInBound AzureLoadBalancer->*',
        'Inbound 65500 Deny DenyAllInBound *->*',
        'Outbound 65000 Allow AllowVnetOutBound VirtualNetwork->VirtualNetwork',
        'Outbound 65001 Allow AllowInternetOutBound *->Internet',
        'Outbound 65500 Deny DenyAllOutBound *->*',
      ],
    );
    assert.deepEqual(nsg.subnets?.map((s) => s.id), [subnetId]);
    const subnet = await net.subnets.get('rg', 'sec-vnet', 'web');
    assert.equal(subnet.networkSecurityGroup?.id, nsg.id);
    assert.deepEqual((await net.virtualNetworks.get('rg', 'sec-vnet')).dhcpOptions?.dnsServers, ['10.50.0.4']);
  });

  it('a route table has its routes and is associated with its subnet', async () => {
    const { vnet } = w.e.seed.vnet('rg', 'rt-vnet', { addressPrefixes: ['10.60.0.0/16'], subnets: [{ name: 'web', addressPrefix: '10.60.1.0/26' }] });
    w.e.seed.routeTable('rg', 'web-rt', { subnetIds: [`${vnet.id}/subnets/web`], routes: [{ name: 'to-fw', addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.60.0.4' }] });
    const table = await net.routeTables.get('rg', 'web-rt');
    assert.deepEqual(table.routes?.map((r) => [r.name, r.addressPrefix, r.nextHopType, r.nextHopIpAddress]), [['to-fw', '0.0.0.0/0', 'VirtualAppliance', '10.60.0.4']]);
    assert.equal((await net.subnets.get('rg', 'rt-vnet', 'web')).routeTable?.id, table.id);
    assert.equal((await net.virtualNetworks.get('rg', 'rt-vnet')).dhcpOptions?.dnsServers, undefined, 'no custom DNS: Azure-provided');
  });

  it('AKS network profile variants: kubenet, flat Azure CNI and Azure CNI overlay', async () => {
    const aks = new ContainerServiceClient(w.credential, w.e.subscriptionId, armOptions(w.e));
    w.e.seed.cluster('rg', 'kubenet', { networkProfile: { networkPlugin: 'kubenet', networkPluginMode: undefined } });
    w.e.seed.cluster('rg', 'flat', { networkProfile: { networkPlugin: 'azure', networkPluginMode: undefined, podCidr: undefined } });
    w.e.seed.cluster('rg', 'overlay');
    const profile = async (name: string) => {
      const p = (await aks.managedClusters.get('rg', name)).networkProfile!;
      return [p.networkPlugin, p.networkPluginMode, p.podCidr, p.serviceCidr, p.dnsServiceIP];
    };
    assert.deepEqual(await profile('kubenet'), ['kubenet', undefined, '10.244.0.0/16', '10.0.0.0/16', '10.0.0.10']);
    assert.deepEqual(await profile('flat'), ['azure', undefined, undefined, '10.0.0.0/16', '10.0.0.10']);
    assert.deepEqual(await profile('overlay'), ['azure', 'overlay', '10.244.0.0/16', '10.0.0.0/16', '10.0.0.10']);
  });
});
