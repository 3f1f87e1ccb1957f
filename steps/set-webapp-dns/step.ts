import { defineStep } from '@private-wire/shared/engine/step';
import type { Change } from '@private-wire/shared/engine/plan';
import { signInToAzure } from '@private-wire/shared/azure/credential';
import { RawArm } from '@private-wire/shared/azure/raw-arm';
import { SITE_API_VERSION, listAppSettings, webAppReadError, webClient } from '@private-wire/shared/azure/web-apps';
import { setWebappDnsMetadata } from './metadata';
import { dnsSettings } from './settings';
import {
  ALT_SETTING,
  SERVER_SETTING,
  appSettingValues,
  describe,
  isEmpty,
  propertyValues,
  sameValues,
  writeDnsConfiguration,
  writeDnsSettings,
  type DnsValues,
} from './dns-config';

export const step = defineStep({
  metadata: setWebappDnsMetadata,
  settings: (inputs, ctx) => dnsSettings(inputs, ctx.host),

  async plan(s, ctx) {
    const session = await signInToAzure(ctx.host, s.azure, ctx.deadline);
    const identity = session.method;
    const target = s.target(session.subscriptionId);
    const raw = new RawArm(session);
    const web = webClient(session);

    let site: Record<string, unknown>;
    let settings: Record<string, string>;
    try {
      site = await raw.get(target.id, SITE_API_VERSION);
      settings = await listAppSettings(web, target);
    } catch (error) {
      throw webAppReadError(error, target, s.names, identity);
    }

    const property = propertyValues(site);
    const appSetting = appSettingValues(settings);
    const mine = s.mode === 'property' ? property : appSetting;
    const other = s.mode === 'property' ? appSetting : property;
    // An alt server left empty keeps whatever is set, so compare against that.
    const wanted: DnsValues = { servers: s.wanted.servers, alt: s.wanted.alt ?? mine.alt };
    const hints = {
      BadRequest: `Check '${s.names.dnsServer}' and '${s.names.altDnsServer}': IPv4 addresses the app can reach through its VNet integration.`,
    };

    const change: Change =
      s.mode === 'property'
        ? {
            resource: `web app ${target.label} dnsConfiguration`,
            action: sameValues(mine, wanted) ? 'none' : 'update',
            detail: sameValues(mine, wanted) ? 'DNS servers are up to date' : 'set the site\'s DNS servers (dnsServers, dnsAltServer)',
            before: describe(mine),
            after: sameValues(mine, wanted) ? undefined : describe(wanted),
            apply: () => writeDnsConfiguration(raw, target, wanted, { identity, hints }),
          }
        : {
            resource: `web app ${target.label} app settings`,
            action: sameValues(mine, wanted) ? 'none' : 'update',
            detail: sameValues(mine, wanted) ? `${SERVER_SETTING} is up to date` : `set ${SERVER_SETTING}${s.wanted.alt ? ` and ${ALT_SETTING}` : ''}, keeping every other setting`,
            before: describe(mine),
            after: sameValues(mine, wanted) ? undefined : describe(wanted),
            apply: () => writeDnsSettings(web, target, wanted, settings, { identity, hints, info: (m) => ctx.host.info(m) }),
          };
    if (change.action === 'none') delete change.apply;

    if (!isEmpty(other) && !sameValues(other, wanted)) {
      ctx.warn(
        s.mode === 'property'
          ? `Web app '${target.label}' also has app settings ${SERVER_SETTING}/${ALT_SETTING} (${describe(other)}), different from the dnsConfiguration this step sets (${describe(wanted)}). The site property takes precedence, so the app settings are ignored: remove them to avoid confusion.`
          : `Web app '${target.label}' has dnsConfiguration DNS servers (${describe(other)}), different from the app settings this step sets (${describe(wanted)}). The site property takes precedence, so the app keeps using ${describe(other)}: clear dnsConfiguration, or use '${s.names.mode}: property' instead.`,
      );
    }
    return { changes: [change] };
  },
});
