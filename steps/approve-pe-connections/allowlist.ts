import { isGuid } from '@private-wire/shared/azure/names';
import { UserError } from '@private-wire/shared/errors';


/**
 * Which private endpoints may be acted on: requester subscriptions (`any` only when the user
 * wrote `*`) and, optionally, endpoint ID globs. Both must allow a connection.
 */
export interface Allowlist {
  subscriptions: 'any' | string[];
  endpointRegexps: RegExp[];
  /** How the user spells the two inputs on this host, for the reasons shown. */
  inputs: { subscriptions: string; endpoints: string };
}

/**
 * Parses `allowed-subscriptions`: GUIDs, or `*` alone. Empty means the resource's own
 * subscription only, so that approving never lets a stranger in by default.
 */
export function parseAllowedSubscriptions(values: string[], ownSubscription: string, input: string): 'any' | string[] {
  if (values.length === 0) return [ownSubscription.toLowerCase()];
  if (values.includes('*')) {
    if (values.length > 1) {
      throw new UserError(
        `Input '${input}' mixes '*' with subscription IDs.`,
        "'*' already allows every subscription: give either '*' alone or only subscription IDs.",
      );
    }
    return 'any';
  }
  const bad = values.filter((v) => !isGuid(v));
  if (bad.length > 0) {
    throw new UserError(
      `Input '${input}' has ${bad.map((b) => `'${b}'`).join(', ')}, which ${bad.length === 1 ? 'is not a subscription ID' : 'are not subscription IDs'}.`,
      "Give subscription GUIDs separated by commas or new lines, or '*' (alone) to allow any subscription.",
    );
  }
  return [...new Set(values.map((v) => v.toLowerCase()))];
}

/**
 * A glob on a private endpoint resource ID as a case-insensitive, anchored RegExp: `**` matches
 * any characters including `/`, `*` any characters within one path segment; everything else is
 * literal. ARM IDs are case-insensitive, so matching is too.
 */
export function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*' && pattern[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (ch === '*') {
      source += '[^/]*';
    } else {
      source += ch.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`, 'i');
}

/**
 * Parses `allowed-endpoints`. A pattern is matched against the whole endpoint ID, so one that
 * starts with neither `/` nor `*` could never match: reject it rather than silently skip all.
 */
export function parseEndpointPatterns(values: string[], input: string): RegExp[] {
  const bad = values.filter((v) => !v.startsWith('/') && !v.startsWith('*'));
  if (bad.length > 0) {
    throw new UserError(
      `Input '${input}' has ${bad.map((b) => `'${b}'`).join(', ')}, which cannot match a private endpoint ID.`,
      'Patterns match the whole resource ID: start them with /subscriptions/ or **/ (e.g. **/privateEndpoints/pe-app-*).',
    );
  }
  return values.map(globToRegExp);
}

/** The subscription of a resource ID, lower-cased; undefined when it is not one. */
export function subscriptionOf(resourceId: string | undefined): string | undefined {
  const m = /^\/subscriptions\/([^/]+)\//i.exec(resourceId ?? '');
  return m?.[1]?.toLowerCase();
}

/** Why a connection from this endpoint is outside the allowlist, or undefined when it is allowed. */
export function refusal(allowlist: Allowlist, endpointId: string | undefined): string | undefined {
  const subscription = subscriptionOf(endpointId);
  if (!endpointId || !subscription) return 'the connection names no private endpoint, so its requester is unknown';
  if (allowlist.subscriptions !== 'any' && !allowlist.subscriptions.includes(subscription)) {
    return `requester subscription ${subscription} is not in ${allowlist.inputs.subscriptions}`;
  }
  if (allowlist.endpointRegexps.length > 0 && !allowlist.endpointRegexps.some((r) => r.test(endpointId))) {
    return `the private endpoint matches none of ${allowlist.inputs.endpoints}`;
  }
  return undefined;
}
