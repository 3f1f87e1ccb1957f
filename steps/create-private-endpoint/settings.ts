import { InputProblems, UserError } from '@private-wire/shared/errors';
import type { StepInputs } from '@private-wire/shared/engine/step';
import type { Host } from '@private-wire/shared/hosts/host';
import { azureSignInSettings, type AzureSignInSettings } from '@private-wire/shared/azure/inputs';
import { isNetworkResourceName, isResourceGroupName } from '@private-wire/shared/azure/names';
import { SUBSCRIPTION_NOT_KNOWN_YET, resolveResource, type ResourceId } from '@private-wire/shared/azure/resource-id';
import { checkRecordName, checkZoneName } from './dns-record';
import type { createPrivateEndpointMetadata } from './metadata';
import { parseTarget, type Target } from './target';

/** The inputs' names as the running host spells them, for messages. */
export interface Names {
  name: string;
  resourceGroup: string;
  vnet: string;
  vnetResourceGroup: string;
  subnet: string;
  target: string;
  groupId: string;
  requestMessage: string;
  approval: string;
  dnsZone: string;
  dnsZoneResourceGroup: string;
  dnsRecord: string;
  timeout: string;
}

export interface DnsSettings {
  zone(subscriptionId: string): ResourceId;
  record: string;
}

export interface EndpointSettings {
  azure: AzureSignInSettings;
  names: Names;
  name: string;
  resourceGroup: string;
  vnet(subscriptionId: string): ResourceId;
  subnet: string;
  target: Target;
  groupId?: string;
  requestMessage: string;
  approval: 'manual' | 'auto';
  waitForApproval: boolean;
  dns?: DnsSettings;
}

/**
 * "A message passed to the owner of the remote resource with this connection request. Restricted
 * to 140 chars." (azure-rest-api-specs network stable/2025-05-01 privateEndpoint.json,
 * PrivateLinkServiceConnectionProperties.requestMessage).
 */
export const MAX_REQUEST_MESSAGE = 140;

function names(host: Host): Names {
  const n = (name: string) => host.inputName(name);
  return {
    name: n('name'),
    resourceGroup: n('resource-group'),
    vnet: n('vnet'),
    vnetResourceGroup: n('vnet-resource-group'),
    subnet: n('subnet'),
    target: n('target'),
    groupId: n('group-id'),
    requestMessage: n('request-message'),
    approval: n('approval'),
    dnsZone: n('dns-zone'),
    dnsZoneResourceGroup: n('dns-zone-resource-group'),
    dnsRecord: n('dns-record'),
    timeout: n('timeout'),
  };
}

function checkNetworkName(value: string, input: string, what: string): void {
  if (!isNetworkResourceName(value)) {
    throw new UserError(`Input '${input}' is '${value}', which is not a valid ${what} name.`, "Network resource names have 1-80 letters, digits and '_ . -', start with a letter or digit and end with a letter, digit or '_'.");
  }
}

function checkGroupName(value: string, input: string): void {
  if (!isResourceGroupName(value)) throw new UserError(`Input '${input}' is '${value}', which is not a valid resource group name.`, 'Resource group names have 1-90 letters, digits, and - _ . ( ) characters, and do not end in a period.');
}

/** The default request message: who asks, so the provider sees where a request came from. */
function defaultRequestMessage(host: Host): string {
  const run = host.runReference();
  return `Requested by private-wire${run ? ` in ${run}` : ''}`.slice(0, MAX_REQUEST_MESSAGE);
}

type Inputs = StepInputs<typeof createPrivateEndpointMetadata>;

function dnsSettings(inputs: Inputs, n: Names, problems: InputProblems): DnsSettings | undefined {
  const zoneValue = inputs['dns-zone'];
  const record = inputs['dns-record'];
  if (!zoneValue) {
    problems.expect(!record, `Input '${n.dnsRecord}' is '${record}', but '${n.dnsZone}' is empty.`, `Give the private DNS zone in '${n.dnsZone}', or leave '${n.dnsRecord}' empty.`);
    return undefined;
  }
  const zone = (subscriptionId: string) =>
    resolveResource({ value: zoneValue, input: n.dnsZone, provider: 'Microsoft.Network', types: ['privateDnsZones'], resourceGroup: inputs['dns-zone-resource-group'] ?? inputs['resource-group'], resourceGroupInput: n.dnsZoneResourceGroup, subscriptionId });
  const parsed = problems.attempt(() => zone(SUBSCRIPTION_NOT_KNOWN_YET));
  if (parsed) problems.attempt(() => checkZoneName(parsed.names[0]!, n.dnsZone));
  problems.expect(!!record, `Input '${n.dnsRecord}' is empty, but '${n.dnsZone}' is '${zoneValue}'.`, `Give the record's name relative to the zone in '${n.dnsRecord}' (e.g. 'api'), or leave '${n.dnsZone}' empty.`);
  if (record) problems.attempt(() => checkRecordName(record, n.dnsRecord));
  return { zone, record: record ?? '' };
}

/** Validates and types every input, without I/O; every bad input is reported at once. */
export function endpointSettings(inputs: Inputs, host: Host): EndpointSettings {
  const n = names(host);
  const problems = new InputProblems();
  problems.attempt(() => checkNetworkName(inputs.name, n.name, 'private endpoint'));
  problems.attempt(() => checkGroupName(inputs['resource-group'], n.resourceGroup));
  const vnet = (subscriptionId: string) =>
    resolveResource({ value: inputs.vnet, input: n.vnet, provider: 'Microsoft.Network', types: ['virtualNetworks'], resourceGroup: inputs['vnet-resource-group'] ?? inputs['resource-group'], resourceGroupInput: n.vnetResourceGroup, subscriptionId });
  problems.attempt(() => vnet(SUBSCRIPTION_NOT_KNOWN_YET));
  problems.attempt(() => checkNetworkName(inputs.subnet, n.subnet, 'subnet'));
  const groupId = inputs['group-id'] || undefined;
  const target = problems.attempt(() => parseTarget(inputs.target, groupId, { target: n.target, groupId: n.groupId }));
  const requestMessage = inputs['request-message'] ?? defaultRequestMessage(host);
  problems.expect(
    requestMessage.length <= MAX_REQUEST_MESSAGE,
    `Input '${n.requestMessage}' is ${requestMessage.length} characters long.`,
    `Azure takes at most ${MAX_REQUEST_MESSAGE} characters: shorten it.`,
  );
  const dns = dnsSettings(inputs, n, problems);
  problems.throwIfAny();
  if (!target) throw new Error('input parsing returned no value without a problem');
  return {
    azure: azureSignInSettings(inputs),
    names: n,
    name: inputs.name,
    resourceGroup: inputs['resource-group'],
    vnet,
    subnet: inputs.subnet,
    target,
    groupId,
    requestMessage,
    approval: inputs.approval,
    waitForApproval: inputs['wait-for-approval'],
    dns,
  };
}
