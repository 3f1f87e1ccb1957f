// The two places App Service takes custom DNS servers from, read and written without touching
// anything else: the site's `dnsConfiguration` (wins when set) and the WEBSITE_DNS_* app settings.
import type { WebSiteManagementClient } from '@azure/arm-appservice';
import { translateArmError } from '../../azure/errors';
import { SITE_API_VERSION, listAppSettings, replaceAppSettings, type RawArm, type WebAppTarget } from '../../azure/web-apps';

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

export function appSettingValues(settings: Record<string, string>): DnsValues {
  const server = settings[SERVER_SETTING]?.trim();
  const alt = settings[ALT_SETTING]?.trim();
  return { servers: server ? [server] : [], alt: alt || undefined };
}

export const isEmpty = (v: DnsValues) => v.servers.length === 0 && !v.alt;

export function sameValues(a: DnsValues, b: DnsValues): boolean {
  return a.servers.join(',') === b.servers.join(',') && (a.alt ?? '') === (b.alt ?? '');
}

export function describe(v: DnsValues): string {
  if (isEmpty(v)) return '(none)';
  return `${v.servers.join(', ') || '(none)'}${v.alt ? `; alt ${v.alt}` : ''}`;
}

/** The site body with only `dnsConfiguration.dnsServers` / `dnsAltServer` changed. */
export function withDnsConfiguration(site: Json, wanted: DnsValues): Json {
  const p = obj(site.properties);
  const dns: Json = { ...obj(p.dnsConfiguration), dnsServers: wanted.servers };
  if (wanted.alt !== undefined) dns.dnsAltServer = wanted.alt;
  // Read-only: App Service reports it, a PUT must not try to set it.
  delete dns.dnsLegacySortOrder;
  return { ...site, properties: { ...p, dnsConfiguration: dns } };
}

/** The app settings with only the two DNS settings changed (every other entry kept as read). */
export function withDnsSettings(settings: Record<string, string>, wanted: DnsValues): Record<string, string> {
  const next: Record<string, string> = { ...settings, [SERVER_SETTING]: wanted.servers[0]! };
  if (wanted.alt !== undefined) next[ALT_SETTING] = wanted.alt;
  return next;
}

interface WriteContext {
  identity: string;
  hints: Record<string, string>;
}

/** GET + merge + PUT of the site, re-read just before writing so a concurrent change is kept. */
export async function writeDnsConfiguration(raw: RawArm, target: WebAppTarget, wanted: DnsValues, context: WriteContext): Promise<void> {
  try {
    const site = await raw.get(target.id, SITE_API_VERSION);
    await raw.put(target.id, SITE_API_VERSION, withDnsConfiguration(site, wanted));
  } catch (error) {
    throw translateArmError(error, { what: `setting dnsConfiguration of web app ${target.label}`, ...context });
  }
}

/**
 * The app-settings API replaces the whole dictionary: list (POST), merge, PUT everything back.
 * Listed again right before the write so a setting added since the plan is not lost.
 */
export async function writeDnsSettings(web: WebSiteManagementClient, target: WebAppTarget, wanted: DnsValues, context: WriteContext): Promise<void> {
  try {
    const current = await listAppSettings(web, target);
    await replaceAppSettings(web, target, withDnsSettings(current, wanted));
  } catch (error) {
    throw translateArmError(error, { what: `updating the app settings of web app ${target.label}`, ...context });
  }
}
