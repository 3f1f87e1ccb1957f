// Findings about routing and name resolution on the integration subnet's VNet.
//
// Routes (https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview): Azure
// picks the route for a destination "using the longest prefix match algorithm"; a user-defined
// route overrides the system route for the same prefix; next hop `None` drops the traffic,
// `VirtualAppliance` / `VirtualNetworkGateway` / `Internet` send it elsewhere, `VnetLocal` keeps it
// in the VNet. App Service applies the integration subnet's route table to the app's outbound
// traffic that enters the VNet: private (RFC 1918) destinations always, everything with route-all
// (MicrosoftDocs/azure-docs articles/app-service/overview-vnet-integration.md, "Routes" and
// "Application routing").
//
// DNS: a VNet's custom DNS servers (dhcpOptions.dnsServers, azure-rest-api-specs
// Microsoft.Network virtualNetwork.json `DhcpOptions`) are what an integrated app resolves with
// unless the site's own DNS settings say otherwise: "If you integrate your app with a virtual
// network, your app uses the DNS configuration of the virtual network", and a VNet with custom DNS
// servers needs them to resolve what the app calls, or "specify an alternative server at the app
// level" ("Name resolution (DNS) in App Service", https://learn.microsoft.com/azure/app-service/overview-name-resolution,
// MicrosoftDocs/azure-docs articles/app-service/overview-name-resolution.md). Azure DNS answers names in a private DNS zone
// linked to the VNet from that zone only: a name the zone does not hold gets NXDOMAIN, so a linked
// zone equal to or above `zone` shadows the cluster's answers
// (https://learn.microsoft.com/azure/dns/private-dns-overview, https://learn.microsoft.com/azure/dns/private-dns-virtual-network-links).
import { isIpv4, parseIpv4Cidr } from '@private-wire/shared/net/ipv4';
import { ipInCidr } from './address-plan';
import type { Finding } from './findings';
import type { Route, World } from './world';

const KEEPS_IN_VNET = new Set(['vnetlocal', 'virtualnetwork']);

/** The route the subnet's route table picks for `ip` (longest prefix), if one covers it. */
export function routeFor(routes: readonly Route[], ip: string): Route | undefined {
  let best: { route: Route; length: number } | undefined;
  for (const route of routes) {
    const cidr = parseIpv4Cidr(route.addressPrefix);
    if (!cidr || !ipInCidr(ip, cidr)) continue;
    if (!best || cidr.prefixLength > best.length) best = { route, length: cidr.prefixLength };
  }
  return best?.route;
}

export function routeFindings(w: World): Finding[] {
  if (!w.routeTable || !w.dnsIp || !isIpv4(w.dnsIp)) return [];
  const route = routeFor(w.routeTable.routes, w.dnsIp);
  if (!route || KEEPS_IN_VNET.has(route.nextHopType.toLowerCase())) return [];
  const dropped = route.nextHopType.toLowerCase() === 'none';
  const hop = route.nextHopIpAddress ? `${route.nextHopType} ${route.nextHopIpAddress}` : route.nextHopType;
  return [
    {
      id: 'route-diverts-cluster-traffic',
      severity: dropped ? 'error' : 'warning',
      resource: `route table ${w.routeTable.name}`,
      message: `Route table '${w.routeTable.name}' on subnet '${w.subnetName}' sends traffic for ${w.dnsIp} (route '${route.name}', ${route.addressPrefix}) to ${hop}${dropped ? ', which drops it' : ', not straight into the VNet'}${w.webapp.routeAll ? ' (route-all is on: all of the app\'s traffic takes this table)' : ''}.`,
      fix: dropped
        ? `Remove route '${route.name}' or add a more specific route to the cluster's range with next hop VnetLocal.`
        : `Make sure ${hop} forwards to the cluster (and back), or add a more specific route with next hop VnetLocal.`,
    },
  ];
}

/** Azure's own resolver: the VNet uses it when it has no custom DNS servers. */
const AZURE_DNS = '168.63.129.16';

export function dnsFindings(w: World): Finding[] {
  const out: Finding[] = [];
  const servers = w.vnet.dnsServers;
  // Servers set at the app level (the site's dnsConfiguration, or the WEBSITE_DNS_SERVER app
  // setting) are what the app asks instead of the VNet's (same page, "Configuring DNS servers");
  // with them set the VNet's do not matter here.
  const siteOwn = siteDnsServers(w).length > 0;
  if (servers.length > 0 && !siteOwn && !(w.dnsIp && servers.includes(w.dnsIp))) {
    out.push({
      id: 'vnet-custom-dns',
      severity: 'warning',
      resource: `virtual network ${w.vnet.name}`,
      message: `Virtual network '${w.vnet.name}' uses custom DNS servers (${servers.join(', ')}), which an integrated app resolves with unless its own DNS settings are set${w.dnsIp ? `; ${w.dnsIp} is not among them` : ''}.`,
      fix: w.dnsIp ? `Point the web app at ${w.dnsIp} (set-webapp-dns), or make the VNet's DNS servers forward '${w.zone ?? 'the zone'}' to it.` : 'Make sure those servers resolve the cluster\'s zone.',
    });
  }
  if (!w.zone) return out;
  const zone = w.zone.toLowerCase().replace(/\.$/, '');
  for (const linked of w.linkedZones) {
    const name = linked.name.toLowerCase();
    if (zone !== name && !zone.endsWith(`.${name}`)) continue;
    out.push({
      id: 'private-zone-shadows-zone',
      severity: 'warning',
      resource: `private DNS zone ${linked.name}`,
      message: `Private DNS zone '${linked.name}' is linked to virtual network '${w.vnet.name}' and contains '${w.zone}': Azure DNS (${AZURE_DNS}) answers names under it from that zone only, so the cluster's names there get NXDOMAIN for an app that resolves through Azure DNS.`,
      fix: `Point the web app's DNS at the cluster's DNS IP (set-webapp-dns), use a zone outside '${linked.name}', or unlink the zone from '${w.vnet.name}'.`,
    });
  }
  return out;
}

/**
 * The app-level DNS servers: `dnsConfiguration.dnsServers`, else WEBSITE_DNS_SERVER. "The
 * individual app allows you to override the DNS configuration by specifying the `dnsServers`
 * property in the `dnsConfiguration` site property object ... You can still use the existing
 * `WEBSITE_DNS_SERVER` app setting, and you can add custom DNS servers with either setting"
 * (overview-name-resolution, "Configuring DNS servers"); SiteDnsConfig.dnsAltServer "replicates
 * the WEBSITE_DNS_ALT_SERVER app setting" (azure-rest-api-specs specification/web/resource-manager/
 * Microsoft.Web/stable/2025-05-01/CommonDefinitions.json SiteDnsConfig). Which one App Service
 * uses when both are set is not documented in either source: the property is taken first here,
 * as set-webapp-dns does, and a disagreement is a finding of its own.
 */
export function siteDnsServers(w: World): string[] {
  return w.webapp.dnsServers.length > 0 ? w.webapp.dnsServers : (w.webapp.appSettingDns?.servers ?? []);
}

const listed = (servers: readonly string[], alt?: string) => `${servers.join(', ') || '(none)'}${alt ? `; alt ${alt}` : ''}`;

/** The site property and the app settings agree, and the app-level servers include `dns-ip`. */
export function webAppDnsFindings(w: World): Finding[] {
  const out: Finding[] = [];
  const app = w.webapp;
  const resource = `web app ${app.label}`;
  const settings = app.appSettingDns;
  if (!settings) {
    out.push({ id: 'webapp-app-settings-not-read', severity: 'info', resource, message: `The app settings of web app '${app.label}' could not be listed, so WEBSITE_DNS_SERVER / WEBSITE_DNS_ALT_SERVER were not compared with its dnsConfiguration and the DNS IP.`, fix: 'Grant the identity Microsoft.Web/sites/config/list/action on the web app (e.g. Website Contributor) to have them checked.' });
  }
  const propertySet = app.dnsServers.length > 0 || !!app.dnsAltServer;
  const settingsSet = !!settings && (settings.servers.length > 0 || !!settings.alt);
  if (propertySet && settingsSet && (app.dnsServers.join(',') !== settings.servers.join(',') || (app.dnsAltServer ?? '') !== (settings.alt ?? ''))) {
    out.push({
      id: 'webapp-dns-settings-disagree',
      severity: 'warning',
      resource,
      message: `Web app '${app.label}' has DNS servers in its dnsConfiguration property (${listed(app.dnsServers, app.dnsAltServer)}) and different ones in its WEBSITE_DNS_SERVER / WEBSITE_DNS_ALT_SERVER app settings (${listed(settings.servers, settings.alt)}); App Service does not document which one it uses when both are set.`,
      fix: 'Keep one: clear the app settings (set-webapp-dns writes the property), or make both the same.',
    });
  }
  const servers = siteDnsServers(w);
  if (w.dnsIp && servers.length > 0 && !servers.includes(w.dnsIp)) {
    out.push({
      id: 'webapp-dns-not-dns-ip',
      severity: 'warning',
      resource,
      message: `Web app '${app.label}' resolves with its own DNS servers (${servers.join(', ')}, from ${app.dnsServers.length > 0 ? 'its dnsConfiguration property' : 'its WEBSITE_DNS_SERVER app setting'}), which do not include the DNS IP ${w.dnsIp}.`,
      fix: `Point the web app at ${w.dnsIp} (set-webapp-dns), or give the DNS IP it uses in 'dns-ip'.`,
    });
  }
  return out;
}
