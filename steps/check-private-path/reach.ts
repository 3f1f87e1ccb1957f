// What the integration VNet reaches: its own subnets and the address space of its Connected
// peerings; and the findings about peerings and the cluster's node subnets.
//
// Sources:
// - A VNet GET carries `virtualNetworkPeerings`, each with `peeringState` (`Initiated`,
//   `Connected`, `Disconnected`), `allowVirtualNetworkAccess`, `remoteVirtualNetwork.id` and
//   `remoteAddressSpace` ("The reference to the address space peered with the remote virtual
//   network"): azure-rest-api-specs specification/network/resource-manager/Microsoft.Network/
//   stable/*/virtualNetwork.json, VirtualNetworkPeeringPropertiesFormat.
// - "Initiated" is the state after one side is made, "Connected" once the peering is made from
//   the other side too; "Disconnected" after the other side was deleted; traffic flows only when
//   Connected (https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-peering,
//   "Peering status"). allowVirtualNetworkAccess false: the peered VNet's space is not in the
//   VirtualNetwork tag and the default rules do not allow it (same page, "Allow virtual network access").
// - The VirtualNetwork service tag covers "peered virtual networks" too
//   (https://learn.microsoft.com/azure/virtual-network/service-tags-overview).
// - Node subnets: agentPoolProfiles[].vnetSubnetID, "the subnet which agent pool nodes and
//   optionally pods will join" (azure-rest-api-specs specification/containerservice/resource-manager/
//   Microsoft.ContainerService/aks managedClusters.json, ManagedClusterAgentPoolProfileProperties).
//   The integration subnet must be empty and delegated to Microsoft.Web/serverFarms
//   (https://learn.microsoft.com/azure/app-service/configure-vnet-integration-enable: "an empty
//   subnet"), so it can never be a node subnet; and two VNets whose address spaces overlap cannot
//   be peered ("The address spaces of the virtual networks can't overlap",
//   https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-peering, "Requirements
//   and constraints"), so a range overlapping a node subnet elsewhere cuts the app off the nodes.
import { cidrContains, cidrsOverlap, isIpv4, parseIpv4Cidr, type Ipv4Cidr } from '@private-wire/shared/net/ipv4';
import type { Finding } from './findings';
import { integrationRanges } from './topology';
import type { PeeringView, World } from './world';

export const cidrsOf = (texts: readonly string[]): Ipv4Cidr[] => texts.map(parseIpv4Cidr).filter((c): c is Ipv4Cidr => !!c);
const inCidr = (ip: string, cidr: Ipv4Cidr): boolean => isIpv4(ip) && cidrContains(cidr, parseIpv4Cidr(`${ip}/32`)!);
const vnetLabel = (id: string) => id.split('/').pop() ?? id;

/** A peering traffic flows through: Connected, with virtual network access allowed. */
export const isLive = (p: PeeringView): boolean => p.state.toLowerCase() === 'connected' && p.allowAccess;

/** The VNet's own address space and its live peerings' remote spaces: what the VirtualNetwork tag covers here. */
export function vnetTagSpace(w: World): Ipv4Cidr[] {
  return [...cidrsOf(w.vnet.addressSpace), ...w.vnet.peerings.filter(isLive).flatMap((p) => cidrsOf(p.remoteAddressSpace))];
}

/** Where `ip` lies as seen from the VNet: a subnet of it, a live peering, or nowhere reachable. */
export function placeOf(w: World, ip: string): { subnet: string } | { peering: PeeringView } | undefined {
  const subnet = w.vnet.subnets.find((s) => cidrsOf(s.prefixes).some((c) => inCidr(ip, c)));
  if (subnet) return { subnet: subnet.name };
  const peering = w.vnet.peerings.find((p) => isLive(p) && cidrsOf(p.remoteAddressSpace).some((c) => inCidr(ip, c)));
  return peering ? { peering } : undefined;
}

/** The addresses the path needs (DNS IP, service IPs), for naming what a broken peering cuts off. */
function neededAddresses(w: World): string[] {
  const service = w.kube?.read ? (w.kube.service?.loadBalancerIps ?? []) : [];
  return [...(w.dnsIp ? [w.dnsIp] : []), ...service];
}

/** A peering that is not Connected (or does not allow VNet access) carries no traffic. */
export function peeringFindings(w: World): Finding[] {
  const out: Finding[] = [];
  for (const p of w.vnet.peerings.filter((x) => !isLive(x))) {
    const space = cidrsOf(p.remoteAddressSpace);
    const cut = neededAddresses(w).filter((ip) => space.some((c) => inCidr(ip, c)));
    const nodes = w.nodeSubnets.some((n) => n.vnetId.toLowerCase() === p.remoteVnetId.toLowerCase());
    const why = p.state.toLowerCase() === 'connected' ? 'does not allow virtual network access (allowVirtualNetworkAccess is false)' : `is ${p.state}, not Connected`;
    out.push({
      id: 'peering-not-connected',
      severity: cut.length > 0 || nodes ? 'error' : 'warning',
      resource: `virtual network peering ${w.vnet.name}/${p.name}`,
      message: `Peering '${p.name}' of virtual network '${w.vnet.name}' to '${vnetLabel(p.remoteVnetId)}' ${why}: no traffic flows through it${cut.length ? `, so ${cut.join(', ')} cannot be reached` : nodes ? ", and the cluster's nodes are in that VNet" : ''}.`,
      fix: p.state.toLowerCase() === 'connected'
        ? `Set allowVirtualNetworkAccess to true on peering '${p.name}'.`
        : `Create (or re-create) the peering from '${vnetLabel(p.remoteVnetId)}' back to '${w.vnet.name}' so both sides are Connected (az network vnet peering create), and sync it if the address spaces changed.`,
    });
  }
  return out;
}

/** The integration subnet is none of the cluster's node subnets; the nodes' VNet is this one or a live peering of it. */
export function nodeSubnetFindings(w: World): Finding[] {
  const out: Finding[] = [];
  const integration = integrationRanges(w);
  for (const node of w.nodeSubnets) {
    const overlap = cidrsOf(node.prefixes).find((n) => integration.some((i) => cidrsOverlap(i, n)));
    if (overlap) {
      out.push({
        id: 'subnet-overlaps-node-subnet',
        severity: 'error',
        resource: `subnet ${w.vnet.name}/${w.subnetName}`,
        message: `Integration subnet '${w.subnetName}' (${integration.map((c) => c.canonical).join(', ')}) overlaps node subnet '${node.name}' (${overlap.canonical}) of cluster '${w.cluster.name}': the web app needs a subnet of its own, delegated to Microsoft.Web/serverFarms.`,
        fix: `Use a free range for the integration subnet, outside ${node.prefixes.join(', ')}.`,
      });
    }
    const same = node.vnetId.toLowerCase() === w.vnet.id.toLowerCase();
    const peered = w.vnet.peerings.some((p) => isLive(p) && p.remoteVnetId.toLowerCase() === node.vnetId.toLowerCase());
    const broken = w.vnet.peerings.some((p) => !isLive(p) && p.remoteVnetId.toLowerCase() === node.vnetId.toLowerCase());
    if (!same && !peered && !broken) {
      out.push({
        id: 'node-vnet-not-peered',
        severity: 'error',
        resource: `virtual network ${w.vnet.name}`,
        message: `The nodes of cluster '${w.cluster.name}' are in subnet '${node.name}' of virtual network '${vnetLabel(node.vnetId)}', which is not '${w.vnet.name}' and not peered with it: the web app cannot reach the cluster's internal load balancers.`,
        fix: `Peer '${w.vnet.name}' and '${vnetLabel(node.vnetId)}' in both directions, or integrate the web app with a subnet of '${vnetLabel(node.vnetId)}'.`,
      });
    }
  }
  return out;
}
