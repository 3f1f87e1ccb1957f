import { WebSiteManagementClient } from '@azure/arm-appservice';
import { UserError } from '../errors';
import type { Host } from '../hosts/host';
import { armClientOptions } from './clients';
import { isSlotName } from './names';
import { isNotFound, translateArmError } from './errors';
import type { AzureSession } from './credential';
import { formatResourceId, looksLikeResourceId, parseResourceId, resolveResource, type ResourceId } from './resource-id';

/**
 * The one Microsoft.Web api-version of every call the steps make, raw or through the SDK (both
 * clients below are pinned to it, so an SDK upgrade cannot silently split them).
 *
 * 2025-05-01 is the version @azure/arm-appservice 19.0.0 speaks (its operations default to
 * `context.apiVersion ?? "2025-05-01"`, dist/esm/api/<group>/operations.js) and is published in
 * azure-rest-api-specs specification/web/resource-manager/Microsoft.Web/AppService/stable/2025-05-01.
 * What the steps read and write there, and how it differs from older versions:
 * - Site.properties has `outboundVnetRouting` {allTraffic, applicationTraffic, ...} and no
 *   site-level `vnetRouteAllEnabled`. That changed in 2024-11-01 (Microsoft.Web/stable/2024-11-01/
 *   CommonDefinitions.json `Site`); up to 2024-04-01 (stable/2024-04-01/CommonDefinitions.json)
 *   and back to 2022-03-01 the site had `vnetRouteAllEnabled` and no `outboundVnetRouting`;
 *   2021-03-01 had neither.
 * - SiteConfig (config/web) keeps `vnetRouteAllEnabled` in every one of these versions, and
 *   OutboundVnetRouting.applicationTraffic is documented as "Previously called VnetRouteAllEnabled"
 *   (same spec, and the SDK's OutboundVnetRouting model): one setting under two names.
 * - SitePatchResource (PATCH sites/{name}) defines `virtualNetworkSubnetId`, `dnsConfiguration` and
 *   `siteConfig` but not `outboundVnetRouting` (SitePatchResourceProperties in @azure/arm-appservice
 *   19, generated from 2025-05-01), so route-all is written through config/web.
 *
 * Concurrency: the Web API has no ETag on sites (no `etag` in the Site model and no If-Match
 * parameter on any Microsoft.Web/sites operation in azure-rest-api-specs WebApps.json, nor in
 * @azure/arm-appservice 19), so a GET-then-PUT of the whole site could revert someone else's change.
 * Writes therefore send only the fields a step owns: PATCH `sites/{name}` (WebApps_Update,
 * SitePatchResource: virtualNetworkSubnetId, dnsConfiguration) and PATCH `sites/{name}/config/web`
 * (WebApps_UpdateConfiguration, SiteConfigResource: vnetRouteAllEnabled).
 */
export const SITE_API_VERSION = '2025-05-01';

/** A web app or one of its deployment slots. */
export interface WebAppTarget {
  resourceGroup: string;
  name: string;
  slot?: string;
  /** ARM id of the site, or of the slot when there is one. */
  id: string;
  /** `app` or `app/slots/staging`, for plans and messages. */
  label: string;
}

/**
 * The `webapp` / `resource-group` / `slot` inputs as one target. `webapp` may be a name, a site
 * ID or a slot ID (then `slot`, when given, must agree). Pure: no I/O.
 */
export function resolveWebApp(
  host: Host,
  inputs: { webapp: string; resourceGroup?: string; slot?: string; subscriptionId: string },
): WebAppTarget {
  const webappInput = host.inputName('webapp');
  const slotInput = host.inputName('slot');
  let id: ResourceId;
  let slot = inputs.slot || undefined;
  if (looksLikeResourceId(inputs.webapp) && /\/slots\//i.test(inputs.webapp)) {
    id = parseResourceId(inputs.webapp, webappInput);
    if (`${id.provider}/${id.types.join('/')}`.toLowerCase() !== 'microsoft.web/sites/slots') {
      throw new UserError(`Input '${webappInput}' is the ID of a ${id.provider}/${id.types.join('/')}, not of a web app.`, 'Give the ID of a Microsoft.Web/sites resource (or of one of its slots).');
    }
    const fromId = id.names[1]!;
    if (slot && slot.toLowerCase() !== fromId.toLowerCase()) {
      throw new UserError(
        `Input '${slotInput}' is '${slot}', but '${webappInput}' is the ID of slot '${fromId}'.`,
        `Leave '${slotInput}' empty, or give the site's ID (without /slots/${fromId}) in '${webappInput}'.`,
      );
    }
    slot = fromId;
    id = { ...id, types: ['sites'], names: [id.names[0]!] };
  } else {
    id = resolveResource({
      value: inputs.webapp,
      input: webappInput,
      provider: 'Microsoft.Web',
      types: ['sites'],
      resourceGroup: inputs.resourceGroup,
      resourceGroupInput: host.inputName('resource-group'),
      subscriptionId: inputs.subscriptionId,
    });
  }
  if (slot !== undefined && !isSlotName(slot)) {
    throw new UserError(`Input '${slotInput}' is '${slot}', which is not a valid slot name.`, 'Slot names have letters, digits and hyphens; leave it empty for the production slot.');
  }
  const name = id.names[0]!;
  const siteId = formatResourceId(id);
  return {
    resourceGroup: id.resourceGroup,
    name,
    slot,
    id: slot ? `${siteId}/slots/${slot}` : siteId,
    label: slot ? `${name}/slots/${slot}` : name,
  };
}

/** The typed SDK client (app settings, plans, VNet connections). */
export function webClient(session: AzureSession, subscriptionId = session.subscriptionId): WebSiteManagementClient {
  return new WebSiteManagementClient(session.credential, subscriptionId, { ...armClientOptions(session), apiVersion: SITE_API_VERSION });
}

/** Reads the app settings of a site or slot (ARM only returns them through POST .../list). */
export async function listAppSettings(client: WebSiteManagementClient, target: WebAppTarget): Promise<Record<string, string>> {
  const result = target.slot
    ? await client.webApps.listApplicationSettingsSlot(target.resourceGroup, target.name, target.slot)
    : await client.webApps.listApplicationSettings(target.resourceGroup, target.name);
  return { ...(result.properties ?? {}) };
}

/** Replaces the whole app-settings dictionary of a site or slot (what ARM's PUT does). */
export async function replaceAppSettings(client: WebSiteManagementClient, target: WebAppTarget, settings: Record<string, string>): Promise<void> {
  if (target.slot) await client.webApps.updateApplicationSettingsSlot(target.resourceGroup, target.name, target.slot, { properties: settings });
  else await client.webApps.updateApplicationSettings(target.resourceGroup, target.name, { properties: settings });
}

/**
 * What to tell the user when reading a web app (or its slot) failed: a 404 names the input to
 * check; anything else is ARM's own error, translated.
 */
export function webAppReadError(
  error: unknown,
  target: WebAppTarget,
  inputs: { webapp: string; slot: string; resourceGroup: string },
  identity: string,
): Error {
  if (isNotFound(error)) {
    return new UserError(
      target.slot
        ? `Input '${inputs.slot}' is '${target.slot}', but web app '${target.name}' in resource group '${target.resourceGroup}' has no such slot (or the app does not exist).`
        : `Input '${inputs.webapp}' is '${target.name}', but no web app of that name exists in resource group '${target.resourceGroup}'.`,
      `Check '${inputs.webapp}', '${inputs.resourceGroup}' and the subscription.`,
    );
  }
  return translateArmError(error, { what: `reading web app ${target.label}`, identity });
}
