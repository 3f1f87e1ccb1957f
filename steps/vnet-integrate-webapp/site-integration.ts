// The web app side of regional VNet integration: reading the site, its plan and its VNet
// connections, and writing the site's subnet and routing without touching anything else.
import type { WebSiteManagementClient } from '@azure/arm-appservice';
import { UserError } from '@private-wire/shared/errors';
import { translateArmError } from '@private-wire/shared/azure/errors';
import { SITE_API_VERSION, type RawArm, type WebAppTarget, webAppReadError } from '@private-wire/shared/azure/web-apps';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});

/** Plan tiers without regional VNet integration. */
const NO_VNET_TIERS = ['free', 'shared', 'dynamic'];

export interface SiteState {
  /** The raw site (or slot) resource as ARM returned it. */
  site: Json;
  location: string;
  planId: string;
  /** Current integration subnet, or undefined. */
  subnetId?: string;
  /** Current "route all traffic through the VNet" setting. */
  routeAll: boolean;
}

function siteState(site: Json): SiteState {
  const p = obj(site.properties);
  const outbound = obj(p.outboundVnetRouting);
  const routeAll =
    typeof outbound.applicationTraffic === 'boolean' ? outbound.applicationTraffic
    : typeof p.vnetRouteAllEnabled === 'boolean' ? p.vnetRouteAllEnabled
    : obj(p.siteConfig).vnetRouteAllEnabled === true;
  const subnetId = typeof p.virtualNetworkSubnetId === 'string' && p.virtualNetworkSubnetId ? p.virtualNetworkSubnetId : undefined;
  return { site, location: String(site.location ?? ''), planId: String(p.serverFarmId ?? ''), subnetId, routeAll };
}

export async function readSite(raw: RawArm, target: WebAppTarget, inputs: { webapp: string; slot: string; resourceGroup: string }, identity: string): Promise<SiteState> {
  try {
    return siteState(await raw.get(target.id, SITE_API_VERSION));
  } catch (error) {
    throw webAppReadError(error, target, inputs, identity);
  }
}

/** The plan's SKU tier; refuses the tiers without VNet integration. */
export async function checkPlanTier(raw: RawArm, state: SiteState, target: WebAppTarget, webappInput: string, identity: string): Promise<void> {
  let plan: Json;
  try {
    plan = await raw.get(state.planId, SITE_API_VERSION);
  } catch (error) {
    throw translateArmError(error, { what: `reading App Service plan ${state.planId}`, identity });
  }
  const tier = String(obj(plan.sku).tier ?? '');
  if (NO_VNET_TIERS.includes(tier.toLowerCase())) {
    throw new UserError(
      `Input '${webappInput}' is '${target.name}', whose App Service plan '${String(plan.name)}' is in the ${tier} tier, which has no VNet integration.`,
      `Scale the plan to Basic or higher (e.g. az appservice plan update -g ${target.resourceGroup} -n ${String(plan.name)} --sku P0v3), then re-run.`,
    );
  }
}

/** Gateway-required ("legacy") VNet connections of the app: the VNet each one points at. */
export async function legacyConnections(web: WebSiteManagementClient, target: WebAppTarget, identity: string): Promise<{ name: string; vnet: string }[]> {
  try {
    const list = target.slot
      ? await web.webApps.listVnetConnectionsSlot(target.resourceGroup, target.name, target.slot)
      : await web.webApps.listVnetConnections(target.resourceGroup, target.name);
    return list.filter((c) => c.isSwift !== true).map((c) => ({ name: c.name ?? '', vnet: c.vnetResourceId ?? '' }));
  } catch (error) {
    throw translateArmError(error, { what: `listing VNet connections of web app ${target.label}`, identity });
  }
}

/**
 * Writes only what the step owns (see SITE_API_VERSION on why not a whole-site PUT): the subnet with
 * a PATCH of the site, route-all with a PATCH of its `config/web`. Another writer's change to any
 * other field, made between our read and this write, stays.
 */
export async function writeIntegration(raw: RawArm, target: WebAppTarget, change: { subnetId?: string; routeAll?: boolean }, context: { identity: string; hints: Record<string, string> }): Promise<void> {
  try {
    if (change.subnetId !== undefined) await raw.patch(target.id, SITE_API_VERSION, { properties: { virtualNetworkSubnetId: change.subnetId } });
    if (change.routeAll !== undefined) await raw.patch(`${target.id}/config/web`, SITE_API_VERSION, { properties: { vnetRouteAllEnabled: change.routeAll } });
  } catch (error) {
    throw translateArmError(error, { what: `updating the VNet integration of web app ${target.label}`, identity: context.identity, hints: context.hints });
  }
}
