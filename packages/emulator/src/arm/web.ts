import { randomUUID } from 'node:crypto';
import { json } from '../http';
import { ArmError, badRequest } from './errors';
import { deepMerge } from './merge';
import { parseCidr } from './cidr';
import { SUBNET, subnetPrefixes } from './network';
import { privateEndpointConnections } from './private-link';
import { defaultResource } from './service';
import type { ArmResource } from './store';
import type { ArmEnv, ArmRequest, TypeHandler } from './types';

type Props = Record<string, unknown>;
const props = (r: ArmResource | undefined): Props => (r?.properties ?? {}) as Props;
const arr = <T = Props>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
const region = (s: unknown) => String(s ?? '').replace(/\s+/g, '').toLowerCase();

export const PLAN = 'Microsoft.Web/serverfarms';
export const SITE = 'Microsoft.Web/sites';
export const SLOT = 'Microsoft.Web/sites/slots';
const WEB_DELEGATION = 'microsoft.web/serverfarms';
/** Plan tiers without regional VNet integration (Free, Shared; Consumption "Dynamic"). */
const NO_VNET_TIERS = ['free', 'shared', 'dynamic'];

/** siteConfig defaults App Service fills in on create (the seeder uses them too, so seeded sites look created). */
export const DEFAULT_SITE_CONFIG: Props = {
  numberOfWorkers: 1,
  netFrameworkVersion: 'v4.0',
  linuxFxVersion: '',
  alwaysOn: false,
  http20Enabled: false,
  minTlsVersion: '1.2',
  ftpsState: 'FtpsOnly',
  vnetRouteAllEnabled: false,
  vnetPrivatePortsCount: 0,
  publicNetworkAccess: null,
  ipSecurityRestrictions: [{ ipAddress: 'Any', action: 'Allow', priority: 2147483647, name: 'Allow all', description: 'Allow all access' }],
  scmIpSecurityRestrictions: [{ ipAddress: 'Any', action: 'Allow', priority: 2147483647, name: 'Allow all', description: 'Allow all access' }],
};

export const serverfarms: TypeHandler = {
  type: PLAN,
  patchMerges: true,
  put(_env, r, existing) {
    const resource = defaultResource(r, existing);
    if (!resource.location) throw badRequest('LocationRequired', 'The location property is required for this definition.');
    const sku = (r.body?.sku ?? existing?.sku) as Props | undefined;
    if (!sku?.name) throw badRequest('BadRequest', "The parameter 'sku' is required.");
    resource.sku = { tier: tierOf(String(sku.name)), size: sku.name, family: String(sku.name).replace(/\d.*$/, ''), capacity: 1, ...sku };
    resource.properties = { status: 'Ready', reserved: false, maximumNumberOfWorkers: 10, numberOfSites: 0, ...props(existing), ...resource.properties };
    return { resource };
  },
};

function tierOf(name: string): string {
  const n = name.toUpperCase();
  if (n.startsWith('F')) return 'Free';
  if (n.startsWith('D')) return 'Shared';
  if (n.startsWith('B')) return 'Basic';
  if (n.startsWith('S')) return 'Standard';
  if (n.startsWith('Y')) return 'Dynamic';
  if (n.startsWith('EP')) return 'ElasticPremium';
  if (n.startsWith('I')) return 'Isolated';
  if (/^P\d+V3/.test(n)) return 'PremiumV3';
  if (/^P\d+V2/.test(n)) return 'PremiumV2';
  return 'Premium';
}

/** The site (for a slot: its own resource; the plan comes from the parent site if unset). */
function planOf(env: ArmEnv, site: ArmResource): ArmResource | undefined {
  const id = props(site).serverFarmId;
  return typeof id === 'string' ? env.store.get(id) : undefined;
}

/**
 * The app and SCM (Kudu) host names a site answers to: `enabledHostNames` and `hostNameSslStates`
 * with `hostType` Standard or Repository (azure-rest-api-specs Microsoft.Web CommonDefinitions.json
 * HostNameSslState; @azure/arm-appservice `HostType = "Standard" | "Repository"`).
 */
export function siteHostNames(host: string): { enabledHostNames: string[]; hostNameSslStates: Record<string, unknown>[] } {
  const app = `${host}.azurewebsites.net`;
  const scm = `${host}.scm.azurewebsites.net`;
  return {
    enabledHostNames: [app, scm],
    hostNameSslStates: [
      { name: app, sslState: 'Disabled', ipBasedSslState: 'NotConfigured', hostType: 'Standard' },
      { name: scm, sslState: 'Disabled', ipBasedSslState: 'NotConfigured', hostType: 'Repository' },
    ],
  };
}

/**
 * App Service's checks for regional ("swift") VNet integration. Messages follow the public
 * ones where documented (missing delegation; plan VNet limit); the rest are close paraphrases.
 */
export function checkVnetIntegration(env: ArmEnv, site: ArmResource, subnetId: string): void {
  const subnet = env.store.get(subnetId);
  const [, , , , , , , , vnetName, , subnetName] = subnetId.split('/');
  if (!subnet || subnet.type.toLowerCase() !== SUBNET.toLowerCase()) {
    throw badRequest('BadRequest', `Cannot find Subnet with name ${subnetName ?? subnetId} in VNET ${vnetName ?? ''}. The parameter SubnetResourceUri has an invalid value.`);
  }
  const vnet = env.store.get(subnetId.split('/').slice(0, 9).join('/'))!;
  const plan = planOf(env, site);
  const tier = String((plan?.sku as Props | undefined)?.tier ?? '');
  if (plan && NO_VNET_TIERS.includes(tier.toLowerCase())) {
    throw new ArmError(409, 'Conflict', `VNet integration is not supported for App Service plans in the ${tier} tier. Scale the App Service plan '${plan.name}' to Basic or higher.`);
  }
  if (region(vnet.location) !== region(site.location)) {
    throw badRequest('BadRequest', `Regional VNet integration requires the virtual network to be in the same region as the app. Virtual network '${vnet.name}' is in '${vnet.location}', app '${site.name}' is in '${site.location}'.`);
  }
  const services = arr(props(subnet).delegations).map((d) => String((d.properties as Props | undefined)?.serviceName ?? ''));
  const other = services.find((s) => s.toLowerCase() !== WEB_DELEGATION);
  if (other) {
    throw badRequest('BadRequest', `Subnet ${subnet.name} in VNET ${vnet.name} is delegated to ${other} and cannot be used for App Service VNet integration, which requires a delegation to Microsoft.Web/serverFarms.`);
  }
  if (!services.some((s) => s.toLowerCase() === WEB_DELEGATION)) {
    throw badRequest('BadRequest', `Subnet ${subnet.name} in VNET ${vnet.name} is missing a delegation to Microsoft.Web/serverFarms. Please add the delegation and try again.`);
  }
  checkSubnetSize(subnet, vnet.name);
  const planId = String(props(site).serverFarmId ?? '');
  checkSharedSubnet(env, subnet, vnet.name, planId);
  checkPlanSubnets(env, site, planId, subnetId);
}

/*
 * App Service's subnet rules, as documented today (MicrosoftDocs/azure-docs
 * articles/app-service/overview-vnet-integration.md, 2026-02-25, "Subnet requirements" and
 * "Limitations"): an IPv4 /28 or larger; several plans may share a subnet ("multi plan subnet
 * join") when it is /26 or larger and the plans are in one subscription; at most two
 * integrations (subnets) per plan. The refusal texts for size and sharing are not documented
 * (paraphrased here); the plan limit's text is App Service's own as users quote it
 * ("Adding this VNET would exceed the App Service Plan VNET limit of 1", MicrosoftDocs/azure-docs
 * issues 32922, 59669, 63177), with the limit the current page gives.
 */
const MIN_PREFIX_LENGTH = 28;
const SHARED_PREFIX_LENGTH = 26;
const PLAN_SUBNET_LIMIT = 2;

/** The subnet's largest IPv4 prefix length (the smallest number), or undefined without one. */
function largestPrefixLength(subnet: ArmResource): number | undefined {
  const lengths = subnetPrefixes(props(subnet)).map(parseCidr).filter((c) => !!c).map((c) => c.bits);
  return lengths.length ? Math.min(...lengths) : undefined;
}

function checkSubnetSize(subnet: ArmResource, vnetName: string): void {
  const bits = largestPrefixLength(subnet);
  if (bits === undefined || bits > MIN_PREFIX_LENGTH) {
    throw badRequest('BadRequest', `Subnet ${subnet.name} in VNET ${vnetName} is too small for App Service VNet integration, which requires an IPv4 /${MIN_PREFIX_LENGTH} block or larger.`);
  }
}

/** Other plans using the subnet: through its service association links, or their apps' integration. */
function checkSharedSubnet(env: ArmEnv, subnet: ArmResource, vnetName: string, planId: string): void {
  const others = new Set<string>();
  for (const l of arr(props(subnet).serviceAssociationLinks)) others.add(String((l.properties as Props | undefined)?.link ?? ''));
  for (const app of webApps(env)) {
    if (String(props(app).virtualNetworkSubnetId ?? '').toLowerCase() === subnet.id.toLowerCase()) others.add(String(props(app).serverFarmId ?? ''));
  }
  const subscription = (id: string) => id.split('/')[2]?.toLowerCase();
  for (const other of others) {
    if (!other || other.toLowerCase() === planId.toLowerCase()) continue;
    if (subscription(other) !== subscription(planId)) {
      throw new ArmError(409, 'Conflict', `Subnet ${subnet.name} in VNET ${vnetName} is in use by App Service plan ${other} in another subscription. App Service plans can share a subnet only when they are in the same subscription.`);
    }
    if ((largestPrefixLength(subnet) ?? 32) > SHARED_PREFIX_LENGTH) {
      throw new ArmError(409, 'Conflict', `Subnet ${subnet.name} in VNET ${vnetName} is in use by App Service plan ${other}. Several App Service plans can share a subnet only when it is /${SHARED_PREFIX_LENGTH} or larger.`);
    }
  }
}

/** The subnets the plan's other apps are integrated with, plus this one, within the plan's limit. */
function checkPlanSubnets(env: ArmEnv, site: ArmResource, planId: string, subnetId: string): void {
  const planSubnets = new Set(
    webApps(env)
      .filter((s) => s.id.toLowerCase() !== site.id.toLowerCase() && String(props(s).serverFarmId ?? '').toLowerCase() === planId.toLowerCase())
      .map((s) => String(props(s).virtualNetworkSubnetId ?? '').toLowerCase())
      .filter((x) => x && x !== 'null'),
  );
  planSubnets.add(subnetId.toLowerCase());
  if (planSubnets.size > PLAN_SUBNET_LIMIT) throw new ArmError(409, 'Conflict', `Adding this VNET would exceed the App Service Plan VNET limit of ${PLAN_SUBNET_LIMIT}`);
}

const webApps = (env: ArmEnv) => [...env.store.ofType(SITE), ...env.store.ofType(SLOT)];

/**
 * Keeps the subnet's App Service serviceAssociationLink in step with the apps that use it: one link,
 * to a plan that still has an app there. How the links look when several plans share a subnet is
 * not documented; the stand-in keeps one.
 */
function syncServiceAssociationLink(env: ArmEnv, subnetId: string): void {
  const subnet = env.store.get(subnetId);
  if (!subnet) return;
  const plans = webApps(env)
    .filter((s) => String(props(s).virtualNetworkSubnetId ?? '').toLowerCase() === subnetId.toLowerCase())
    .map((s) => String(props(s).serverFarmId));
  const p = props(subnet);
  const links = arr(p.serviceAssociationLinks);
  const others = links.filter((l) => String(l.name) !== 'AppServiceLink');
  const current = links.find((l) => String(l.name) === 'AppServiceLink');
  const linked = String((current?.properties as Props | undefined)?.link ?? '').toLowerCase();
  if (plans.length > 0 && plans.some((plan) => plan.toLowerCase() === linked)) return;
  if (plans.length === 0 && !current) return;
  const link = {
    name: 'AppServiceLink',
    id: `${subnet.id}/serviceAssociationLinks/AppServiceLink`,
    type: 'Microsoft.Network/virtualNetworks/subnets/serviceAssociationLinks',
    properties: { provisioningState: 'Succeeded', linkedResourceType: 'Microsoft.Web/serverfarms', link: plans[0], allowDelete: false, locations: [] },
  };
  env.store.put({ ...subnet, properties: { ...p, serviceAssociationLinks: plans.length > 0 ? [...others, link] : others } });
}

/**
 * Which routing fields a Microsoft.Web api-version defines on the site (azure-rest-api-specs
 * specification/web/resource-manager/Microsoft.Web/stable/<version>/CommonDefinitions.json `Site`):
 * site-level `vnetRouteAllEnabled` from 2022-03-01 (absent in 2021-03-01) to 2024-04-01;
 * `outboundVnetRouting` from 2024-11-01, which drops the site-level `vnetRouteAllEnabled`
 * (also 2025-05-01, AppService/stable/2025-05-01). SiteConfig (`config/web`, `siteConfig`) has
 * `vnetRouteAllEnabled` in all of them. api-versions compare by date; a `-preview` sorts with it.
 */
export function siteRoutingFields(apiVersion: string): { vnetRouteAllEnabled: boolean; outboundVnetRouting: boolean } {
  const date = apiVersion.slice(0, 10);
  return { vnetRouteAllEnabled: date >= '2022-03-01' && date < '2024-11-01', outboundVnetRouting: date >= '2024-11-01' };
}

/**
 * The site properties a write sent, without the routing fields its api-version does not define.
 * How App Service treats such a field is not documented (no public source found): the stand-in
 * ignores it, as a deserializer of that version's model would, so a step that wrote the wrong
 * field for its version sees the setting unchanged.
 */
function definedForVersion(sent: Props, apiVersion: string): Props {
  const fields = siteRoutingFields(apiVersion);
  const out = { ...sent };
  if (!fields.vnetRouteAllEnabled) delete out.vnetRouteAllEnabled;
  if (!fields.outboundVnetRouting) delete out.outboundVnetRouting;
  return out;
}

/** A stored site or slot as an api-version shows it: only the routing fields that version defines. */
function siteView(site: ArmResource, apiVersion: string): ArmResource {
  const fields = siteRoutingFields(apiVersion);
  const p = { ...props(site) };
  if (!fields.vnetRouteAllEnabled) delete p.vnetRouteAllEnabled;
  if (!fields.outboundVnetRouting) delete p.outboundVnetRouting;
  return { ...site, properties: p };
}

const OUTBOUND_DEFAULTS: Props = { allTraffic: false, applicationTraffic: false, contentShareTraffic: false, imagePullTraffic: false, backupRestoreTraffic: false };
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);

/**
 * One setting under three names, kept equal in the store whatever version wrote it:
 * `outboundVnetRouting.applicationTraffic` ("Previously called VnetRouteAllEnabled", 2024-11-01
 * `OutboundVnetRouting`), the site-level `vnetRouteAllEnabled` of 2022-03-01..2024-04-01, and
 * `siteConfig.vnetRouteAllEnabled`. `sent` holds only fields the write's version defines. The
 * other outboundVnetRouting flags (allTraffic, ...) are kept as written; how App Service shows
 * allTraffic through the older site-level field is not documented, so it does not.
 */
function reconcileRouting(p: Props, old: Props, sent: Props): void {
  const sentOutbound = (sent.outboundVnetRouting ?? {}) as Props;
  const outbound: Props = { ...OUTBOUND_DEFAULTS, ...(old.outboundVnetRouting as Props | undefined), ...sentOutbound };
  const routeAll =
    bool(sentOutbound.applicationTraffic) ?? bool(sent.vnetRouteAllEnabled) ?? bool((sent.siteConfig as Props | undefined)?.vnetRouteAllEnabled) ?? outbound.applicationTraffic === true;
  p.outboundVnetRouting = { ...outbound, applicationTraffic: routeAll };
  p.vnetRouteAllEnabled = routeAll;
  p.siteConfig = { ...((p.siteConfig ?? {}) as Props), vnetRouteAllEnabled: routeAll };
}

/** Applies a write to a site/slot (`sent`: the properties written, as their version defines them) and its side effects. */
function writeSite(env: ArmEnv, site: ArmResource, sent: Props, existing: ArmResource | undefined): { resource: ArmResource; after: () => void } {
  const p = props(site);
  const before = String(props(existing).virtualNetworkSubnetId ?? '') || null;
  const after = (typeof p.virtualNetworkSubnetId === 'string' && p.virtualNetworkSubnetId) || null;
  if (after && after.toLowerCase() !== (before ?? '').toLowerCase()) checkVnetIntegration(env, site, after);
  p.virtualNetworkSubnetId = after;
  reconcileRouting(p, props(existing), sent);
  return {
    resource: site,
    after: () => {
      if (before) syncServiceAssociationLink(env, before);
      if (after) syncServiceAssociationLink(env, after);
    },
  };
}

function siteHandler(type: string): TypeHandler {
  return {
    type,
    patchMerges: true,
    put(env, r, existing) {
      const resource = defaultResource(r, existing);
      const parent = type === SLOT ? env.store.get(r.parentId) : undefined;
      resource.location ??= parent?.location;
      if (!resource.location) throw badRequest('LocationRequired', 'The location property is required for this definition.');
      // PATCH merges what was sent into the stored site (JSON merge); PUT replaces what it sends.
      const sent = definedForVersion(((r.sent ?? r.body)?.properties ?? {}) as Props, r.apiVersion);
      const old = props(existing);
      const p: Props = r.method === 'PATCH' ? deepMerge(old, sent) : { ...old, ...sent };
      p.serverFarmId ??= props(parent).serverFarmId;
      const plan = typeof p.serverFarmId === 'string' ? env.store.get(p.serverFarmId) : undefined;
      if (!plan) throw new ArmError(404, 'NotFound', `Cannot find ServerFarm with name ${String(p.serverFarmId ?? '').split('/').pop() ?? ''}.`);
      p.serverFarmId = plan.id;
      const host = type === SLOT ? `${r.parentId.split('/').pop()}-${r.name}` : r.name;
      p.state ??= 'Running';
      p.enabled ??= true;
      p.defaultHostName = `${host}.azurewebsites.net`;
      p.hostNames = [`${host}.azurewebsites.net`];
      Object.assign(p, siteHostNames(host));
      p.reserved = props(plan).reserved ?? false;
      // App Service treats absent siteConfig fields as "unchanged", for PUT as for PATCH.
      p.siteConfig = { ...DEFAULT_SITE_CONFIG, ...(old.siteConfig as Props | undefined), ...(p.siteConfig as Props | undefined) };
      p.dnsConfiguration = (p.dnsConfiguration ?? {}) as Props;
      resource.properties = p;
      const identity = (r.body?.identity ?? existing?.identity) as Props | undefined;
      if (identity && String(identity.type ?? '').includes('SystemAssigned')) {
        const oldId = (existing?.identity ?? {}) as Props;
        resource.identity = { ...identity, principalId: oldId.principalId ?? randomUUID(), tenantId: oldId.tenantId ?? r.caller.tenantId };
      }
      return writeSite(env, resource, sent, existing);
    },
    view: (_env, site, apiVersion) => siteView(site, apiVersion),
    delete(env, r, existing) {
      const subnet = props(existing).virtualNetworkSubnetId;
      const prefix = existing.id.toLowerCase() + '/';
      for (const c of env.store.all()) if (c.id.toLowerCase().startsWith(prefix)) env.store.delete(c.id);
      env.store.delete(existing.id);
      if (typeof subnet === 'string' && subnet) syncServiceAssociationLink(env, subnet);
      void r;
    },
  };
}

export const sites = siteHandler(SITE);
export const slots = siteHandler(SLOT);

/** The site or slot a `config`/`networkConfig` request hangs below. */
const owner = (env: ArmEnv, r: ArmRequest) => env.store.get(r.parentId);

const configResource = (site: ArmResource, name: string, type: string, properties: unknown): ArmResource => ({
  id: `${site.id}/${type.split('/').pop()}/${name}`,
  name,
  type,
  location: site.location,
  properties: properties as Props,
});

function configHandler(siteType: string): TypeHandler {
  const type = `${siteType}/config`;
  const stored = (env: ArmEnv, site: ArmResource, name: string) => env.store.get(`${site.id}/config/${name}`);
  return {
    type,
    patchMerges: true,
    noProvisioningState: true,
    get(env, r) {
      const site = owner(env, r);
      if (!site) return undefined;
      switch (r.name.toLowerCase()) {
        case 'appsettings':
          // App settings are secrets: ARM only returns them through POST .../config/appsettings/list.
          if (r.method === 'GET') throw new ArmError(405, 'MethodNotAllowed', "The requested resource does not support http method 'GET'. Use POST .../config/appsettings/list.");
          return stored(env, site, 'appsettings') ?? configResource(site, 'appsettings', type, {});
        case 'slotconfignames':
          if (siteType === SLOT) return undefined;
          return stored(env, site, 'slotConfigNames') ?? configResource(site, 'slotConfigNames', type, { connectionStringNames: null, appSettingNames: null, azureStorageConfigNames: null });
        case 'web':
          return configResource(site, 'web', type, props(site).siteConfig ?? DEFAULT_SITE_CONFIG);
        default:
          return stored(env, site, r.name);
      }
    },
    put(env, r, existing) {
      const site = owner(env, r)!;
      const p = (r.body?.properties ?? {}) as Props;
      switch (r.name.toLowerCase()) {
        case 'appsettings': {
          // Values are strings; App Service documents no check of their content (WEBSITE_DNS_SERVER
          // included: several servers, comma-separated without blanks, are simply taken), so none here.
          for (const [k, v] of Object.entries(p)) {
            if (typeof v !== 'string') throw badRequest('BadRequest', `The parameter properties has an invalid value: app setting '${k}' must be a string.`);
          }
          return { resource: configResource(site, 'appsettings', type, p) };
        }
        case 'slotconfignames': {
          if (siteType === SLOT) throw badRequest('BadRequest', 'Slot configuration names can only be set on the production site.');
          return { resource: configResource(site, 'slotConfigNames', type, { connectionStringNames: p.connectionStringNames ?? null, appSettingNames: p.appSettingNames ?? null, azureStorageConfigNames: p.azureStorageConfigNames ?? null }) };
        }
        case 'web': {
          const sp = props(site);
          // App Service treats absent siteConfig fields as "unchanged", for PUT as for PATCH.
          const siteConfig = deepMerge((sp.siteConfig ?? {}) as Props, p);
          const { resource, after } = writeSite(env, { ...site, properties: { ...sp, siteConfig } }, { siteConfig: p }, site);
          const saved = env.store.put(resource);
          after();
          return { resource: configResource(saved, 'web', type, props(saved).siteConfig), stored: true, status: 200 };
        }
        default:
          return { resource: configResource(site, r.name, type, p), status: existing ? 200 : 200 };
      }
    },
    actions: {
      list(env, r) {
        const site = owner(env, r)!;
        const name = r.name.toLowerCase();
        if (name !== 'appsettings' && name !== 'connectionstrings' && name !== 'authsettings') {
          throw new ArmError(404, 'NotFound', `The action 'list' is not supported on config '${r.name}'.`);
        }
        const found = stored(env, site, name === 'appsettings' ? 'appsettings' : r.name);
        return json(200, found ?? configResource(site, r.name, type, {}));
      },
    },
  };
}

export const siteConfig = configHandler(SITE);
export const slotConfig = configHandler(SLOT);

/** `networkConfig/virtualNetwork`: the swift connection, a view over `virtualNetworkSubnetId`. */
function swiftHandler(siteType: string): TypeHandler {
  const type = `${siteType}/networkConfig`;
  const view = (site: ArmResource) => ({
    id: `${site.id}/networkConfig/virtualNetwork`,
    name: 'virtualNetwork',
    type,
    location: site.location,
    properties: { subnetResourceId: props(site).virtualNetworkSubnetId, swiftSupported: true },
  });
  return {
    type,
    get(env, r) {
      const site = owner(env, r);
      if (!site || r.name.toLowerCase() !== 'virtualnetwork' || !props(site).virtualNetworkSubnetId) return undefined;
      return view(site);
    },
    put(env, r) {
      if (r.name.toLowerCase() !== 'virtualnetwork') throw new ArmError(404, 'NotFound', `Network config '${r.name}' not found.`);
      const site = owner(env, r)!;
      const subnetId = String(((r.body?.properties ?? {}) as Props).subnetResourceId ?? '');
      if (!subnetId) throw badRequest('BadRequest', 'The parameter SubnetResourceUri has an invalid value.');
      const { resource, after } = writeSite(env, { ...site, properties: { ...props(site), virtualNetworkSubnetId: subnetId } }, {}, site);
      const saved = env.store.put(resource);
      after();
      return { resource: view(saved), stored: true, status: 200 };
    },
    delete(env, r, existing) {
      void existing;
      const site = owner(env, r)!;
      const { resource, after } = writeSite(env, { ...site, properties: { ...props(site), virtualNetworkSubnetId: null } }, {}, site);
      env.store.put(resource);
      after();
    },
  };
}

export const siteSwift = swiftHandler(SITE);
export const slotSwift = swiftHandler(SLOT);

/**
 * `virtualNetworkConnections`: the list answers a bare JSON array (as the Web API does), with
 * gateway-required connections (seeded) and the regional one flagged `isSwift`.
 */
function vnetConnectionsHandler(siteType: string): TypeHandler {
  const type = `${siteType}/virtualNetworkConnections`;
  return {
    type,
    rawList: true,
    disallow: ['PUT', 'PATCH'],
    list(env, parentId) {
      const site = env.store.get(parentId);
      const gateway = env.store.children(parentId, type);
      const subnetId = props(site).virtualNetworkSubnetId;
      if (!site || typeof subnetId !== 'string' || !subnetId) return gateway;
      const vnetId = subnetId.split('/').slice(0, 9).join('/');
      const name = `${randomUUIDFor(subnetId)}_${subnetId.split('/').pop()}`;
      return [
        ...gateway,
        { id: `${site.id}/virtualNetworkConnections/${name}`, name, type, location: site.location, properties: { vnetResourceId: subnetId, certThumbprint: null, certBlob: null, routes: null, resyncRequired: false, dnsServers: null, isSwift: true, vnetId } },
      ];
    },
  };
}

/** A stable pseudo-guid per subnet, like the name App Service gives its swift connection. */
function randomUUIDFor(s: string): string {
  let h = 0;
  for (const ch of s.toLowerCase()) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  const hex = (h.toString(16) + '00000000').slice(0, 8);
  return `${hex}-0000-4000-8000-${hex}0000`;
}

export const siteVnetConnections = vnetConnectionsHandler(SITE);
export const slotVnetConnections = vnetConnectionsHandler(SLOT);

export const sitePrivateEndpointConnections = privateEndpointConnections(SITE);

export const webHandlers: TypeHandler[] = [
  serverfarms,
  sites,
  slots,
  siteConfig,
  slotConfig,
  siteSwift,
  slotSwift,
  siteVnetConnections,
  slotVnetConnections,
  sitePrivateEndpointConnections,
];
