// A healthy world for the unit tests of the findings; each test changes one thing.
import type { World } from './world';

const SUB = '/subscriptions/00000000-0000-0000-0000-000000000001';
export const VNET_ID = `${SUB}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/hub`;

export function healthyWorld(change: (w: World) => void = () => {}): World {
  const w: World = {
    webapp: { label: 'app', location: 'westeurope', planId: `${SUB}/resourceGroups/rg/providers/Microsoft.Web/serverfarms/plan`, planName: 'plan', planLocation: 'West Europe', planTier: 'PremiumV3', routeAll: false, dnsServers: [], legacyVnets: [], appSettingDns: { servers: [] }, scm: { label: 'app', scmHost: 'app.scm.azurewebsites.net', linux: false } },
    vnet: {
      id: VNET_ID,
      name: 'hub',
      location: 'westeurope',
      addressSpace: ['10.224.0.0/12'],
      dnsServers: [],
      subnets: [
        { name: 'aks', id: `${VNET_ID}/subnets/aks`, prefixes: ['10.224.0.0/16'], delegations: [], plans: [], users: [] },
        { name: 'web', id: `${VNET_ID}/subnets/web`, prefixes: ['10.225.0.0/26'], delegations: ['Microsoft.Web/serverFarms'], plans: [], users: [] },
      ],
      peerings: [],
    },
    subnetName: 'web',
    cluster: { name: 'aks1', networkPlugin: 'azure', networkPluginMode: 'overlay', podCidrs: ['10.244.0.0/16'], serviceCidrs: ['10.0.0.0/16'], dnsServiceIP: '10.0.0.10', nodeSubnetIds: [`${VNET_ID}/subnets/aks`], apiServer: { authorizedRanges: [], isPrivate: false } },
    nodeSubnets: [{ id: `${VNET_ID}/subnets/aks`, name: 'aks', vnetId: VNET_ID, prefixes: ['10.224.0.0/16'] }],
    linkedZones: [],
    zone: 'svc.example.internal',
    dnsIp: '10.224.0.50',
  };
  w.subnet = w.vnet.subnets[1];
  change(w);
  return w;
}
