// The web app side of regional VNet integration: reading the site, its plan and its VNet
// connections, and writing the site's subnet and routing without touching anything else.
import type { WebSiteManagementClient } from '@azure/arm-appservice';
import { UserError } from '@private-wire/shared/errors';
import { armErrorOf, translateArmError } from '@private-wire/shared/azure/errors';
import type { RawArm } from '@private-wire/shared/azure/raw-arm';
import { SITE_API_VERSION, listAppSettings, type WebAppTarget, webAppReadError } from '@private-wire/shared/azure/web-apps';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});

/** The app setting that also turns on routing of all traffic (values 1 or true). */
export const ROUTE_ALL_SETTING = 'WEBSITE_VNET_ROUTE_ALL';

/** Plan tiers without regional VNet integration. */
const NO_VNET_TIERS = ['free', 'shared', 'dynamic'];

export interface SiteState {
  /** The raw site (or slot) resource as ARM returned it. */
  site: Json;
  location: string;
  planId: string;
  /** Current integration subnet, or undefined. */
  subnetId?: string;
  /** Whether all outbound app traffic goes through the VNet: `allTraffic || applicationTraffic`. */
  routeAll: boolean;
  /** `outboundVnetRouting.allTraffic`: routes all traffic, configuration traffic included. */
  allTraffic: boolean;
}

/**
 * The site as read at SITE_API_VERSION, where routing is `outboundVnetRouting` (no site-level
 * `vnetRouteAllEnabled` there). `allTraffic` "Enables all other routing options defined in
 * OutboundVnetRouting" and `applicationTraffic` is the former VnetRouteAllEnabled (azure-rest-api-specs
 * Microsoft.Web 2024-11-01 CommonDefinitions.json `OutboundVnetRouting`), so either one means
 * that all outbound app traffic goes through the VNet.
 */
export function siteState(site: Json): SiteState {
  const p = obj(site.properties);
  const outbound = obj(p.outboundVnetRouting);
  const allTraffic = outbound.allTraffic === true;
  const routeAll = allTraffic || outbound.applicationTraffic === true;
  const subnetId = typeof p.virtualNetworkSubnetId === 'string' && p.virtualNetworkSubnetId ? p.virtualNetworkSubnetId : undefined;
  return { site, location: String(site.location ?? ''), planId: String(p.serverFarmId ?? ''), subnetId, routeAll, allTraffic };
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
 * a PATCH of the site, route-all with a PATCH of its `config/web` (`vnetRouteAllEnabled`, which
 * SiteConfig defines at SITE_API_VERSION and App Service reports back as
 * `outboundVnetRouting.applicationTraffic`). Another writer's change to any other field, made
 * between our read and this write, stays.
 */
export async function writeIntegration(raw: RawArm, target: WebAppTarget, change: { subnetId?: string; routeAll?: boolean }, context: { identity: string; hints: Record<string, string> }): Promise<void> {
  try {
    if (change.subnetId !== undefined) await raw.patch(target.id, SITE_API_VERSION, { properties: { virtualNetworkSubnetId: change.subnetId } });
    if (change.routeAll !== undefined) await raw.patch(`${target.id}/config/web`, SITE_API_VERSION, { properties: { vnetRouteAllEnabled: change.routeAll } });
  } catch (error) {
    throw translateArmError(error, { what: `updating the VNet integration of web app ${target.label}`, identity: context.identity, hints: context.hints });
  }
}

/** What the route-all line of the plan is: none (as wanted), update, or absent (input empty). */
export type RoutingDecision = 'absent' | 'none' | 'update';

/**
 * Compares `route-all` with the site. Route-all is on when either routing flag is; the step owns
 * only applicationTraffic (through vnetRouteAllEnabled). So `route-all: false` on a site with
 * allTraffic on cannot be done without changing a setting that also routes configuration traffic
 * (image pulls, content share, backups): refused before any write, with the command that does it.
 */
export function routingDecision(wanted: boolean | undefined, site: SiteState, target: WebAppTarget, routeAllInput: string): RoutingDecision {
  if (wanted === undefined) return 'absent';
  if (wanted === false && site.allTraffic) {
    throw new UserError(
      `Input '${routeAllInput}' is 'false', but web app '${target.label}' has outboundVnetRouting.allTraffic on, which routes all outbound traffic (configuration traffic too) through the VNet whatever '${routeAllInput}' says.`,
      `Turn allTraffic off first if the app should route only private traffic (az resource update --ids ${target.id} --set properties.outboundVnetRouting.allTraffic=false), or leave '${routeAllInput}' empty.`,
    );
  }
  return wanted === site.routeAll ? 'none' : 'update';
}

/** The warning for a WEBSITE_VNET_ROUTE_ALL setting that may keep all traffic routed. */
export function routeAllSettingWarning(target: WebAppTarget, value: string, routeAllInput: string): string {
  const slot = target.slot ? ` --slot ${target.slot}` : '';
  return (
    `Web app '${target.label}' has the app setting ${ROUTE_ALL_SETTING}=${value}, which App Service documents as turning on routing of all outbound traffic through the VNet on its own, so '${routeAllInput}: false' may not take effect. ` +
    `Remove the setting if the app should route only private traffic through the VNet: az webapp config appsettings delete -g ${target.resourceGroup} -n ${target.name}${slot} --setting-names ${ROUTE_ALL_SETTING}`
  );
}

/**
 * WEBSITE_VNET_ROUTE_ALL when it is set to turn routing of all traffic on (1 or true), else
 * undefined. App Service documents the setting as an alternative to the site property: "you can
 * enable all traffic routing with either setting" (MicrosoftDocs/azure-docs
 * articles/app-service/configure-vnet-integration-routing.md, "Configure application routing").
 * The current overview (articles/app-service/overview-vnet-integration.md, "Routing app settings",
 * 2026) says instead that "Site properties override the app settings if both exist": the two
 * sources disagree, so the step warns rather than decides. A failed read is reported, not fatal:
 * the check only ever warns.
 */
export async function routeAllAppSetting(
  web: WebSiteManagementClient,
  target: WebAppTarget,
  warn: (message: string) => void,
): Promise<string | undefined> {
  let settings: Record<string, string>;
  try {
    settings = await listAppSettings(web, target);
  } catch (error) {
    const { status, code } = armErrorOf(error);
    warn(`Could not read the app settings of web app '${target.label}' (${code ?? status ?? 'no answer'}) to check ${ROUTE_ALL_SETTING}; if it is 1 or true, it may keep all traffic routed through the VNet.`);
    return undefined;
  }
  const value = settings[ROUTE_ALL_SETTING]?.trim();
  return value && /^(1|true)$/i.test(value) ? value : undefined;
}
