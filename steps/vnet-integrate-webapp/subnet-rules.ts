// What App Service regional VNet integration needs of a subnet, checked before anything is
// written so a bad subnet fails with the input to change rather than half-way through.
//
// The rules, as App Service documents them today (MicrosoftDocs/azure-docs
// articles/app-service/overview-vnet-integration.md, ms.date 2026-02-25, sections "Subnet
// requirements" and "Limitations"; https://learn.microsoft.com/azure/app-service/overview-vnet-integration):
// - "The feature requires an unused subnet that's an IPv4 /28 block or larger": /28 is the minimum.
//   (/27 is only the minimum when the portal creates the subnet; an existing /28 is fine.)
// - "A /26 with 64 addresses cover the maximum scale of a single multitenant App Service plan":
//   /26 is the recommended size, since scaling and platform upgrades briefly double the addresses used.
// - One plan per subnet is no longer the rule: "With multi plan subnet join (MPSJ), you can join
//   multiple App Service plans in to the same subnet. All App Service plans must be in the same
//   subscription but the virtual network/subnet can be in a different subscription ... to use MPSJ a
//   minimum size of /26 subnet is required." (Older versions of the page, e.g. 2023-07, said "The
//   integration subnet can be used by only one App Service plan".)
// - "You can't have more than two virtual network integrations per App Service plan" (older
//   versions: one). That limit spans the plan's apps, which this step does not list; App Service
//   enforces it and its refusal is translated (siteErrorHints in step.ts).
// No source says how the subnet's serviceAssociationLinks look when several plans share it; the
// check below reads every App Service link it finds.
import type { Subnet, VirtualNetwork } from '@azure/arm-network';
import { isNetworkResourceName } from '@private-wire/shared/azure/names';
import { UserError } from '@private-wire/shared/errors';
import { cidrContains, cidrsOverlap, parseIpv4Cidr, type Ipv4Cidr } from '@private-wire/shared/net/ipv4';

export const WEB_DELEGATION = 'Microsoft.Web/serverFarms';
/** Smallest subnet App Service accepts for regional VNet integration. */
export const MIN_PREFIX_LENGTH = 28;
/** Below this size, scaling out can run out of addresses; Microsoft recommends /26. */
export const WARN_PREFIX_LENGTH = 27;
/** Smallest subnet several App Service plans may share (multi-plan subnet join). */
export const SHARED_PREFIX_LENGTH = 26;
/** Subnets one App Service plan can be integrated with, across its apps. */
export const MAX_SUBNETS_PER_PLAN = 2;

/** Names Azure reserves for its own services; none can be delegated to App Service. */
const RESERVED_SUBNETS = ['gatewaysubnet', 'azurefirewallsubnet', 'azurefirewallmanagementsubnet', 'azurebastionsubnet', 'routeserversubnet'];

export interface InputNames {
  subnet: string;
  subnetPrefix: string;
  vnet: string;
  webapp: string;
}

export function checkSubnetName(name: string, input: string): void {
  if (!isNetworkResourceName(name)) {
    throw new UserError(
      `Input '${input}' is '${name}', which is not a valid subnet name.`,
      'Use 1-80 letters, digits, underscores, periods or hyphens, starting with a letter or digit and ending with a letter, digit or underscore.',
    );
  }
  if (RESERVED_SUBNETS.includes(name.toLowerCase())) {
    throw new UserError(`Input '${input}' is '${name}', a name Azure reserves for its own service.`, 'Use a dedicated subnet for the web app, e.g. webapp-integration.');
  }
}

/** Parses the `subnet-prefix` input: an exact IPv4 CIDR of at least /28. */
export function parseSubnetPrefix(text: string, input: string): Ipv4Cidr {
  if (text.includes(':')) {
    throw new UserError(`Input '${input}' is '${text}', an IPv6 range.`, 'App Service VNet integration needs an IPv4 subnet, e.g. 10.0.4.0/26.');
  }
  const cidr = parseIpv4Cidr(text);
  if (!cidr) throw new UserError(`Input '${input}' is '${text}', which is not an IPv4 CIDR range.`, 'Give an address range such as 10.0.4.0/26.');
  if (!cidr.exact) {
    throw new UserError(`Input '${input}' is '${text}', which has host bits set.`, `Use the range's first address: ${cidr.canonical}.`);
  }
  if (cidr.prefixLength > MIN_PREFIX_LENGTH) {
    throw new UserError(
      `Input '${input}' is '${text}', which is smaller than /${MIN_PREFIX_LENGTH}, the smallest subnet App Service VNet integration accepts.`,
      'Use a /26 (recommended) or at least a /28.',
    );
  }
  return cidr;
}

export const sizeWarning = (subnet: string, prefix: string): string =>
  `Subnet '${subnet}' (${prefix}) is smaller than /${WARN_PREFIX_LENGTH}: App Service takes one address per instance and more during scale operations and upgrades, so it may run out. A /26 is recommended.`;

const subnetPrefixesOf = (subnet: Subnet): string[] => subnet.addressPrefixes ?? (subnet.addressPrefix ? [subnet.addressPrefix] : []);

/** For a subnet to be created: inside the VNet's address space and clear of its other subnets. */
export function checkNewSubnet(vnet: VirtualNetwork, name: string, prefix: Ipv4Cidr, names: InputNames): void {
  const space = (vnet.addressSpace?.addressPrefixes ?? []).map(parseIpv4Cidr).filter((c): c is Ipv4Cidr => !!c);
  if (!space.some((s) => cidrContains(s, prefix))) {
    throw new UserError(
      `Input '${names.subnetPrefix}' is '${prefix.canonical}', which is outside the address space of virtual network '${vnet.name}' (${(vnet.addressSpace?.addressPrefixes ?? []).join(', ') || 'none'}).`,
      `Choose a free range inside ${(vnet.addressSpace?.addressPrefixes ?? []).join(' or ')}, or add one to the VNet's address space first.`,
    );
  }
  for (const other of vnet.subnets ?? []) {
    if (other.name?.toLowerCase() === name.toLowerCase()) continue;
    const clash = subnetPrefixesOf(other).find((p) => {
      const c = parseIpv4Cidr(p);
      return !!c && cidrsOverlap(c, prefix);
    });
    if (clash) {
      throw new UserError(
        `Input '${names.subnetPrefix}' is '${prefix.canonical}', which overlaps subnet '${other.name}' (${clash}) in virtual network '${vnet.name}'.`,
        'Choose a range no other subnet uses.',
      );
    }
  }
}

/** What an existing subnet still needs for the integration: nothing, or the delegation. */
export type ExistingSubnetNeed = 'nothing' | 'delegation';

/**
 * Checks an existing subnet: IPv4 and big enough, the same range as `subnet-prefix` (when given),
 * delegated to Microsoft.Web/serverFarms (or undelegated and empty, so the delegation can be
 * added), and, when other App Service plans use it, shareable (multi-plan subnet join).
 */
export function checkExistingSubnet(
  subnet: Subnet,
  vnetName: string,
  planId: string,
  requestedPrefix: Ipv4Cidr | undefined,
  names: InputNames,
  warn: (message: string) => void,
): ExistingSubnetNeed {
  const largest = checkExistingRange(subnet, vnetName, requestedPrefix, names, warn);
  checkSharing(subnet, largest, planId, names);
  return checkDelegation(subnet, names);
}

/** The existing subnet's range: IPv4, at least /28 (a warning below /27), and the one `subnet-prefix` names; returns its largest IPv4 prefix. */
function checkExistingRange(subnet: Subnet, vnetName: string, requestedPrefix: Ipv4Cidr | undefined, names: InputNames, warn: (message: string) => void): Ipv4Cidr {
  const name = subnet.name ?? '';
  const prefixes = subnetPrefixesOf(subnet);
  const v4 = prefixes.map(parseIpv4Cidr).filter((c): c is Ipv4Cidr => !!c);
  if (v4.length === 0) {
    throw new UserError(
      `Input '${names.subnet}' is '${name}', whose range (${prefixes.join(', ') || 'none'}) has no IPv4 prefix.`,
      `App Service VNet integration needs an IPv4 subnet: choose another subnet, or give a new name with '${names.subnetPrefix}' to create one.`,
    );
  }
  const largest = v4.reduce((a, b) => (a.prefixLength <= b.prefixLength ? a : b));
  if (largest.prefixLength > MIN_PREFIX_LENGTH) {
    throw new UserError(
      `Input '${names.subnet}' is '${name}' (${largest.canonical}), which is smaller than /${MIN_PREFIX_LENGTH}, the smallest subnet App Service VNet integration accepts.`,
      'Use a subnet of /26 (recommended) or at least /28.',
    );
  }
  if (largest.prefixLength > WARN_PREFIX_LENGTH) warn(sizeWarning(name, largest.canonical));
  if (requestedPrefix && !v4.some((c) => c.canonical === requestedPrefix.canonical)) {
    throw new UserError(
      `Input '${names.subnetPrefix}' is '${requestedPrefix.canonical}', but subnet '${name}' already exists in '${vnetName}' with ${prefixes.join(', ')}.`,
      `Leave '${names.subnetPrefix}' empty to use the existing subnet, or give '${names.subnet}' a new name to create one.`,
    );
  }
  return largest;
}

const subscriptionOf = (id: string) => /^\/subscriptions\/([^/]+)/i.exec(id)?.[1]?.toLowerCase();

/**
 * Other App Service plans on the subnet (its Microsoft.Web/serverfarms service association links):
 * allowed by multi-plan subnet join when the subnet is /26 or larger and every plan is in this
 * plan's subscription.
 */
function checkSharing(subnet: Subnet, largest: Ipv4Cidr, planId: string, names: InputNames): void {
  const name = subnet.name ?? '';
  const others = (subnet.serviceAssociationLinks ?? [])
    .filter((l) => (l.linkedResourceType ?? '').toLowerCase() === 'microsoft.web/serverfarms' && !!l.link && l.link.toLowerCase() !== planId.toLowerCase())
    .map((l) => l.link!);
  if (others.length === 0) return;
  const elsewhere = others.find((other) => subscriptionOf(other) !== subscriptionOf(planId));
  if (elsewhere) {
    throw new UserError(
      `Input '${names.subnet}' is '${name}', which App Service plan ${elsewhere} already uses, in another subscription than the web app's plan.`,
      `Plans can share a subnet only when they are all in one subscription: choose another subnet, or create one with '${names.subnetPrefix}'.`,
    );
  }
  if (largest.prefixLength > SHARED_PREFIX_LENGTH) {
    throw new UserError(
      `Input '${names.subnet}' is '${name}' (${largest.canonical}), which App Service plan ${others[0]} already uses; plans can share a subnet only when it is /${SHARED_PREFIX_LENGTH} or larger.`,
      `Choose another subnet, or create one (a /${SHARED_PREFIX_LENGTH} is recommended) with '${names.subnetPrefix}'.`,
    );
  }
}

/** Whether the subnet is ours to use: delegated to App Service (not another service), or empty so it can be. */
function checkDelegation(subnet: Subnet, names: InputNames): ExistingSubnetNeed {
  const name = subnet.name ?? '';
  const delegations = (subnet.delegations ?? []).map((d) => d.serviceName ?? '');
  const other = delegations.find((s) => s.toLowerCase() !== WEB_DELEGATION.toLowerCase());
  if (other) {
    throw new UserError(
      `Input '${names.subnet}' is '${name}', which is delegated to ${other}.`,
      `A subnet can be delegated to one service only: choose a subnet delegated to ${WEB_DELEGATION}, or an empty one.`,
    );
  }
  if (delegations.length > 0) return 'nothing';
  const users = [
    ...(subnet.ipConfigurations ?? []).map((c) => c.id),
    ...(subnet.privateEndpoints ?? []).map((p) => p.id),
    ...(subnet.serviceAssociationLinks ?? []).map((l) => l.link ?? l.id),
    ...(subnet.resourceNavigationLinks ?? []).map((l) => l.link ?? l.id),
  ].filter((x): x is string => !!x);
  if (users.length > 0) {
    throw new UserError(
      `Input '${names.subnet}' is '${name}', which is not delegated to ${WEB_DELEGATION} and is in use (${users[0]}), so the delegation cannot be added.`,
      `Use an empty subnet, or create a new one with '${names.subnetPrefix}'.`,
    );
  }
  return 'delegation';
}
