// Seeded NSGs and route tables, shaped as Microsoft.Network returns them, and their association
// with subnets. The stand-in's own code (never shared with the steps).
//
// Shapes: azure-rest-api-specs specification/network/resource-manager/Microsoft.Network/stable/
// 2024-05-01/networkSecurityGroup.json (NetworkSecurityGroupPropertiesFormat: securityRules,
// defaultSecurityRules, subnets) and routeTable.json (RouteTablePropertiesFormat: routes,
// disableBgpRoutePropagation, subnets); the subnet refers to them as `networkSecurityGroup: {id}`
// and `routeTable: {id}` (virtualNetwork.json SubnetPropertiesFormat).
// Default rules: every NSG has them, with these names, priorities and prefixes
// (https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview, "Default
// security rules"; examples/NetworkSecurityGroupGet.json in the same spec folder).
import type { ArmResource, ArmStore } from './store';

export const NSG = 'Microsoft.Network/networkSecurityGroups';
export const ROUTE_TABLE = 'Microsoft.Network/routeTables';

type Props = Record<string, unknown>;

export interface SecurityRuleSeed {
  name: string;
  priority: number;
  direction?: 'Inbound' | 'Outbound';
  access: 'Allow' | 'Deny';
  protocol?: 'Tcp' | 'Udp' | 'Icmp' | '*';
  source?: string;
  destination?: string;
  destinationPorts?: string;
}

const DEFAULT_RULES: [string, number, 'Inbound' | 'Outbound', 'Allow' | 'Deny', string, string, string][] = [
  ['AllowVnetInBound', 65000, 'Inbound', 'Allow', 'VirtualNetwork', 'VirtualNetwork', 'Allow inbound traffic from all VMs in VNET'],
  ['AllowAzureLoadBalancerInBound', 65001, 'Inbound', 'Allow', 'AzureLoadBalancer', '*', 'Allow inbound traffic from azure load balancer'],
  ['DenyAllInBound', 65500, 'Inbound', 'Deny', '*', '*', 'Deny all inbound traffic'],
  ['AllowVnetOutBound', 65000, 'Outbound', 'Allow', 'VirtualNetwork', 'VirtualNetwork', 'Allow outbound traffic from all VMs to all VMs in VNET'],
  ['AllowInternetOutBound', 65001, 'Outbound', 'Allow', '*', 'Internet', 'Allow outbound traffic from all VMs to Internet'],
  ['DenyAllOutBound', 65500, 'Outbound', 'Deny', '*', '*', 'Deny all outbound traffic'],
];

function ruleResource(nsgId: string, kind: 'securityRules' | 'defaultSecurityRules', r: SecurityRuleSeed & { description?: string }): Props {
  return {
    name: r.name,
    id: `${nsgId}/${kind}/${r.name}`,
    type: `${NSG}/${kind}`,
    properties: {
      provisioningState: 'Succeeded',
      ...(r.description ? { description: r.description } : {}),
      protocol: r.protocol ?? '*',
      sourcePortRange: '*',
      destinationPortRange: r.destinationPorts ?? '*',
      sourceAddressPrefix: r.source ?? '*',
      destinationAddressPrefix: r.destination ?? '*',
      access: r.access,
      priority: r.priority,
      direction: r.direction ?? 'Outbound',
      sourcePortRanges: [],
      destinationPortRanges: [],
      sourceAddressPrefixes: [],
      destinationAddressPrefixes: [],
    },
  };
}

export function seedNsg(store: ArmStore, groupId: string, name: string, location: string, rules: SecurityRuleSeed[]): ArmResource {
  const id = `${groupId}/providers/${NSG}/${name}`;
  return store.put({
    id,
    name,
    type: NSG,
    location,
    properties: {
      provisioningState: 'Succeeded',
      securityRules: rules.map((r) => ruleResource(id, 'securityRules', r)),
      defaultSecurityRules: DEFAULT_RULES.map(([n, priority, direction, access, source, destination, description]) => ruleResource(id, 'defaultSecurityRules', { name: n, priority, direction, access, source, destination, description })),
      subnets: [],
    },
  });
}

export interface RouteSeed {
  name: string;
  addressPrefix: string;
  nextHopType: 'VirtualNetworkGateway' | 'VnetLocal' | 'Internet' | 'VirtualAppliance' | 'None';
  nextHopIpAddress?: string;
}

export function seedRouteTable(store: ArmStore, groupId: string, name: string, location: string, routes: RouteSeed[]): ArmResource {
  const id = `${groupId}/providers/${ROUTE_TABLE}/${name}`;
  return store.put({
    id,
    name,
    type: ROUTE_TABLE,
    location,
    properties: {
      provisioningState: 'Succeeded',
      disableBgpRoutePropagation: false,
      routes: routes.map((r) => ({ name: r.name, id: `${id}/routes/${r.name}`, type: `${ROUTE_TABLE}/routes`, properties: { provisioningState: 'Succeeded', addressPrefix: r.addressPrefix, nextHopType: r.nextHopType, ...(r.nextHopIpAddress ? { nextHopIpAddress: r.nextHopIpAddress } : {}) } })),
      subnets: [],
    },
  });
}

/** Associates an NSG or route table with a subnet: the subnet refers to it, and it lists the subnet. */
export function associate(store: ArmStore, subnetId: string, resourceId: string): void {
  const subnet = store.get(subnetId);
  const target = store.get(resourceId);
  if (!subnet || !target) throw new Error(`seed: ${subnet ? resourceId : subnetId} does not exist`);
  const key = target.type === NSG ? 'networkSecurityGroup' : 'routeTable';
  store.put({ ...subnet, properties: { ...(subnet.properties as Props), [key]: { id: target.id } } });
  const listed = ((target.properties as Props).subnets as { id: string }[] | undefined) ?? [];
  store.put({ ...target, properties: { ...(target.properties as Props), subnets: [...listed.filter((s) => s.id !== subnet.id), { id: subnet.id }] } });
}
