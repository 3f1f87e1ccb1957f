import { InputProblems } from '@private-wire/shared/errors';
import type { StepInputs } from '@private-wire/shared/engine/step';
import type { Host } from '@private-wire/shared/hosts/host';
import { azureSignInSettings, type AzureSignInSettings } from '@private-wire/shared/azure/inputs';
import { SUBSCRIPTION_NOT_KNOWN_YET, resolveResource, type ResourceId } from '@private-wire/shared/azure/resource-id';
import { resolveWebApp, type WebAppTarget } from '@private-wire/shared/azure/web-apps';
import type { Ipv4Cidr } from '@private-wire/shared/net/ipv4';
import type { vnetIntegrateWebappMetadata } from './metadata';
import { checkSubnetName, parseSubnetPrefix, type InputNames } from './subnet-rules';

/** The inputs' names as the running host spells them, for messages. */
export interface Names extends InputNames {
  resourceGroup: string;
  slot: string;
  vnetResourceGroup: string;
  routeAll: string;
}

export interface VnetSettings {
  azure: AzureSignInSettings;
  names: Names;
  /** The web app or slot, in the subscription signed in to (unless its ID names another). */
  target(subscriptionId: string): WebAppTarget;
  vnet(subscriptionId: string, webappResourceGroup: string): ResourceId;
  subnet: string;
  prefix?: Ipv4Cidr;
  /** Empty: leave the routing as it is. */
  routeAll?: boolean;
}

/** Validates and types every input, without I/O; every bad input is reported at once. */
export function vnetSettings(inputs: StepInputs<typeof vnetIntegrateWebappMetadata>, host: Host): VnetSettings {
  const n = (name: string) => host.inputName(name);
  const names: Names = {
    webapp: n('webapp'),
    resourceGroup: n('resource-group'),
    slot: n('slot'),
    vnet: n('vnet'),
    vnetResourceGroup: n('vnet-resource-group'),
    subnet: n('subnet'),
    subnetPrefix: n('subnet-prefix'),
    routeAll: n('route-all'),
  };
  const target = (subscriptionId: string) => resolveWebApp(host, { webapp: inputs.webapp, resourceGroup: inputs['resource-group'], slot: inputs.slot, subscriptionId });
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
  const app = problems.attempt(() => target(SUBSCRIPTION_NOT_KNOWN_YET));
  problems.attempt(() => vnet(SUBSCRIPTION_NOT_KNOWN_YET, app?.resourceGroup ?? ''));
  problems.attempt(() => checkSubnetName(inputs.subnet, names.subnet));
  const subnetPrefix = inputs['subnet-prefix'];
  const prefix = subnetPrefix ? problems.attempt(() => parseSubnetPrefix(subnetPrefix, names.subnetPrefix)) : undefined;
  problems.throwIfAny();
  return { azure: azureSignInSettings(inputs), names, target, vnet, subnet: inputs.subnet, prefix, routeAll: inputs['route-all'] };
}
