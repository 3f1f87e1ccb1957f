import type { WebSiteManagementClient } from '@azure/arm-appservice';
import { NetworkManagementClient, type Subnet, type VirtualNetwork } from '@azure/arm-network';
import { UserError } from '@private-wire/shared/errors';
import { defineStep, type StepContext } from '@private-wire/shared/engine/step';
import type { Change } from '@private-wire/shared/engine/plan';
import { armClientOptions } from '@private-wire/shared/azure/clients';
import { signInToAzure, type AzureSession } from '@private-wire/shared/azure/credential';
import { isNotFound, translateArmError } from '@private-wire/shared/azure/errors';
import { formatResourceId, type ResourceId } from '@private-wire/shared/azure/resource-id';
import { RawArm } from '@private-wire/shared/azure/raw-arm';
import { webClient, type WebAppTarget } from '@private-wire/shared/azure/web-apps';
import { vnetIntegrateWebappMetadata } from './metadata';
import { vnetSettings, type Names, type VnetSettings } from './settings';
import {
  checkPlanTier,
  legacyConnections,
  readSite,
  routeAllAppSetting,
  routeAllSettingWarning,
  routingDecision,
  writeIntegration,
  type SiteState,
} from './site-integration';
import { addDelegation, createSubnet, type SubnetWriteContext } from './subnet-writes';
import {
  MAX_SUBNETS_PER_PLAN,
  MIN_PREFIX_LENGTH,
  SHARED_PREFIX_LENGTH,
  WEB_DELEGATION,
  WARN_PREFIX_LENGTH,
  checkExistingSubnet,
  checkNewSubnet,
  sizeWarning,
} from './subnet-rules';

const short = (subnetId: string | undefined): string => {
  if (!subnetId) return '(none)';
  const parts = subnetId.split('/');
  return `${parts[8] ?? '?'}/${parts[10] ?? '?'}`;
};

/** What the plan reads before deciding anything: the app, its plan and the VNet. */
interface World {
  session: AzureSession;
  target: WebAppTarget;
  vnetId: ResourceId;
  raw: RawArm;
  web: WebSiteManagementClient;
  network: NetworkManagementClient;
  site: SiteState;
  vnet: VirtualNetwork;
}

export const step = defineStep({
  metadata: vnetIntegrateWebappMetadata,
  settings: (inputs, ctx) => vnetSettings(inputs, ctx.host),

  async plan(s, ctx) {
    // Every check below reads only; the first write happens in an apply.
    const world = await readWorld(s, ctx);
    const { vnet, vnetId, site, target } = world;
    const existing = (vnet.subnets ?? []).find((x) => x.name?.toLowerCase() === s.subnet.toLowerCase());
    const subnetName = existing?.name ?? s.subnet;
    const subnetId = existing?.id ?? `${formatResourceId(vnetId)}/subnets/${subnetName}`;
    if (site.subnetId && site.subnetId.toLowerCase() !== subnetId.toLowerCase()) {
      throw new UserError(
        `Input '${s.names.webapp}' is '${target.label}', which is already integrated with subnet ${short(site.subnetId)} (${site.subnetId}), not ${vnet.name}/${subnetName}.`,
        `An app has one regional VNet integration: set '${s.names.vnet}' and '${s.names.subnet}' to that subnet, or remove the integration first (az webapp vnet-integration remove -g ${target.resourceGroup} -n ${target.name}${target.slot ? ` --slot ${target.slot}` : ''}).`,
      );
    }
    const subnetChange = planSubnet(s, ctx, world, existing, subnetName);
    const siteChanges = planSite(s, world, subnetId);
    await warnAboutLegacyIntegrations(world, ctx);
    if (s.routeAll === false) await warnAboutRouteAllSetting(s, world, ctx);
    return { changes: [subnetChange, ...siteChanges], outputs: { 'subnet-id': subnetId } };
  },
});

/** Signs in and reads the app, its plan tier and the VNet, refusing what cannot be integrated. */
async function readWorld(s: VnetSettings, ctx: StepContext): Promise<World> {
  const session = await signInToAzure(ctx.host, s.azure, ctx.deadline);
  const identity = session.method;
  const target = s.target(session.subscriptionId);
  const vnetId = s.vnet(session.subscriptionId, target.resourceGroup);
  const raw = new RawArm(session);
  const web = webClient(session);
  const network = new NetworkManagementClient(session.credential, vnetId.subscriptionId, armClientOptions(session));
  const site = await readSite(raw, target, s.names, identity);
  await checkPlanTier(raw, site, target, s.names.webapp, identity);
  const vnet = await readVnet(network, vnetId, s.names, identity);
  if (region(vnet.location) !== region(site.location)) {
    throw new UserError(
      `Input '${s.names.vnet}' is '${vnet.name}', which is in ${vnet.location}, but web app '${target.label}' is in ${site.location}.`,
      'Regional VNet integration needs a virtual network in the same region as the app: give a VNet in that region.',
    );
  }
  return { session, target, vnetId, raw, web, network, site, vnet };
}

/** The subnet's line of the plan: as it is, delegated, or created (checked first, written in apply). */
function planSubnet(s: VnetSettings, ctx: StepContext, world: World, existing: Subnet | undefined, subnetName: string): Change {
  const { vnet, vnetId, site, network, session } = world;
  const resource = `subnet ${vnet.name}/${subnetName}`;
  const writes: SubnetWriteContext = {
    network,
    vnet: vnetId,
    name: subnetName,
    planId: site.planId,
    prefix: s.prefix,
    names: s.names,
    identity: session.method,
    hints: subnetErrorHints(s.names),
    abortSignal: ctx.deadline.signal,
    warn: ctx.warn,
  };
  if (existing) {
    return checkExistingSubnet(existing, vnet.name ?? '', site.planId, s.prefix, s.names, ctx.warn) === 'delegation'
      ? { resource, action: 'update', detail: `delegate the empty subnet to ${WEB_DELEGATION}`, before: 'no delegation', after: WEB_DELEGATION, apply: () => addDelegation(writes) }
      : { resource, action: 'none', detail: `delegated to ${WEB_DELEGATION}`, before: WEB_DELEGATION };
  }
  if (!s.prefix) {
    throw new UserError(
      `Input '${s.names.subnet}' is '${s.subnet}', but virtual network '${vnet.name}' has no subnet of that name.`,
      `Give '${s.names.subnetPrefix}' (e.g. a free /26 inside ${(vnet.addressSpace?.addressPrefixes ?? []).join(', ')}) to create it, or name an existing subnet.`,
    );
  }
  checkNewSubnet(vnet, subnetName, s.prefix, s.names);
  if (s.prefix.prefixLength > WARN_PREFIX_LENGTH) ctx.warn(sizeWarning(subnetName, s.prefix.canonical));
  const prefix = s.prefix.canonical;
  return { resource, action: 'create', detail: `create the subnet, delegated to ${WEB_DELEGATION}`, after: `${prefix}, delegated to ${WEB_DELEGATION}`, apply: () => createSubnet(writes, prefix) };
}

async function warnAboutLegacyIntegrations({ session, target, web }: World, ctx: StepContext): Promise<void> {
  for (const legacy of await legacyConnections(web, target, session.method)) {
    ctx.warn(
      `Web app '${target.label}' also has a gateway-required (legacy) VNet integration '${legacy.name}' with ${legacy.vnet || 'a virtual network'}. ` +
        'It is separate from regional integration and keeps sending that VNet\'s traffic through the VNet gateway; once the regional integration works, disconnect it (portal: Networking → VNet integration → Disconnect, or az webapp vnet-integration remove) to avoid ambiguous routes.',
    );
  }
}

/** `route-all: false` asked for: an app setting that may keep all traffic routed is pointed out. */
async function warnAboutRouteAllSetting(s: VnetSettings, { web, target }: World, ctx: StepContext): Promise<void> {
  const value = await routeAllAppSetting(web, target, ctx.warn);
  if (value) ctx.warn(routeAllSettingWarning(target, value, s.names.routeAll));
}

/** The site's lines of the plan: the integration subnet, and route-all when it is given. */
function planSite(s: VnetSettings, { raw, target, site, session }: World, subnetId: string): Change[] {
  const resource = `web app ${target.label}`;
  const context = { identity: session.method, hints: siteErrorHints(s.names) };
  const write = (change: { subnetId?: string; routeAll?: boolean }) => () => writeIntegration(raw, target, change, context);
  const changes: Change[] = [
    site.subnetId
      ? { resource, action: 'none', detail: 'integrated with the subnet', before: short(site.subnetId) }
      : { resource, action: 'update', detail: 'set the regional VNet integration subnet', before: '(none)', after: short(subnetId), apply: write({ subnetId }) },
  ];
  const routing = routingDecision(s.routeAll, site, target, s.names.routeAll);
  if (routing === 'none') changes.push({ resource, action: 'none', detail: 'route all outbound traffic through the VNet', before: String(site.routeAll) });
  if (routing === 'update') {
    changes.push({
      resource,
      action: 'update',
      detail: 'route all outbound traffic through the VNet (siteConfig.vnetRouteAllEnabled)',
      before: String(site.routeAll),
      after: String(s.routeAll),
      apply: write({ routeAll: s.routeAll }),
    });
  }
  return changes;
}

const region = (s: string | undefined) => (s ?? '').replace(/\s+/g, '').toLowerCase();

async function readVnet(network: NetworkManagementClient, id: ResourceId, names: Names, identity: string): Promise<VirtualNetwork> {
  try {
    return await network.virtualNetworks.get(id.resourceGroup, id.names[0]!);
  } catch (error) {
    if (isNotFound(error)) {
      throw new UserError(
        `Input '${names.vnet}' is '${id.names[0]}', but no virtual network of that name exists in resource group '${id.resourceGroup}'.`,
        `Check '${names.vnet}' and '${names.vnetResourceGroup}' (default: the web app's resource group), or give the VNet's resource ID.`,
      );
    }
    throw translateArmError(error, { what: `reading virtual network ${id.names[0]}`, identity });
  }
}

function subnetErrorHints(names: Names): Record<string, string> {
  const prefix = `Change '${names.subnetPrefix}' to a free range inside the VNet's address space.`;
  const inUse = `The subnet is in use: set '${names.subnet}' to an empty subnet, or a new name with '${names.subnetPrefix}'.`;
  return {
    NetcfgSubnetRangeOutsideVnet: prefix,
    NetcfgSubnetRangesOverlap: prefix,
    InvalidCIDRNotation: prefix,
    InUseSubnetCannotBeUpdated: inUse,
    SubnetDelegationsCannotChangeWhenSubnetUsedByResource: inUse,
    AnotherOperationInProgress: 'Another operation on the virtual network is running: re-run when it has finished.',
  };
}

/** Hints for App Service refusing the integration; the limits are the ones in subnet-rules.ts. */
function siteErrorHints(names: Names): Record<string, string> {
  return {
    Conflict: `An App Service plan can be integrated with at most ${MAX_SUBNETS_PER_PLAN} subnets and needs Basic or higher: if other apps on the plan already use ${MAX_SUBNETS_PER_PLAN} other subnets, set '${names.vnet}' and '${names.subnet}' to one of them.`,
    BadRequest: `Check that '${names.subnet}' is delegated to ${WEB_DELEGATION}, /${MIN_PREFIX_LENGTH} or larger (/${SHARED_PREFIX_LENGTH} when other plans use it too), and that '${names.vnet}' is in the web app's region.`,
  };
}

