import { UserError } from '../errors';

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

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Resource group names: 1–90 letters, digits, `_ - . ( )`, not ending in a period (so never `.` or `..`). */
const RG_NAME = /^(?=.{1,90}$)[-\w.()]*[-\w()]$/;

/**
 * What no ARM resource name contains and what would change the request a name is put into: a
 * query (`?`), a fragment (`#`), an escape (`%`), white space, or a `.`/`..` path segment. A
 * name with one of them would make a step read or write another resource than the one named.
 */
export function unsafeNameProblem(name: string): string | undefined {
  if (name === '.' || name === '..') return `'${name}' is a relative path segment, not a name`;
  const bad = /[?#%\s]/.exec(name);
  if (bad) return `it contains ${/\s/.test(bad[0]) ? 'white space' : `'${bad[0]}'`}, which no Azure resource name has`;
  return undefined;
}

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
  if (!GUID.test(subscriptionId)) throw bad(`'${subscriptionId}' is not a subscription GUID`);
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
  if (!RG_NAME.test(options.resourceGroup)) {
    throw new UserError(
      `Input '${options.resourceGroupInput}' is '${options.resourceGroup}', which is not a valid resource group name.`,
      'Resource group names have 1-90 letters, digits, and - _ . ( ) characters, and do not end in a period.',
    );
  }
  return { subscriptionId: options.subscriptionId, resourceGroup: options.resourceGroup, provider, types, names: [value] };
}
