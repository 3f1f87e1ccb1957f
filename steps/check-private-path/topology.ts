// Findings about the web app, its plan, the VNet and the integration subnet.
//
// The rules, as App Service documents them (MicrosoftDocs/azure-docs
// articles/app-service/overview-vnet-integration.md, https://learn.microsoft.com/azure/app-service/overview-vnet-integration,
// sections "Regional virtual network integration", "Subnet requirements" and "Limitations"; the
// same facts steps/vnet-integrate-webapp/subnet-rules.ts cites, copied here because a step never
// imports another):
// - "The virtual network integration feature requires: An App Service pricing tier that supports
//   virtual network integration. A virtual network in the same region with an empty subnet. The
//   subnet must be delegated to Microsoft.Web/serverFarms" (articles/app-service/configure-vnet-integration-enable.md,
//   https://learn.microsoft.com/azure/app-service/configure-vnet-integration-enable). The tiers
//   without it are Free, Shared and Consumption (`Dynamic`); the tier names are the plan's
//   `sku.tier` (the same list steps/vnet-integrate-webapp refuses).
// - "The feature requires an unused subnet that's an IPv4 /28 block or larger"; "A /26 with 64
//   addresses cover the maximum scale of a single multitenant App Service plan".
// - The subnet is delegated to Microsoft.Web/serverFarms; a subnet has one delegation.
// - Multi plan subnet join: plans can share a subnet when "All App Service plans must be in the
//   same subscription" and "a minimum size of /26 subnet is required".
// - An app has one regional integration; a gateway-required integration is a separate, legacy
//   feature ("Gateway-required virtual network integration", articles/app-service/configure-gateway-required-vnet-integration.md).
import { cidrContains, cidrsOverlap, parseIpv4Cidr, type Ipv4Cidr } from '@private-wire/shared/net/ipv4';
import type { Finding } from './findings';
import type { SubnetView, World } from './world';

export const WEB_DELEGATION = 'Microsoft.Web/serverFarms';
export const MIN_PREFIX_LENGTH = 28;
export const RECOMMENDED_PREFIX_LENGTH = 26;
const NO_VNET_TIERS = ['free', 'shared', 'dynamic'];

const region = (s: string) => s.replace(/\s+/g, '').toLowerCase();
const subnetLabel = (w: World) => `subnet ${w.vnet.name}/${w.subnet?.name ?? w.subnetName}`;
const subscriptionOf = (id: string) => /^\/subscriptions\/([^/]+)/i.exec(id)?.[1]?.toLowerCase();

export function regionFindings(w: World): Finding[] {
  const out: Finding[] = [];
  const app = w.webapp;
  if (region(app.planLocation) !== region(app.location)) {
    out.push({
      id: 'plan-region-mismatch',
      severity: 'error',
      resource: `App Service plan ${app.planName}`,
      message: `App Service plan '${app.planName}' is in ${app.planLocation}, but web app '${app.label}' is in ${app.location}.`,
      fix: 'An app runs in its plan\'s region: check that the web app and plan read are the right ones.',
    });
  }
  if (region(w.vnet.location) !== region(app.location)) {
    out.push({
      id: 'region-mismatch',
      severity: 'error',
      resource: `virtual network ${w.vnet.name}`,
      message: `Virtual network '${w.vnet.name}' is in ${w.vnet.location}, but web app '${app.label}' is in ${app.location}: regional VNet integration needs a VNet in the app's region.`,
      fix: `Integrate with a VNet in ${app.location} (peered to the cluster's VNet if the cluster is elsewhere).`,
    });
  }
  return out;
}

export function planFindings(w: World): Finding[] {
  const app = w.webapp;
  if (!NO_VNET_TIERS.includes(app.planTier.toLowerCase())) return [];
  return [
    {
      id: 'plan-tier-no-vnet',
      severity: 'error',
      resource: `App Service plan ${app.planName}`,
      message: `App Service plan '${app.planName}' is in the ${app.planTier} tier, which has no VNet integration.`,
      fix: `Scale the plan to Basic or higher (e.g. az appservice plan update -n ${app.planName} -g <resource-group> --sku P0v3).`,
    },
  ];
}

export function integrationFindings(w: World): Finding[] {
  const out: Finding[] = [];
  const app = w.webapp;
  const wanted = (w.subnet?.id ?? `${w.vnet.id}/subnets/${w.subnetName}`).toLowerCase();
  if (app.subnetId && app.subnetId.toLowerCase() !== wanted) {
    out.push({
      id: 'integrated-elsewhere',
      severity: 'error',
      resource: `web app ${app.label}`,
      message: `Web app '${app.label}' is already integrated with subnet ${app.subnetId}, not ${w.vnet.name}/${w.subnetName}; an app has one regional VNet integration.`,
      fix: 'Check that subnet instead, or remove the integration first (az webapp vnet-integration remove).',
    });
  }
  for (const vnet of app.legacyVnets) {
    out.push({
      id: 'legacy-gateway-integration',
      severity: 'warning',
      resource: `web app ${app.label}`,
      message: `Web app '${app.label}' has a gateway-required (legacy) VNet integration with ${vnet}, which sends that VNet's traffic through the VNet gateway and confuses routes.`,
      fix: 'Disconnect the gateway-required integration once the regional integration works (portal: Networking → VNet integration → Disconnect).',
    });
  }
  return out;
}

/** The subnet's IPv4 ranges: the existing subnet's, else the planned `subnet-prefix`. */
export function integrationRanges(w: World): Ipv4Cidr[] {
  const texts = w.subnet ? w.subnet.prefixes : w.plannedPrefix ? [w.plannedPrefix] : [];
  return texts.map(parseIpv4Cidr).filter((c): c is Ipv4Cidr => !!c);
}

export function subnetFindings(w: World): Finding[] {
  const resource = subnetLabel(w);
  if (!w.subnet && !w.plannedPrefix) {
    return [
      {
        id: 'subnet-missing',
        severity: 'error',
        resource,
        message: `Virtual network '${w.vnet.name}' has no subnet '${w.subnetName}', and no planned range was given.`,
        fix: `Give 'subnet-prefix' (a free /${RECOMMENDED_PREFIX_LENGTH} inside ${w.vnet.addressSpace.join(', ')}) for the subnet to be created, or name an existing subnet.`,
      },
    ];
  }
  return [...sizeFindings(w, resource), ...(w.subnet ? [...delegationFindings(w.subnet, resource), ...sharingFindings(w, w.subnet, resource)] : plannedRangeFindings(w, resource))];
}

function sizeFindings(w: World, resource: string): Finding[] {
  const ranges = integrationRanges(w);
  if (ranges.length === 0) {
    return [{ id: 'subnet-not-ipv4', severity: 'error', resource, message: `Subnet '${w.subnetName}' has no IPv4 range.`, fix: 'App Service VNet integration needs an IPv4 subnet: use another subnet.' }];
  }
  const largest = ranges.reduce((a, b) => (a.prefixLength <= b.prefixLength ? a : b));
  if (largest.prefixLength > MIN_PREFIX_LENGTH) {
    return [
      {
        id: 'subnet-too-small',
        severity: 'error',
        resource,
        message: `Subnet '${w.subnetName}' (${largest.canonical}) is smaller than /${MIN_PREFIX_LENGTH}, the smallest subnet App Service VNet integration accepts.`,
        fix: `Use a /${RECOMMENDED_PREFIX_LENGTH} (recommended) or at least a /${MIN_PREFIX_LENGTH}.`,
      },
    ];
  }
  if (largest.prefixLength > RECOMMENDED_PREFIX_LENGTH) {
    return [
      {
        id: 'subnet-small',
        severity: 'warning',
        resource,
        message: `Subnet '${w.subnetName}' (${largest.canonical}) is smaller than the recommended /${RECOMMENDED_PREFIX_LENGTH}: App Service takes one address per instance and more during scale operations and upgrades.`,
        fix: `Use a /${RECOMMENDED_PREFIX_LENGTH} if the plan may scale out.`,
      },
    ];
  }
  return [];
}

function delegationFindings(subnet: SubnetView, resource: string): Finding[] {
  const other = subnet.delegations.find((d) => d.toLowerCase() !== WEB_DELEGATION.toLowerCase());
  if (other) {
    return [{ id: 'subnet-delegated-elsewhere', severity: 'error', resource, message: `Subnet '${subnet.name}' is delegated to ${other}; a subnet can be delegated to one service only.`, fix: `Use a subnet delegated to ${WEB_DELEGATION}, or an empty one.` }];
  }
  if (subnet.delegations.length === 0 && subnet.users.length > 0) {
    return [{ id: 'subnet-in-use', severity: 'error', resource, message: `Subnet '${subnet.name}' is not delegated to ${WEB_DELEGATION} and is in use (${subnet.users[0]}), so the delegation cannot be added.`, fix: 'Use an empty subnet, or a new one.' }];
  }
  return [];
}

/** Other plans on the subnet: allowed by multi-plan subnet join in one subscription, /26 or larger. */
function sharingFindings(w: World, subnet: SubnetView, resource: string): Finding[] {
  const others = subnet.plans.filter((p) => p.toLowerCase() !== w.webapp.planId.toLowerCase());
  if (others.length === 0) return [];
  const elsewhere = others.find((p) => subscriptionOf(p) !== subscriptionOf(w.webapp.planId));
  const largest = integrationRanges(w).reduce<number>((a, c) => Math.min(a, c.prefixLength), 32);
  if (!elsewhere && largest <= RECOMMENDED_PREFIX_LENGTH) return [];
  return [
    {
      id: 'subnet-used-by-another-plan',
      severity: 'error',
      resource,
      message: `Subnet '${subnet.name}' is used by App Service plan ${elsewhere ?? others[0]}; plans can share a subnet only when all are in one subscription and the subnet is /${RECOMMENDED_PREFIX_LENGTH} or larger.`,
      fix: 'Use another subnet for this plan.',
    },
  ];
}

/** A planned subnet must fit the VNet's address space and not overlap its subnets. */
function plannedRangeFindings(w: World, resource: string): Finding[] {
  const planned = integrationRanges(w)[0];
  if (!planned) return [];
  const space = w.vnet.addressSpace.map(parseIpv4Cidr).filter((c): c is Ipv4Cidr => !!c);
  if (!space.some((s) => cidrContains(s, planned))) {
    return [{ id: 'subnet-outside-vnet', severity: 'error', resource, message: `Planned range ${planned.canonical} is outside the address space of '${w.vnet.name}' (${w.vnet.addressSpace.join(', ')}).`, fix: `Choose a free range inside ${w.vnet.addressSpace.join(' or ')}.` }];
  }
  const clash = w.vnet.subnets.find((s) => s.prefixes.some((p) => { const c = parseIpv4Cidr(p); return !!c && cidrsOverlap(c, planned); }));
  if (clash) {
    return [{ id: 'subnet-overlaps-subnet', severity: 'error', resource, message: `Planned range ${planned.canonical} overlaps subnet '${clash.name}' (${clash.prefixes.join(', ')}) of '${w.vnet.name}'.`, fix: 'Choose a range no other subnet uses.' }];
  }
  return [];
}
