import { NetworkManagementClient, type VirtualNetwork } from '@azure/arm-network';
import { InputProblems, UserError } from '../../errors';
import { defineStep } from '../../engine/step';
import type { Change } from '../../engine/plan';
import { armClientOptions } from '../../azure/clients';
import { signInToAzure } from '../../azure/credential';
import { isNotFound, translateArmError } from '../../azure/errors';
import { azureSignInSettings, type AzureSignInSettings } from '../../azure/inputs';
import { formatResourceId, resolveResource, type ResourceId } from '../../azure/resource-id';
import { RawArm, resolveWebApp, webClient, type WebAppTarget } from '../../azure/web-apps';
import type { Ipv4Cidr } from '../../net/ipv4';
import { vnetIntegrateWebappMetadata } from './metadata';
import { checkPlanTier, legacyConnections, readSite, writeIntegration } from './site-integration';
import { addDelegation, createSubnet, type SubnetWriteContext } from './subnet-writes';
import { WEB_DELEGATION, WARN_PREFIX_LENGTH, checkExistingSubnet, checkNewSubnet, checkSubnetName, parseSubnetPrefix, sizeWarning, type InputNames } from './subnet-rules';

/** Stands in for the subscription while inputs are checked before sign-in (IDs carry their own). */
const PLACEHOLDER_SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';

interface Names extends InputNames {
  resourceGroup: string;
  slot: string;
  vnetResourceGroup: string;
}

interface Settings {
  azure: AzureSignInSettings;
  names: Names;
  target(subscriptionId: string): WebAppTarget;
  vnet(subscriptionId: string, webappResourceGroup: string): ResourceId;
  subnet: string;
  prefix?: Ipv4Cidr;
  routeAll?: boolean;
}


const short = (subnetId: string | undefined): string => {
  if (!subnetId) return '(none)';
  const parts = subnetId.split('/');
  return `${parts[8] ?? '?'}/${parts[10] ?? '?'}`;
};

export const vnetIntegrateWebappStep = defineStep({
  metadata: vnetIntegrateWebappMetadata,

  settings(inputs, ctx): Settings {
    const n = (name: string) => ctx.host.inputName(name);
    const names: Names = {
      webapp: n('webapp'),
      resourceGroup: n('resource-group'),
      slot: n('slot'),
      vnet: n('vnet'),
      vnetResourceGroup: n('vnet-resource-group'),
      subnet: n('subnet'),
      subnetPrefix: n('subnet-prefix'),
    };
    const target = (subscriptionId: string) =>
      resolveWebApp(ctx.host, { webapp: inputs.webapp, resourceGroup: inputs['resource-group'], slot: inputs.slot, subscriptionId });
    const vnet = (subscriptionId: string, webappResourceGroup: string) =>
      resolveResource({
        value: inputs.vnet,
        input: names.vnet,
        provider: 'Microsoft.Network',
        types: ['virtualNetworks'],
        resourceGroup: inputs['vnet-resource-group'] ?? inputs['resource-group'] ?? webappResourceGroup,
        resourceGroupInput: names.vnetResourceGroup,
        subscriptionId,
      });
    const problems = new InputProblems();
    const app = problems.attempt(() => target(PLACEHOLDER_SUBSCRIPTION));
    problems.attempt(() => vnet(PLACEHOLDER_SUBSCRIPTION, app?.resourceGroup ?? ''));
    problems.attempt(() => checkSubnetName(inputs.subnet, names.subnet));
    const prefix = inputs['subnet-prefix'] ? problems.attempt(() => parseSubnetPrefix(inputs['subnet-prefix']!, names.subnetPrefix)) : undefined;
    problems.throwIfAny();
    return { azure: azureSignInSettings(inputs), names, target, vnet, subnet: inputs.subnet, prefix, routeAll: inputs['route-all'] };
  },

  async plan(s, ctx) {
    const session = await signInToAzure(ctx.host, s.azure, ctx.deadline);
    const identity = session.method;
    const target = s.target(session.subscriptionId);
    const vnetId = s.vnet(session.subscriptionId, target.resourceGroup);
    const raw = new RawArm(session);
    const network = new NetworkManagementClient(session.credential, vnetId.subscriptionId, armClientOptions(session));

    // Every check below reads only; the first write happens in an apply.
    const state = await readSite(raw, target, s.names, identity);
    await checkPlanTier(raw, state, target, s.names.webapp, identity);
    const vnet = await readVnet(network, vnetId, s.names, identity);
    if (region(vnet.location) !== region(state.location)) {
      throw new UserError(
        `Input '${s.names.vnet}' is '${vnet.name}', which is in ${vnet.location}, but web app '${target.label}' is in ${state.location}.`,
        'Regional VNet integration needs a virtual network in the same region as the app: give a VNet in that region.',
      );
    }
    const existing = (vnet.subnets ?? []).find((x) => x.name?.toLowerCase() === s.subnet.toLowerCase());
    const subnetName = existing?.name ?? s.subnet;
    const subnetId = existing?.id ?? `${formatResourceId(vnetId)}/subnets/${subnetName}`;
    const subnetLabel = `subnet ${vnet.name}/${subnetName}`;

    if (state.subnetId && state.subnetId.toLowerCase() !== subnetId.toLowerCase()) {
      throw new UserError(
        `Input '${s.names.webapp}' is '${target.label}', which is already integrated with subnet ${short(state.subnetId)} (${state.subnetId}), not ${vnet.name}/${subnetName}.`,
        `An app has one regional VNet integration: set '${s.names.vnet}' and '${s.names.subnet}' to that subnet, or remove the integration first (az webapp vnet-integration remove -g ${target.resourceGroup} -n ${target.name}${target.slot ? ` --slot ${target.slot}` : ''}).`,
      );
    }

    const changes: Change[] = [];
    const subnetWrites: SubnetWriteContext = {
      network,
      vnet: vnetId,
      name: subnetName,
      planId: state.planId,
      prefix: s.prefix,
      names: s.names,
      identity,
      hints: subnetErrorHints(s.names),
      abortSignal: ctx.deadline.signal,
      warn: ctx.warn,
    };
    if (existing) {
      const need = checkExistingSubnet(existing, vnet.name ?? '', state.planId, s.prefix, s.names, ctx.warn);
      changes.push(
        need === 'delegation'
          ? {
              resource: subnetLabel,
              action: 'update',
              detail: `delegate the empty subnet to ${WEB_DELEGATION}`,
              before: 'no delegation',
              after: WEB_DELEGATION,
              apply: () => addDelegation(subnetWrites),
            }
          : { resource: subnetLabel, action: 'none', detail: `delegated to ${WEB_DELEGATION}`, before: WEB_DELEGATION },
      );
    } else {
      if (!s.prefix) {
        throw new UserError(
          `Input '${s.names.subnet}' is '${s.subnet}', but virtual network '${vnet.name}' has no subnet of that name.`,
          `Give '${s.names.subnetPrefix}' (e.g. a free /26 inside ${(vnet.addressSpace?.addressPrefixes ?? []).join(', ')}) to create it, or name an existing subnet.`,
        );
      }
      checkNewSubnet(vnet, subnetName, s.prefix, s.names);
      if (s.prefix.prefixLength > WARN_PREFIX_LENGTH) ctx.warn(sizeWarning(subnetName, s.prefix.canonical));
      const prefix = s.prefix.canonical;
      changes.push({
        resource: subnetLabel,
        action: 'create',
        detail: `create the subnet, delegated to ${WEB_DELEGATION}`,
        after: `${prefix}, delegated to ${WEB_DELEGATION}`,
        apply: () => createSubnet(subnetWrites, prefix),
      });
    }

    for (const legacy of await legacyConnections(webClient(session), target, identity)) {
      ctx.warn(
        `Web app '${target.label}' also has a gateway-required (legacy) VNet integration '${legacy.name}' with ${legacy.vnet || 'a virtual network'}. ` +
          'It is separate from regional integration and keeps sending that VNet\'s traffic through the VNet gateway; once the regional integration works, disconnect it (portal: Networking → VNet integration → Disconnect, or az webapp vnet-integration remove) to avoid ambiguous routes.',
      );
    }

    const siteLabel = `web app ${target.label}`;
    const siteHints = siteErrorHints(s.names);
    const write = (change: { subnetId?: string; routeAll?: boolean }) => () => writeIntegration(raw, target, change, { identity, hints: siteHints });
    changes.push(
      state.subnetId
        ? { resource: siteLabel, action: 'none', detail: 'integrated with the subnet', before: short(state.subnetId) }
        : { resource: siteLabel, action: 'update', detail: 'set the regional VNet integration subnet', before: '(none)', after: short(subnetId), apply: write({ subnetId }) },
    );
    if (s.routeAll !== undefined) {
      changes.push(
        s.routeAll === state.routeAll
          ? { resource: siteLabel, action: 'none', detail: 'route all outbound traffic through the VNet', before: String(state.routeAll) }
          : {
              resource: siteLabel,
              action: 'update',
              detail: 'route all outbound traffic through the VNet (siteConfig.vnetRouteAllEnabled)',
              before: String(state.routeAll),
              after: String(s.routeAll),
              apply: write({ routeAll: s.routeAll }),
            },
      );
    }
    return { changes, outputs: { 'subnet-id': subnetId } };
  },
});

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

function siteErrorHints(names: Names): Record<string, string> {
  return {
    Conflict: `An App Service plan can use one integration subnet and needs Basic or higher: if another app on the plan is integrated with a different subnet, set '${names.vnet}' and '${names.subnet}' to that subnet.`,
    BadRequest: `Check that '${names.subnet}' is delegated to ${WEB_DELEGATION}, not used by another plan, and that '${names.vnet}' is in the web app's region.`,
  };
}

