// Reads the world the findings are computed from; GETs only (the step never writes).
import type { WebSiteManagementClient } from '@azure/arm-appservice';
import type { ManagedCluster } from '@azure/arm-containerservice';
import { NetworkManagementClient, type NetworkSecurityGroup, type RouteTable as ArmRouteTable, type SecurityRule, type Subnet, type VirtualNetwork, type VirtualNetworkPeering } from '@azure/arm-network';
import { UserError } from '@private-wire/shared/errors';
import type { StepContext } from '@private-wire/shared/engine/step';
import { armClientOptions } from '@private-wire/shared/azure/clients';
import type { AzureSession } from '@private-wire/shared/azure/credential';
import { isNotFound, translateArmError } from '@private-wire/shared/azure/errors';
import type { ResourceId } from '@private-wire/shared/azure/resource-id';
import { RawArm } from '@private-wire/shared/azure/raw-arm';
import { SITE_API_VERSION, listAppSettings, webAppReadError, webClient, type WebAppTarget } from '@private-wire/shared/azure/web-apps';
import { readAksCluster } from '@private-wire/shared/kubernetes/aks-credentials';
import { RUNNER_ADDRESS_VARIABLE } from '@private-wire/shared/kubernetes/unreachable';
import { readKube } from './read-cluster';
import { scmSiteOf } from './verify';
import type { CheckSettings } from './settings';
import type { ClusterView, NodeSubnetView, Nsg, NsgRule, PeeringView, PrivateZoneView, RouteTable, SubnetView, VnetView, WebAppView, World } from './world';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const list = <T>(v: T[] | undefined, one?: T): T[] => (v && v.length > 0 ? v : one !== undefined && one !== '' ? [one] : []);

/**
 * Private DNS zones and their virtual network links: azure-rest-api-specs
 * specification/privatedns/resource-manager/Microsoft.Network/stable/2024-06-01/privatedns.json
 * (PrivateZones_List at /subscriptions/{s}/providers/Microsoft.Network/privateDnsZones,
 * VirtualNetworkLinks_List at .../privateDnsZones/{zone}/virtualNetworkLinks; both `{value, nextLink}`).
 */
const PRIVATE_DNS_API_VERSION = '2024-06-01';

/** `session`: the step's sign-in (verify uses the same one for the SCM site). */
export async function readWorld(s: CheckSettings, ctx: StepContext, session: AzureSession): Promise<World> {
  const target = s.target(session.subscriptionId);
  const vnetId = s.vnet(session.subscriptionId, target.resourceGroup);
  const raw = new RawArm(session);
  const network = new NetworkManagementClient(session.credential, vnetId.subscriptionId, armClientOptions(session));
  const webapp = await readWebApp(raw, webClient(session), target, s, session.method);
  const vnet = await readVnet(network, vnetId, s, session.method);
  const subnet = vnet.subnets.find((x) => x.name.toLowerCase() === s.subnet.toLowerCase());
  const nsg = subnet?.nsgId ? await readNsg(network, subnet.nsgId, session.method) : undefined;
  const routeTable = subnet?.routeTableId ? await readRouteTable(network, subnet.routeTableId, session.method) : undefined;
  const cluster = clusterView(await readAksCluster(session, { resourceGroup: s.cluster.resourceGroup, name: s.cluster.name, inputName: (k) => ctx.host.inputName(k) }));
  const nodeSubnets = await readNodeSubnets(session, vnet, cluster.nodeSubnetIds, (m) => ctx.host.debug(m));
  const linkedZones = s.zone ? await readLinkedZones(raw, session, vnet.id) : [];
  const kube = await readKube(s, ctx);
  const runnerAddress = ctx.host.env[RUNNER_ADDRESS_VARIABLE] || undefined;
  return { webapp, vnet, subnetName: subnet?.name ?? s.subnet, subnet, plannedPrefix: s.subnetPrefix, nsg, routeTable, cluster, nodeSubnets, linkedZones, zone: s.zone, dnsIp: s.dnsIp, service: s.service, kube, runnerAddress };
}

/** The site (or slot) at SITE_API_VERSION, its plan and its gateway-required VNet connections. */
async function readWebApp(raw: RawArm, web: WebSiteManagementClient, target: WebAppTarget, s: CheckSettings, identity: string): Promise<WebAppView> {
  let site: Json;
  try {
    site = await raw.get(target.id, SITE_API_VERSION);
  } catch (error) {
    throw webAppReadError(error, target, s.names, identity);
  }
  const p = obj(site.properties);
  const planId = String(p.serverFarmId ?? '');
  let plan: Json;
  try {
    plan = await raw.get(planId, SITE_API_VERSION);
  } catch (error) {
    throw translateArmError(error, { what: `reading App Service plan ${planId}`, identity });
  }
  // outboundVnetRouting.allTraffic / applicationTraffic (Microsoft.Web 2024-11-01 and later,
  // CommonDefinitions.json OutboundVnetRouting): either one routes all of the app's traffic.
  const outbound = obj(p.outboundVnetRouting);
  const subnetId = typeof p.virtualNetworkSubnetId === 'string' && p.virtualNetworkSubnetId ? p.virtualNetworkSubnetId : undefined;
  return {
    label: target.label,
    location: String(site.location ?? ''),
    planId,
    planName: String(plan.name ?? planId.split('/').pop()),
    planLocation: String(plan.location ?? ''),
    planTier: String(obj(plan.sku).tier ?? ''),
    subnetId,
    routeAll: outbound.allTraffic === true || outbound.applicationTraffic === true,
    // SiteDnsConfig.dnsServers (Microsoft.Web 2025-05-01 CommonDefinitions.json).
    dnsServers: Array.isArray(obj(p.dnsConfiguration).dnsServers) ? (obj(p.dnsConfiguration).dnsServers as unknown[]).map(String) : [],
    dnsAltServer: typeof obj(p.dnsConfiguration).dnsAltServer === 'string' && obj(p.dnsConfiguration).dnsAltServer ? String(obj(p.dnsConfiguration).dnsAltServer) : undefined,
    legacyVnets: await legacyVnets(web, target, identity),
    appSettingDns: await appSettingDns(web, target),
    scm: scmSiteOf(target.label, site),
  };
}

/**
 * WEBSITE_DNS_SERVER (servers "separate[d] by commas with no blank spaces") and
 * WEBSITE_DNS_ALT_SERVER (https://learn.microsoft.com/azure/app-service/overview-name-resolution,
 * "Configuring DNS servers"), from WebApps_ListApplicationSettings (a POST .../config/appsettings/list
 * that reads only). Undefined when the identity may not list them (their values can be secrets,
 * so the permission is often withheld): the comparison is then skipped and said to be.
 */
async function appSettingDns(web: WebSiteManagementClient, target: WebAppTarget): Promise<WebAppView['appSettingDns']> {
  let settings: Record<string, string>;
  try {
    settings = await listAppSettings(web, target);
  } catch {
    return undefined;
  }
  const server = settings.WEBSITE_DNS_SERVER;
  return { servers: server ? server.split(',').map((x) => x.trim()).filter((x) => x) : [], alt: settings.WEBSITE_DNS_ALT_SERVER || undefined };
}

/** Gateway-required connections: WebApps_ListVnetConnections entries with isSwift not true. */
async function legacyVnets(web: WebSiteManagementClient, target: WebAppTarget, identity: string): Promise<string[]> {
  try {
    const connections = target.slot ? await web.webApps.listVnetConnectionsSlot(target.resourceGroup, target.name, target.slot) : await web.webApps.listVnetConnections(target.resourceGroup, target.name);
    return connections.filter((c) => c.isSwift !== true).map((c) => c.vnetResourceId || c.name || 'a virtual network');
  } catch (error) {
    throw translateArmError(error, { what: `listing VNet connections of web app ${target.label}`, identity });
  }
}

async function readVnet(network: NetworkManagementClient, id: ResourceId, s: CheckSettings, identity: string): Promise<VnetView> {
  let vnet: VirtualNetwork;
  try {
    vnet = await network.virtualNetworks.get(id.resourceGroup, id.names[0]!);
  } catch (error) {
    if (isNotFound(error)) {
      throw new UserError(`Input '${s.names.vnet}' is '${id.names[0]}', but no virtual network of that name exists in resource group '${id.resourceGroup}'.`, `Check '${s.names.vnet}' and its resource group, or give the VNet's resource ID.`);
    }
    throw translateArmError(error, { what: `reading virtual network ${id.names[0]}`, identity });
  }
  return {
    id: vnet.id ?? '',
    name: vnet.name ?? id.names[0]!,
    location: vnet.location ?? '',
    addressSpace: vnet.addressSpace?.addressPrefixes ?? [],
    dnsServers: vnet.dhcpOptions?.dnsServers ?? [],
    subnets: (vnet.subnets ?? []).map(subnetView),
    peerings: (vnet.virtualNetworkPeerings ?? []).map(peeringView),
  };
}

/** A peering as reach.ts needs it (virtualNetwork.json VirtualNetworkPeeringPropertiesFormat). */
function peeringView(p: VirtualNetworkPeering): PeeringView {
  return {
    name: p.name ?? '',
    remoteVnetId: p.remoteVirtualNetwork?.id ?? '',
    state: p.peeringState ?? 'Initiated',
    allowAccess: p.allowVirtualNetworkAccess !== false,
    remoteAddressSpace: p.remoteAddressSpace?.addressPrefixes ?? [],
  };
}

/**
 * The cluster's node subnets with their ranges: from the VNet already read when they are in it,
 * else one GET each (a subnet that cannot be read keeps no ranges; the finding then names it only).
 */
async function readNodeSubnets(session: AzureSession, vnet: VnetView, ids: readonly string[], debug: (m: string) => void): Promise<NodeSubnetView[]> {
  const out: NodeSubnetView[] = [];
  for (const id of ids) {
    const vnetId = id.replace(/\/subnets\/[^/]+$/i, '');
    const name = id.split('/').pop() ?? id;
    const local = vnet.subnets.find((x) => x.id.toLowerCase() === id.toLowerCase());
    let prefixes = local?.prefixes;
    if (!prefixes) {
      const m = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/virtualNetworks\/([^/]+)\/subnets\/([^/]+)$/i.exec(id);
      try {
        const subnet = m ? await new NetworkManagementClient(session.credential, m[1]!, armClientOptions(session)).subnets.get(m[2]!, m[3]!, m[4]!) : undefined;
        prefixes = subnet ? list(subnet.addressPrefixes, subnet.addressPrefix) : [];
      } catch (error) {
        debug(`Node subnet ${id} could not be read: ${error instanceof Error ? error.message : String(error)}`);
        prefixes = [];
      }
    }
    if (!out.some((n) => n.id.toLowerCase() === id.toLowerCase())) out.push({ id, name, vnetId, prefixes });
  }
  return out;
}

function subnetView(subnet: Subnet): SubnetView {
  const links = subnet.serviceAssociationLinks ?? [];
  return {
    name: subnet.name ?? '',
    id: subnet.id ?? '',
    prefixes: list(subnet.addressPrefixes, subnet.addressPrefix),
    delegations: (subnet.delegations ?? []).map((d) => d.serviceName ?? ''),
    plans: links.filter((l) => (l.linkedResourceType ?? '').toLowerCase() === 'microsoft.web/serverfarms' && !!l.link).map((l) => l.link!),
    users: [...(subnet.ipConfigurations ?? []).map((c) => c.id), ...(subnet.privateEndpoints ?? []).map((e) => e.id)].filter((x): x is string => !!x),
    nsgId: subnet.networkSecurityGroup?.id,
    routeTableId: subnet.routeTable?.id,
  };
}

/** Resource group and name of an ID Azure returned (an NSG or route table on the subnet; same subscription as the VNet). */
function groupAndName(id: string): [string, string] {
  const m = /\/resourceGroups\/([^/]+)\/providers\/[^/]+\/[^/]+\/([^/]+)$/i.exec(id);
  return [m?.[1] ?? '', m?.[2] ?? ''];
}

function ruleView(r: SecurityRule): NsgRule {
  return {
    name: r.name ?? '',
    priority: r.priority ?? 0,
    direction: r.direction === 'Inbound' ? 'Inbound' : 'Outbound',
    access: r.access === 'Deny' ? 'Deny' : 'Allow',
    protocol: r.protocol ?? '*',
    sourcePrefixes: list(r.sourceAddressPrefixes, r.sourceAddressPrefix),
    destinationPrefixes: list(r.destinationAddressPrefixes, r.destinationAddressPrefix),
    destinationPorts: list(r.destinationPortRanges, r.destinationPortRange),
  };
}

async function readNsg(network: NetworkManagementClient, id: string, identity: string): Promise<Nsg> {
  let nsg: NetworkSecurityGroup;
  try {
    nsg = await network.networkSecurityGroups.get(...groupAndName(id));
  } catch (error) {
    throw translateArmError(error, { what: `reading network security group ${id}`, identity });
  }
  return { id, name: nsg.name ?? '', rules: (nsg.securityRules ?? []).map(ruleView), defaultRules: (nsg.defaultSecurityRules ?? []).map(ruleView) };
}

async function readRouteTable(network: NetworkManagementClient, id: string, identity: string): Promise<RouteTable> {
  let table: ArmRouteTable;
  try {
    table = await network.routeTables.get(...groupAndName(id));
  } catch (error) {
    throw translateArmError(error, { what: `reading route table ${id}`, identity });
  }
  return { id, name: table.name ?? '', routes: (table.routes ?? []).map((r) => ({ name: r.name ?? '', addressPrefix: r.addressPrefix ?? '', nextHopType: r.nextHopType ?? '', nextHopIpAddress: r.nextHopIpAddress })) };
}

function clusterView(cluster: ManagedCluster): ClusterView {
  const p = cluster.networkProfile ?? {};
  return {
    name: cluster.name ?? '',
    networkPlugin: p.networkPlugin ?? 'kubenet',
    networkPluginMode: p.networkPluginMode,
    podCidrs: list(p.podCidrs, p.podCidr),
    serviceCidrs: list(p.serviceCidrs, p.serviceCidr),
    dnsServiceIP: p.dnsServiceIP,
    // agentPoolProfiles[].vnetSubnetID and apiServerAccessProfile (managedClusters.json).
    nodeSubnetIds: [...new Set((cluster.agentPoolProfiles ?? []).map((a) => a.vnetSubnetID).filter((x): x is string => !!x))],
    apiServer: { authorizedRanges: cluster.apiServerAccessProfile?.authorizedIPRanges ?? [], isPrivate: cluster.apiServerAccessProfile?.enablePrivateCluster === true },
  };
}

/** Private DNS zones of the signed-in subscription with a virtual network link to the VNet (every page of both lists). */
async function readLinkedZones(raw: RawArm, session: AzureSession, vnetId: string): Promise<PrivateZoneView[]> {
  const zonesPath = `/subscriptions/${session.subscriptionId}/providers/Microsoft.Network/privateDnsZones`;
  try {
    const zones = (await raw.list(zonesPath, PRIVATE_DNS_API_VERSION)) as { id?: string; name?: string }[];
    const linked: PrivateZoneView[] = [];
    for (const zone of zones) {
      if (!zone.id) continue;
      const links = (await raw.list(`${zone.id}/virtualNetworkLinks`, PRIVATE_DNS_API_VERSION)) as { properties?: { virtualNetwork?: { id?: string } } }[];
      if (links.some((l) => (l.properties?.virtualNetwork?.id ?? '').toLowerCase() === vnetId.toLowerCase())) linked.push({ id: zone.id, name: zone.name ?? '' });
    }
    return linked;
  } catch (error) {
    throw translateArmError(error, { what: 'listing private DNS zones and their virtual network links', identity: session.method });
  }
}
