// The two places App Service takes custom DNS servers from, read and written without touching
// anything else: the site's `dnsConfiguration` (wins when set) and the WEBSITE_DNS_* app settings.
import type { WebSiteManagementClient } from '@azure/arm-appservice';
import { translateArmError } from '@private-wire/shared/azure/errors';
import type { RawArm } from '@private-wire/shared/azure/raw-arm';
import { SITE_API_VERSION, listAppSettings, replaceAppSettings, type WebAppTarget } from '@private-wire/shared/azure/web-apps';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});

export const SERVER_SETTING = 'WEBSITE_DNS_SERVER';
export const ALT_SETTING = 'WEBSITE_DNS_ALT_SERVER';

/** DNS servers as one mechanism holds them. */
export interface DnsValues {
  servers: string[];
  alt?: string;
}

export function propertyValues(site: Json): DnsValues {
  const dns = obj(obj(site.properties).dnsConfiguration);
  const servers = Array.isArray(dns.dnsServers) ? dns.dnsServers.map(String) : [];
  const alt = typeof dns.dnsAltServer === 'string' && dns.dnsAltServer ? dns.dnsAltServer : undefined;
  return { servers, alt };
}

/**
 * WEBSITE_DNS_SERVER holds the servers "separate[d] by commas with no blank spaces" ("Name
 * resolution (DNS) in App Service", https://learn.microsoft.com/azure/app-service/overview-name-resolution,
 * "Configuring DNS servers"). The value is split as it is, without trimming: a value with blanks is
 * not in the documented form, so it reads as different from what the step writes, and is rewritten.
 */
export function appSettingValues(settings: Record<string, string>): DnsValues {
  const server = settings[SERVER_SETTING];
  const alt = settings[ALT_SETTING];
  return { servers: server ? server.split(',') : [], alt: alt || undefined };
}

/** The WEBSITE_DNS_SERVER value for these servers: comma-separated, no blanks. */
export const serverSettingValue = (servers: string[]): string => servers.join(',');

export const isEmpty = (v: DnsValues) => v.servers.length === 0 && !v.alt;

export function sameValues(a: DnsValues, b: DnsValues): boolean {
  return a.servers.join(',') === b.servers.join(',') && (a.alt ?? '') === (b.alt ?? '');
}

export function describe(v: DnsValues): string {
  if (isEmpty(v)) return '(none)';
  return `${v.servers.join(', ') || '(none)'}${v.alt ? `; alt ${v.alt}` : ''}`;
}

/**
 * The `dnsConfiguration` to PATCH: as read (retry and cache settings kept), with only the servers
 * (and the alternate server, when given) changed.
 */
export function dnsConfigurationPatch(site: Json, wanted: DnsValues): Json {
  const dns: Json = { ...obj(obj(site.properties).dnsConfiguration), dnsServers: wanted.servers };
  if (wanted.alt !== undefined) dns.dnsAltServer = wanted.alt;
  // Read-only: App Service reports it, a write must not try to set it.
  delete dns.dnsLegacySortOrder;
  return { properties: { dnsConfiguration: dns } };
}

/** The app settings with only the two DNS settings changed (every other entry kept as read). */
export function withDnsSettings(settings: Record<string, string>, wanted: DnsValues): Record<string, string> {
  const next: Record<string, string> = { ...settings, [SERVER_SETTING]: serverSettingValue(wanted.servers) };
  if (wanted.alt !== undefined) next[ALT_SETTING] = wanted.alt;
  return next;
}

interface WriteContext {
  identity: string;
  hints: Record<string, string>;
}

/**
 * Reads `dnsConfiguration` again and PATCHes only it (the Web API has no ETag on sites: see
 * SITE_API_VERSION), so a change someone made to any other site field meanwhile stays.
 */
export async function writeDnsConfiguration(raw: RawArm, target: WebAppTarget, wanted: DnsValues, context: WriteContext): Promise<void> {
  try {
    const site = await raw.get(target.id, SITE_API_VERSION);
    await raw.patch(target.id, SITE_API_VERSION, dnsConfigurationPatch(site, wanted));
  } catch (error) {
    throw translateArmError(error, { what: `setting dnsConfiguration of web app ${target.label}`, ...context });
  }
}

/** Names of settings that differ between two app-settings dictionaries. */
export function changedSettings(before: Record<string, string>, after: Record<string, string>): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((n) => before[n] !== after[n]).sort();
}

/**
 * The app-settings API replaces the whole dictionary and has no ETag. So the settings are listed
 * again right before the PUT, and our two settings merged into what is there now: a setting
 * someone added or changed since the plan is kept. What remains is the time between that list
 * and the PUT (one ARM round trip), in which another writer's change would be lost.
 */
export async function writeDnsSettings(
  web: WebSiteManagementClient,
  target: WebAppTarget,
  wanted: DnsValues,
  planned: Record<string, string>,
  context: WriteContext & { info(message: string): void },
): Promise<void> {
  try {
    const current = await listAppSettings(web, target);
    const moved = changedSettings(planned, current);
    if (moved.length > 0) context.info(`App settings of ${target.label} changed since the plan (${moved.join(', ')}); merging into the current ones.`);
    const next = withDnsSettings(current, wanted);
    if (changedSettings(current, next).length === 0) return;
    await replaceAppSettings(web, target, next);
  } catch (error) {
    throw translateArmError(error, { what: `updating the app settings of web app ${target.label}`, identity: context.identity, hints: context.hints });
  }
}
