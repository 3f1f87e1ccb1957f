import { InputProblems } from '../../errors';
import { defineStep } from '../../engine/step';
import type { Change } from '../../engine/plan';
import { signInToAzure } from '../../azure/credential';
import { azureSignInSettings } from '../../azure/inputs';
import { RawArm, SITE_API_VERSION, listAppSettings, resolveWebApp, webAppReadError, webClient } from '../../azure/web-apps';
import { setWebappDnsMetadata } from './metadata';
import { dnsServerProblems } from './dns-servers';
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

/** Stands in for the subscription while inputs are checked before sign-in (IDs carry their own). */
const PLACEHOLDER_SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';

type Mode = 'property' | 'app-setting';

export const setWebappDnsStep = defineStep({
  metadata: setWebappDnsMetadata,

  settings(inputs, ctx) {
    const n = (name: string) => ctx.host.inputName(name);
    const names = { webapp: n('webapp'), resourceGroup: n('resource-group'), slot: n('slot'), dnsServer: n('dns-server'), altDnsServer: n('alt-dns-server'), mode: n('mode') };
    const mode = inputs.mode as Mode;
    const target = (subscriptionId: string) =>
      resolveWebApp(ctx.host, { webapp: inputs.webapp, resourceGroup: inputs['resource-group'], slot: inputs.slot, subscriptionId });
    const problems = new InputProblems();
    problems.attempt(() => target(PLACEHOLDER_SUBSCRIPTION));
    problems.add(...dnsServerProblems(inputs['dns-server'], inputs['alt-dns-server'], mode, names));
    problems.throwIfAny();
    const wanted: DnsValues = { servers: inputs['dns-server'], alt: inputs['alt-dns-server'] };
    return { azure: azureSignInSettings(inputs), names, mode, target, wanted };
  },

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
