// Findings about the address plan: the integration subnet and the VNet against the cluster's
// network profile, and whether the DNS IP can be reached from the VNet at all.
//
// Sources:
// - serviceCidr: "A CIDR notation IP range from which to assign service cluster IPs. It must not
//   overlap with any Subnet IP ranges." (azure-rest-api-specs specification/containerservice/
//   resource-manager/Microsoft.ContainerService/aks managedClusters.json ContainerServiceNetworkProfile,
//   as @azure/arm-containerservice's ContainerServiceNetworkProfile documents it); dnsServiceIP
//   "must be within the Kubernetes service address range" (same definition). ClusterIPs are virtual
//   addresses kube-proxy answers on the cluster's nodes only, so the VNet never routes them.
// - kubenet: "Nodes receive an IP address from the Azure virtual network subnet. Pods receive an
//   IP address from a logically different address space than the node pool's subnet" and NAT
//   translates their traffic (https://learn.microsoft.com/training/modules/choose-network-plugin-aks/2-identify-plugin-options;
//   https://learn.microsoft.com/azure/aks/configure-kubenet).
// - Azure CNI Overlay: "Pods are assigned IP addresses from a private CIDR logically different
//   from the virtual network hosting the nodes" (https://learn.microsoft.com/training/modules/aks-network-design-azure-container-network-interface/3-overview-of-azure-cni-networking);
//   networkPluginMode `overlay`: "pods are given IPs from the PodCIDR address space"
//   (@azure/arm-containerservice KnownNetworkPluginMode).
// - Flat Azure CNI: "Pods can be directly reached via their private IP address from connected
//   networks" (https://learn.microsoft.com/azure/aks/concepts-network-cni-overview, "Networking models in AKS").
import { cidrContains, cidrsOverlap, isIpv4, parseIpv4Cidr, type Ipv4Cidr } from '@private-wire/shared/net/ipv4';
import type { Finding } from './findings';
import { placeOf } from './reach';
import { integrationRanges } from './topology';
import type { ClusterView, World } from './world';

const cidrs = (texts: readonly string[]): Ipv4Cidr[] => texts.map(parseIpv4Cidr).filter((c): c is Ipv4Cidr => !!c);
export const ipInCidr = (ip: string, cidr: Ipv4Cidr): boolean => {
  const one = isIpv4(ip) ? parseIpv4Cidr(`${ip}/32`) : undefined;
  return !!one && cidrContains(cidr, one);
};

/** Whether the cluster's pods have addresses outside the VNet (kubenet, or Azure CNI in overlay mode). */
export function podsOutsideVnet(cluster: ClusterView): boolean {
  return cluster.networkPlugin.toLowerCase() === 'kubenet' || (cluster.networkPluginMode ?? '').toLowerCase() === 'overlay';
}

const pluginLabel = (c: ClusterView) => (c.networkPluginMode ? `${c.networkPlugin} (${c.networkPluginMode})` : c.networkPlugin);

export function overlapFindings(w: World): Finding[] {
  const out: Finding[] = [];
  const subnet = integrationRanges(w);
  const vnet = cidrs(w.vnet.addressSpace);
  const ranges: { kind: 'service' | 'pod'; cidr: Ipv4Cidr }[] = [
    ...cidrs(w.cluster.serviceCidrs).map((cidr) => ({ kind: 'service' as const, cidr })),
    ...(podsOutsideVnet(w.cluster) ? cidrs(w.cluster.podCidrs).map((cidr) => ({ kind: 'pod' as const, cidr })) : []),
  ];
  for (const { kind, cidr } of ranges) {
    const name = `${kind} CIDR ${cidr.canonical} of cluster '${w.cluster.name}'`;
    const hit = subnet.find((s) => cidrsOverlap(s, cidr));
    if (hit) {
      out.push({
        id: `subnet-overlaps-${kind}-cidr`,
        severity: 'error',
        resource: `subnet ${w.vnet.name}/${w.subnetName}`,
        message: `Integration subnet range ${hit.canonical} overlaps the ${name}: addresses there are the cluster's ${kind === 'service' ? 'ClusterIPs' : 'pod IPs'} inside the cluster, and the web app's traffic to them goes elsewhere.`,
        fix: `Use an integration subnet outside ${cidr.canonical}.`,
      });
      continue;
    }
    const space = vnet.find((s) => cidrsOverlap(s, cidr));
    if (space) {
      out.push({
        id: `vnet-overlaps-${kind}-cidr`,
        severity: 'warning',
        resource: `virtual network ${w.vnet.name}`,
        message: `Address space ${space.canonical} of virtual network '${w.vnet.name}' overlaps the ${name}: a VNet address inside it is ambiguous from the cluster's nodes and pods.`,
        fix: `Keep the VNet (and its peerings) clear of ${cidr.canonical}; AKS needs its ${kind} range unused on the network.`,
      });
    }
  }
  return out;
}

/** The DNS IP must be a VNet address: not a ClusterIP, not a pod IP of kubenet/overlay, inside a subnet or a Connected peering. */
export function targetFindings(w: World): Finding[] {
  if (!w.dnsIp) return [];
  const ip = w.dnsIp;
  const resource = `DNS IP ${ip}`;
  const service = cidrs(w.cluster.serviceCidrs).find((c) => ipInCidr(ip, c));
  if (service) {
    return [
      {
        id: 'target-in-service-cidr',
        severity: 'error',
        resource,
        message: `DNS IP ${ip} is inside the service CIDR ${service.canonical} of cluster '${w.cluster.name}'${ip === w.cluster.dnsServiceIP ? ' (it is the cluster\'s dnsServiceIP)' : ''}: a ClusterIP is only reachable from inside the cluster.`,
        fix: 'Expose CoreDNS through an internal load balancer (expose-internal-service) and give its IP.',
      },
    ];
  }
  const pod = podsOutsideVnet(w.cluster) ? cidrs(w.cluster.podCidrs).find((c) => ipInCidr(ip, c)) : undefined;
  if (pod) {
    return [
      {
        id: 'target-is-pod-ip',
        severity: 'error',
        resource,
        message: `DNS IP ${ip} is inside the pod CIDR ${pod.canonical} of cluster '${w.cluster.name}', which uses ${pluginLabel(w.cluster)}: its pod IPs are not reachable from the VNet.`,
        fix: 'Reach the pods through an internal load balancer Service (expose-internal-service) and give its IP.',
      },
    ];
  }
  if (placeOf(w, ip)) return [];
  return [
    {
      id: 'target-outside-vnet',
      severity: 'warning',
      resource,
      message: `DNS IP ${ip} is in no subnet of virtual network '${w.vnet.name}' and in no address space of a Connected peering of it.`,
      fix: 'Give the internal load balancer IP of the cluster DNS, in this VNet or in the cluster\'s VNet peered with it (both directions, Connected).',
    },
  ];
}

/** kubenet / overlay: only internal-LB Services are reachable from the web app. */
export function pluginFindings(w: World): Finding[] {
  if (!podsOutsideVnet(w.cluster)) return [];
  return [
    {
      id: 'pods-not-routable',
      severity: 'info',
      resource: `AKS cluster ${w.cluster.name}`,
      message: `Cluster '${w.cluster.name}' uses ${pluginLabel(w.cluster)}: the web app can reach internal load balancer Services, never pod IPs.`,
      fix: 'Publish what the web app calls as an internal load balancer Service (expose-internal-service).',
    },
  ];
}
