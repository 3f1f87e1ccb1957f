// The read "world" the findings are computed from: plain data, read once by read-world.ts, so
// every rule is a pure function of it (and unit-tested without Azure).
import type { ScmSite } from './verify-findings';

/** One NSG security rule, custom or default, as the rules need it. */
export interface NsgRule {
  name: string;
  priority: number;
  direction: 'Inbound' | 'Outbound';
  access: 'Allow' | 'Deny';
  /** `*`, `Tcp`, `Udp`, `Icmp`, `Esp`, `Ah`. */
  protocol: string;
  sourcePrefixes: string[];
  destinationPrefixes: string[];
  /** `*`, `53` or `1000-2000`. */
  destinationPorts: string[];
}

export interface Nsg {
  id: string;
  name: string;
  rules: NsgRule[];
  defaultRules: NsgRule[];
}

export interface Route {
  name: string;
  addressPrefix: string;
  nextHopType: string;
  nextHopIpAddress?: string;
}

export interface RouteTable {
  id: string;
  name: string;
  routes: Route[];
}

export interface SubnetView {
  name: string;
  id: string;
  prefixes: string[];
  /** Services the subnet is delegated to. */
  delegations: string[];
  /** App Service plans linked to the subnet (serviceAssociationLinks). */
  plans: string[];
  /** Other users (NICs, private endpoints): an undelegated subnet in use cannot be delegated. */
  users: string[];
  nsgId?: string;
  routeTableId?: string;
}

export interface WebAppView {
  label: string;
  location: string;
  planId: string;
  planName: string;
  planLocation: string;
  planTier: string;
  /** Current regional integration subnet, or undefined. */
  subnetId?: string;
  routeAll: boolean;
  /** The site's own DNS servers (properties.dnsConfiguration.dnsServers); empty: the VNet's. */
  dnsServers: string[];
  /** Gateway-required (legacy) VNet connections: their VNet IDs (or names). */
  legacyVnets: string[];
  /** properties.dnsConfiguration.dnsAltServer. */
  dnsAltServer?: string;
  /** WEBSITE_DNS_SERVER (split on commas) / WEBSITE_DNS_ALT_SERVER; undefined when the app settings could not be listed. */
  appSettingDns?: { servers: string[]; alt?: string };
  /** The SCM host and OS, from the same read of the site (verify runs its commands there). */
  scm: ScmSite;
}

/** One virtualNetworkPeerings entry of the VNet. */
export interface PeeringView {
  name: string;
  remoteVnetId: string;
  /** `Initiated`, `Connected` or `Disconnected`. */
  state: string;
  /** allowVirtualNetworkAccess (false: the remote VNet's space is not reachable through it). */
  allowAccess: boolean;
  remoteAddressSpace: string[];
}

export interface VnetView {
  id: string;
  name: string;
  location: string;
  addressSpace: string[];
  /** dhcpOptions.dnsServers; empty: Azure-provided DNS. */
  dnsServers: string[];
  subnets: SubnetView[];
  peerings: PeeringView[];
}

export interface ClusterView {
  name: string;
  /** `kubenet`, `azure`, `none` (networkProfile.networkPlugin). */
  networkPlugin: string;
  /** `overlay` or empty (networkProfile.networkPluginMode). */
  networkPluginMode?: string;
  podCidrs: string[];
  serviceCidrs: string[];
  dnsServiceIP?: string;
  /** agentPoolProfiles[].vnetSubnetID (empty: AKS made the nodes' VNet itself). */
  nodeSubnetIds: string[];
  /** apiServerAccessProfile. */
  apiServer: { authorizedRanges: string[]; isPrivate: boolean };
}

/** A node subnet of the cluster, with its ranges (empty when it could not be read). */
export interface NodeSubnetView {
  id: string;
  name: string;
  vnetId: string;
  prefixes: string[];
}

/** A Kubernetes Service as the findings need it. */
export interface ServiceView {
  type: string;
  /** The azure-load-balancer-internal annotation is "true". */
  internal: boolean;
  clusterIP?: string;
  /** status.loadBalancer.ingress[].ip. */
  loadBalancerIps: string[];
  ports: { port: number; protocol: string }[];
}

/**
 * What the cluster's API said: read (the Service, when asked, and coredns-custom's data, each
 * undefined when absent), or why nothing was read (the checks that need it are then reported as
 * not checked).
 */
export type KubeView =
  | { read: true; service?: ServiceView; corednsCustom?: Record<string, string> }
  | { read: false; reason: string };

export interface PrivateZoneView {
  id: string;
  name: string;
}

export interface World {
  webapp: WebAppView;
  vnet: VnetView;
  /** The integration subnet's name as given, and the subnet when it exists. */
  subnetName: string;
  subnet?: SubnetView;
  /** `subnet-prefix`, for a planned subnet. */
  plannedPrefix?: string;
  nsg?: Nsg;
  routeTable?: RouteTable;
  cluster: ClusterView;
  /** Private DNS zones linked to the VNet. */
  linkedZones: PrivateZoneView[];
  zone?: string;
  dnsIp?: string;
  service?: { name: string; namespace: string; port?: number };
  /** The cluster's node subnets (agentPoolProfiles[].vnetSubnetID), read. */
  nodeSubnets: NodeSubnetView[];
  /** Undefined when nothing on the cluster needed reading (no `service`, no `zone`). */
  kube?: KubeView;
  /** This runner's public address, when a step of the job learned it (aks-api-access exports it). */
  runnerAddress?: string;
}
