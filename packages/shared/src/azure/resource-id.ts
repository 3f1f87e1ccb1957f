import { UserError } from '../errors';
import { isGuid, isResourceGroupName, unsafeNameProblem } from './names';

/** A parsed ARM resource id: `/subscriptions/{s}/resourceGroups/{rg}/providers/{ns}/{type}/{name}[/{child}/{name}…]`. */
export interface ResourceId {
  subscriptionId: string;
  resourceGroup: string;
  /** e.g. `Microsoft.Web`. */
  provider: string;
  /** Type segments, e.g. `['sites', 'slots']`. */
  types: string[];
  /** Name segments matching `types`, e.g. `['my-app', 'staging']`. */
  names: string[];
}

/** Stands in for the subscription while inputs are checked before sign-in (IDs carry their own). */
export const SUBSCRIPTION_NOT_KNOWN_YET = '00000000-0000-0000-0000-000000000000';

export function looksLikeResourceId(value: string): boolean {
  return value.startsWith('/subscriptions/');
}

/** Parses a resource id, naming the input in the error when it is not one. */
export function parseResourceId(value: string, input: string): ResourceId {
  const parts = value.replace(/\/+$/, '').split('/');
  const bad = (why: string) =>
    new UserError(
      `Input '${input}' is '${value}', which is not a valid resource ID: ${why}.`,
      'Use the form /subscriptions/<id>/resourceGroups/<group>/providers/<Namespace>/<type>/<name>, or give the name and resource group.',
    );
  if (parts[0] !== '' || parts[1]?.toLowerCase() !== 'subscriptions') throw bad('it must start with /subscriptions/');
  const subscriptionId = parts[2] ?? '';
  if (!isGuid(subscriptionId)) throw bad(`'${subscriptionId}' is not a subscription GUID`);
  if (parts[3]?.toLowerCase() !== 'resourcegroups' || !parts[4]) throw bad('the resourceGroups segment is missing');
  if (parts[5]?.toLowerCase() !== 'providers' || !parts[6]) throw bad('the providers segment is missing');
  const rest = parts.slice(7);
  if (rest.length === 0 || rest.length % 2 !== 0 || rest.some((s) => s === '')) throw bad('types and names must come in pairs');
  for (const segment of parts.slice(1)) {
    const problem = unsafeNameProblem(segment);
    if (problem) throw bad(`segment '${segment}': ${problem}`);
  }
  return {
    subscriptionId,
    resourceGroup: parts[4],
    provider: parts[6],
    types: rest.filter((_, i) => i % 2 === 0),
    names: rest.filter((_, i) => i % 2 === 1),
  };
}

export function formatResourceId(id: ResourceId): string {
  const pairs = id.types.flatMap((t, i) => [t, id.names[i]]);
  return ['', 'subscriptions', id.subscriptionId, 'resourceGroups', id.resourceGroup, 'providers', id.provider, ...pairs].join('/');
}

/**
 * A resource given either as a full ID or as a name plus resource group: the form every
 * resource input accepts. Checks that an ID is of the expected provider/type.
 */
export function resolveResource(options: {
  value: string;
  input: string;
  provider: string;
  /** Expected type segments, e.g. `['sites']`. */
  types: string[];
  resourceGroup: string | undefined;
  resourceGroupInput: string;
  subscriptionId: string;
}): ResourceId {
  const { value, input, provider, types } = options;
  if (looksLikeResourceId(value)) {
    const id = parseResourceId(value, input);
    const expected = `${provider}/${types.join('/')}`;
    const actual = `${id.provider}/${id.types.join('/')}`;
    if (actual.toLowerCase() !== expected.toLowerCase()) {
      throw new UserError(`Input '${input}' is the ID of a ${actual}, not of a ${expected}.`, `Give the ID of a ${expected}.`);
    }
    return id;
  }
  if (value.includes('/')) {
    throw new UserError(`Input '${input}' is '${value}', which is neither a name nor a resource ID.`, 'Give a name, or a full ID starting with /subscriptions/.');
  }
  const nameProblem = unsafeNameProblem(value);
  if (nameProblem) throw new UserError(`Input '${input}' is '${value}', which is not a valid name: ${nameProblem}.`, 'Give the resource\'s name exactly as Azure shows it, or its full resource ID.');
  if (!options.resourceGroup) {
    throw new UserError(
      `Input '${input}' is the name '${value}', but '${options.resourceGroupInput}' is not given.`,
      `Give '${options.resourceGroupInput}', or a full resource ID in '${input}'.`,
    );
  }
  if (!isResourceGroupName(options.resourceGroup)) {
    throw new UserError(
      `Input '${options.resourceGroupInput}' is '${options.resourceGroup}', which is not a valid resource group name.`,
      'Resource group names have 1-90 letters, digits, and - _ . ( ) characters, and do not end in a period.',
    );
  }
  return { subscriptionId: options.subscriptionId, resourceGroup: options.resourceGroup, provider, types, names: [value] };
}
