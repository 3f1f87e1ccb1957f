import { randomUUID } from 'node:crypto';
import { ArmError, badRequest } from './errors';
import { contains, isIpv6Prefix, overlaps, parseCidr } from './cidr';
import { defaultResource } from './service';
import type { ArmResource, ArmStore } from './store';
import type { ArmEnv, ArmRequest, TypeHandler } from './types';
import { connectionView } from './private-link';

type Props = Record<string, unknown>;
const props = (r: ArmResource | undefined): Props => (r?.properties ?? {}) as Props;
const arr = <T = Props>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);

export const VNET = 'Microsoft.Network/virtualNetworks';
export const SUBNET = 'Microsoft.Network/virtualNetworks/subnets';
export const PEERING = 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings';
export const PLS = 'Microsoft.Network/privateLinkServices';
export const PE = 'Microsoft.Network/privateEndpoints';

export const requireLocation = (r: ArmRequest, existing?: ArmResource): string => {
  const loc = (r.body?.location as string | undefined) ?? existing?.location;
  if (!loc) throw badRequest('LocationRequired', 'The location property is required for this definition.');
  return loc;
};

/** Subnet prefixes, whichever of addressPrefix / addressPrefixes the caller used. */
export const subnetPrefixes = (p: Props): string[] =>
  p.addressPrefixes ? arr<string>(p.addressPrefixes) : p.addressPrefix ? [String(p.addressPrefix)] : [];

/** Why a subnet counts as "in use" (ARM refuses to delete or re-range it then), if it does. */
export function subnetUsers(subnet: ArmResource): string[] {
  const p = props(subnet);
  return [
    ...arr(p.serviceAssociationLinks).map((l) => String(l.id)),
    ...arr(p.ipConfigurations).map((l) => String(l.id)),
    ...arr(p.privateEndpoints).map((l) => String(l.id)),
  ];
}

const delegationServices = (p: Props) => arr(p.delegations).map((d) => String((d.properties as Props | undefined)?.serviceName ?? d.serviceName ?? ''));

/**
 * The checks Microsoft.Network makes on a subnet write, with its error codes: CIDR syntax,
 * inside the VNet's address space, no overlap with sibling subnets, and no changes to prefixes
 * or delegations while the subnet is in use.
 */
function validateSubnet(store: ArmStore, vnet: { id: string; name: string; addressPrefixes: string[] }, name: string, p: Props, existing: ArmResource | undefined, siblings: ArmResource[]): void {
  const id = `${vnet.id}/subnets/${name}`;
  const prefixes = subnetPrefixes(p);
  if (prefixes.length === 0) throw badRequest('NetcfgInvalidSubnet', `Subnet '${name}' is not valid in virtual network '${vnet.name}'.`);
  const space = vnet.addressPrefixes.map(parseCidr).filter((c) => !!c);
  for (const prefix of prefixes) {
    if (isIpv6Prefix(prefix)) continue;
    const c = parseCidr(prefix);
    if (!c) throw badRequest('InvalidCIDRNotation', `The address prefix ${prefix} in resource ${id} has an invalid CIDR notation.`);
    if (!c.exact) throw badRequest('InvalidCIDRNotation', `The address prefix ${prefix} in resource ${id} has an invalid CIDR notation. For the given prefix length, the address prefix should be ${c.canonical}.`);
    if (!space.some((s) => contains(s, c))) {
      throw badRequest('NetcfgSubnetRangeOutsideVnet', `Subnet '${name}' is not valid because its IP address range is outside the IP address range of virtual network '${vnet.name}'.`);
    }
    for (const sib of siblings) {
      if (sib.name.toLowerCase() === name.toLowerCase()) continue;
      if (subnetPrefixes(props(sib)).some((sp) => { const o = parseCidr(sp); return !!o && overlaps(o, c); })) {
        throw badRequest('NetcfgSubnetRangesOverlap', `Subnet '${name}' is not valid because its IP address range overlaps with that of an existing subnet in virtual network '${vnet.name}'.`);
      }
    }
  }
  if (existing) {
    const users = subnetUsers(existing);
    if (users.length > 0) {
      const before = subnetPrefixes(props(existing)).join(',');
      if (before !== prefixes.join(',')) throw badRequest('InUseSubnetCannotBeUpdated', `Subnet ${name} is in use by ${users[0]} and cannot be updated.`);
      const sal = arr(props(existing).serviceAssociationLinks);
      const was = delegationServices(props(existing));
      const now = delegationServices(p);
      if (sal.length > 0 && was.join(',').toLowerCase() !== now.join(',').toLowerCase()) {
        throw badRequest('SubnetDelegationsCannotChangeWhenSubnetUsedByResource', `Delegations of subnet ${existing.id} cannot be changed from [${was.join(',')}] to [${now.join(',')}] because it is being used by the resource ${String(sal[0]!.id)}.`);
      }
    }
  }
  void store;
}

/** A stored subnet from the caller's properties, keeping the read-only parts Azure owns. */
function buildSubnet(vnetId: string, name: string, p: Props, existing: ArmResource | undefined): ArmResource {
  const id = existing?.id ?? `${vnetId}/subnets/${name}`;
  const ro = props(existing);
  const properties: Props = {
    privateEndpointNetworkPolicies: 'Disabled',
    privateLinkServiceNetworkPolicies: 'Enabled',
    ...p,
    delegations: arr(p.delegations).map((d) => {
      const dp = (d.properties ?? {}) as Props;
      const serviceName = String(dp.serviceName ?? d.serviceName ?? '');
      return {
        name: d.name ?? serviceName.replace('/', '.'),
        id: `${id}/delegations/${String(d.name ?? serviceName.replace('/', '.'))}`,
        type: 'Microsoft.Network/virtualNetworks/subnets/delegations',
        properties: {
          serviceName,
          actions: serviceName.toLowerCase() === 'microsoft.web/serverfarms' ? ['Microsoft.Network/virtualNetworks/subnets/action'] : [],
          provisioningState: 'Succeeded',
        },
      };
    }),
  };
  for (const k of ['serviceAssociationLinks', 'ipConfigurations', 'privateEndpoints']) {
    if (ro[k]) properties[k] = ro[k];
    else delete properties[k];
  }
  return { id, name: existing?.name ?? name, type: SUBNET, properties };
}

const vnetInfo = (vnet: ArmResource) => ({ id: vnet.id, name: vnet.name, addressPrefixes: arr<string>((props(vnet).addressSpace as Props | undefined)?.addressPrefixes) });

export const virtualNetworks: TypeHandler = {
  type: VNET,
  asyncPut: true,
  asyncDelete: true,
  etag: true,
  patchMerges: false,
  put(env, r, existing) {
    const location = requireLocation(r, existing);
    const p = (r.body?.properties ?? {}) as Props;
    const prefixes = arr<string>((p.addressSpace as Props | undefined)?.addressPrefixes);
    if (prefixes.length === 0) throw badRequest('InvalidAddressSpace', `Virtual network ${r.name} must have at least one address prefix in its address space.`);
    for (const prefix of prefixes) if (!isIpv6Prefix(prefix) && !parseCidr(prefix)?.exact) throw badRequest('InvalidAddressPrefixFormat', `Address prefix ${prefix} of resource ${r.id} is not formatted correctly. It should follow CIDR notation, for example 10.0.0.0/24.`);
    const id = existing?.id ?? r.id;
    const current = env.store.children(id, SUBNET);
    // As in Azure: a VNet PUT carries the full subnet list; subnets it omits are deleted.
    const wanted = arr(p.subnets);
    const info = { id, name: r.name, addressPrefixes: prefixes };
    const wantedSubnets = wanted.map((s) => {
      const name = String(s.name ?? '');
      const before = current.find((c) => c.name.toLowerCase() === name.toLowerCase());
      const sp = (s.properties ?? {}) as Props;
      return { name, sp, before };
    });
    const pseudoSiblings = wantedSubnets.map((w) => ({ id: `${id}/subnets/${w.name}`, name: w.name, type: SUBNET, properties: w.sp }) as ArmResource);
    for (const w of wantedSubnets) validateSubnet(env.store, info, w.name, w.sp, w.before, pseudoSiblings);
    for (const c of current) {
      if (!wantedSubnets.some((w) => w.name.toLowerCase() === c.name.toLowerCase()) && subnetUsers(c).length) {
        throw badRequest('InUseSubnetCannotBeDeleted', `Subnet ${c.name} is in use by ${subnetUsers(c)[0]} and cannot be deleted. In order to delete the subnet, delete all the resources within the subnet. See aka.ms/deletesubnet.`);
      }
    }
    const { subnets: _drop, virtualNetworkPeerings: _peerings, ...rest } = p;
    const resource = defaultResource(r, existing);
    resource.location = location;
    resource.properties = { ...rest, addressSpace: { addressPrefixes: prefixes }, resourceGuid: props(existing).resourceGuid ?? randomUUID() };
    return {
      resource,
      after: () => {
        for (const c of current) if (!wantedSubnets.some((w) => w.name.toLowerCase() === c.name.toLowerCase())) env.store.delete(c.id);
        for (const w of wantedSubnets) {
          const next = buildSubnet(id, w.name, { ...w.sp, provisioningState: 'Succeeded' }, w.before);
          if (!w.before || JSON.stringify(w.before.properties) !== JSON.stringify(next.properties)) env.store.put(next);
        }
      },
    };
  },
  view(env, vnet) {
    const peerings = env.store.children(vnet.id, PEERING).map((p) => peeringView(env.store, vnet, p));
    return { ...vnet, properties: { ...vnet.properties, subnets: env.store.children(vnet.id, SUBNET), virtualNetworkPeerings: peerings } };
  },
  delete(env, r, existing) {
    const used = env.store.children(existing.id, SUBNET).find((s) => subnetUsers(s).length);
    if (used) throw badRequest('InUseSubnetCannotBeDeleted', `Subnet ${used.name} is in use by ${subnetUsers(used)[0]} and cannot be deleted. In order to delete the subnet, delete all the resources within the subnet. See aka.ms/deletesubnet.`);
    if (r.method === 'VALIDATE_DELETE') return;
    for (const s of env.store.children(existing.id, SUBNET)) env.store.delete(s.id);
    for (const p of env.store.children(existing.id, PEERING)) env.store.delete(p.id);
    env.store.delete(existing.id);
  },
};

/**
 * A peering as a VNet GET shows it, its state from both sides: "Initiated" while only this side
 * exists, "Connected" once the remote VNet has a peering back, "Disconnected" when the remote VNet
 * (or its peering back, after having been Connected) is gone (https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-peering,
 * "Peering status"; the stand-in keeps "Disconnected" only for a deleted remote VNet). Shape:
 * azure-rest-api-specs Microsoft.Network virtualNetwork.json VirtualNetworkPeeringPropertiesFormat
 * (remoteAddressSpace is the remote VNet's space as it was when the peering was made).
 */
function peeringView(store: ArmStore, vnet: ArmResource, peering: ArmResource): ArmResource {
  const p = props(peering);
  const remoteId = String((p.remoteVirtualNetwork as Props | undefined)?.id ?? '');
  const remote = store.get(remoteId);
  const back = remote && store.children(remote.id, PEERING).some((x) => String((props(x).remoteVirtualNetwork as Props | undefined)?.id ?? '').toLowerCase() === vnet.id.toLowerCase());
  const peeringState = !remote ? 'Disconnected' : back ? 'Connected' : 'Initiated';
  return { ...peering, properties: { ...p, peeringState, peeringSyncLevel: back ? 'FullyInSync' : 'RemoteNotInSync' } };
}

export const subnets: TypeHandler = {
  type: SUBNET,
  asyncPut: true,
  asyncDelete: true,
  etag: true,
  put(env, r, existing) {
    const vnet = env.store.get(r.parentId)!;
    const p = { ...((r.body?.properties ?? {}) as Props) };
    delete p.provisioningState;
    validateSubnet(env.store, vnetInfo(vnet), r.name, p, existing, env.store.children(vnet.id, SUBNET));
    return { resource: buildSubnet(vnet.id, r.name, p, existing) };
  },
  delete(env, r, existing) {
    const users = subnetUsers(existing);
    if (users.length) throw badRequest('InUseSubnetCannotBeDeleted', `Subnet ${existing.name} is in use by ${users[0]} and cannot be deleted. In order to delete the subnet, delete all the resources within the subnet. See aka.ms/deletesubnet.`);
    if (r.method !== 'VALIDATE_DELETE') env.store.delete(existing.id);
  },
};

/** ARM's answer when a body refers to a resource that does not exist. */
function notFoundReference(id: string, referrer: string) {
  return badRequest('InvalidResourceReference', `Resource ${id} referenced by resource ${referrer} was not found. Please make sure that the referenced resource exists, and that both resources are in the same region.`);
}

function referenced(env: ArmEnv, id: string, referrer: string): ArmResource {
  const resource = env.store.get(id);
  if (!resource) throw notFoundReference(id, referrer);
  return resource;
}

export const privateLinkServices: TypeHandler = {
  type: PLS,
  asyncPut: true,
  asyncDelete: true,
  etag: true,
  put(env, r, existing) {
    const location = requireLocation(r, existing);
    const p = { ...((r.body?.properties ?? {}) as Props) };
    const ipConfigs = arr(p.ipConfigurations);
    if (ipConfigs.length === 0) throw badRequest('PrivateLinkServiceIpConfigurationsRequired', `Private link service ${r.id} must have at least one IP configuration.`);
    for (const ipc of ipConfigs) {
      const subnetId = String(((ipc.properties as Props | undefined)?.subnet as Props | undefined)?.id ?? '');
      const subnet = referenced(env, subnetId, r.id);
      if (props(subnet).privateLinkServiceNetworkPolicies !== 'Disabled') {
        throw badRequest('PrivateLinkServiceNetworkPoliciesCannotBeEnabledOnPrivateLinkServiceSubnet', `Private link service network policies cannot be enabled on private link service subnet ${subnet.id}.`);
      }
    }
    if (arr(p.loadBalancerFrontendIpConfigurations).length === 0) {
      throw badRequest('PrivateLinkServiceWithoutLoadBalancerFrontendIpConfiguration', `Private link service ${r.id} must reference at least one load balancer frontend IP configuration.`);
    }
    const old = props(existing);
    const id = existing?.id ?? r.id;
    delete p.privateEndpointConnections;
    const resource = defaultResource(r, existing);
    resource.location = location;
    resource.properties = {
      visibility: { subscriptions: [] },
      autoApproval: { subscriptions: [] },
      enableProxyProtocol: false,
      fqdns: [],
      ...p,
      ipConfigurations: ipConfigs.map((c) => ({ ...c, id: `${id}/ipConfigurations/${String(c.name)}`, type: `${PLS}/ipConfigurations` })),
      alias: old.alias ?? `${r.name}.${randomUUID()}.${location}.azure.privatelinkservice`,
      networkInterfaces: old.networkInterfaces ?? [{ id: `${r.parentId}/providers/Microsoft.Network/networkInterfaces/${r.name}.nic.${randomUUID()}` }],
    };
    return { resource };
  },
  view(env, pls) {
    return { ...pls, properties: { ...pls.properties, privateEndpointConnections: env.store.children(pls.id, `${PLS}/privateEndpointConnections`).map(connectionView) } };
  },
};

void ArmError;
