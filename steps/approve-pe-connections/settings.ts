import { InputProblems, UserError } from '@private-wire/shared/errors';
import type { StepInputs } from '@private-wire/shared/engine/step';
import type { Host } from '@private-wire/shared/hosts/host';
import { azureSignInSettings, type AzureSignInSettings } from '@private-wire/shared/azure/inputs';
import { SUBSCRIPTION_NOT_KNOWN_YET, formatResourceId, looksLikeResourceId, parseResourceId, resolveResource, type ResourceId } from '@private-wire/shared/azure/resource-id';
import { parseAllowedSubscriptions, parseEndpointPatterns, type Allowlist } from './allowlist';
import { isSupported, supportedTypes } from './connection-access';
import type { approvePeConnectionsMetadata } from './metadata';

export interface ApproveSettings {
  resource: ResourceId;
  resourceId: string;
  action: 'approve' | 'reject';
  allowlist: Allowlist;
  description: string;
  wait: boolean;
  /**
   * The Front Door profile whose private origins vouch for connections, resolved once the
   * subscription is known (a name is looked up in the sign-in's subscription); absent without
   * `front-door`.
   */
  frontDoor?: (subscriptionId: string) => ResourceId;
  azure: AzureSignInSettings;
}

/** Private endpoint connection descriptions are short notes (the portal shows one line). */
const MAX_DESCRIPTION = 140;

function parseTarget(value: string, input: string): ResourceId {
  const id = parseResourceId(value, input);
  if (!isSupported(id)) {
    throw new UserError(
      `Input '${input}' is the ID of a ${id.provider}/${id.types.join('/')}, which this step cannot approve connections on.`,
      `Give the ID of one of: ${supportedTypes().join(', ')}.`,
    );
  }
  return id;
}

/** The default text stored on each connection: who did it, so the portal shows where a decision came from. */
function defaultDescription(host: Host, action: 'approve' | 'reject'): string {
  const run = host.runReference();
  return `${action === 'approve' ? 'Approved' : 'Rejected'} by private-wire${run ? ` in ${run}` : ''}`;
}

/**
 * `front-door` (a name with `front-door-resource-group`, or a resource ID of a Microsoft.Cdn/profiles)
 * as a resolver, checked now with a stand-in subscription so a bad value fails before sign-in.
 */
function frontDoorInput(inputs: StepInputs<typeof approvePeConnectionsMetadata>, host: Host, problems: InputProblems) {
  const value = inputs['front-door'];
  const resourceGroup = inputs['front-door-resource-group'];
  const [input, groupInput] = [host.inputName('front-door'), host.inputName('front-door-resource-group')];
  if (!value) {
    problems.expect(!resourceGroup, `Input '${groupInput}' is '${resourceGroup}', but '${input}' is not given.`, `Give the profile's name in '${input}', or leave '${groupInput}' out.`);
    return undefined;
  }
  const resolve = (subscriptionId: string) =>
    resolveResource({ value, input, provider: 'Microsoft.Cdn', types: ['profiles'], resourceGroup, resourceGroupInput: groupInput, subscriptionId });
  const id = problems.attempt(() => resolve(SUBSCRIPTION_NOT_KNOWN_YET));
  problems.expect(
    !id || !resourceGroup || !looksLikeResourceId(value) || id.resourceGroup.toLowerCase() === resourceGroup.toLowerCase(),
    `Input '${groupInput}' is '${resourceGroup}', but '${input}' is the ID of a profile in resource group '${id?.resourceGroup}'.`,
    `Leave '${groupInput}' out when '${input}' is a resource ID, or make them agree.`,
  );
  return resolve;
}

/** Validates and types every input, without I/O; every bad input is reported at once. */
export function approveSettings(inputs: StepInputs<typeof approvePeConnectionsMetadata>, host: Host): ApproveSettings {
  const name = (n: string) => host.inputName(n);
  const problems = new InputProblems();
  const resource = problems.attempt(() => parseTarget(inputs['resource-id'], name('resource-id')));
  const subscriptions = problems.attempt(() => parseAllowedSubscriptions(inputs['allowed-subscriptions'], resource?.subscriptionId ?? '', name('allowed-subscriptions')));
  const endpointRegexps = problems.attempt(() => parseEndpointPatterns(inputs['allowed-endpoints'], name('allowed-endpoints')));
  const action = inputs.action;
  const description = inputs.description ?? defaultDescription(host, action);
  problems.expect(
    description.length <= MAX_DESCRIPTION,
    `Input '${name('description')}' is ${description.length} characters long.`,
    `Private endpoint connection descriptions are short notes: keep it to ${MAX_DESCRIPTION} characters.`,
  );
  const frontDoor = frontDoorInput(inputs, host, problems);
  problems.throwIfAny();
  // Without problems every parser returned its value.
  if (!resource || !subscriptions || !endpointRegexps) throw new Error('input parsing returned no value without a problem');
  return {
    resource,
    resourceId: formatResourceId(resource),
    action,
    allowlist: { subscriptions, endpointRegexps, inputs: { subscriptions: name('allowed-subscriptions'), endpoints: name('allowed-endpoints') } },
    description,
    wait: inputs.wait,
    frontDoor,
    azure: azureSignInSettings(inputs),
  };
}
