// Azure's naming rules, in one place, so every input is checked before a request the same way
// ARM would check it (https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules).

/** A GUID (subscription, tenant, client ID), any case. */
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/** Subnet, Private Link Service and most Network names: 1–80 letters, digits, `_ . -`; start alphanumeric, end alphanumeric or `_`. */
export function isNetworkResourceName(value: string): boolean {
  return /^[A-Za-z0-9]([A-Za-z0-9_.-]{0,78}[A-Za-z0-9_])?$/.test(value);
}

/** Resource group names: 1–90 letters, digits, `_ - . ( )`, not ending in a period (so never `.` or `..`). */
export function isResourceGroupName(value: string): boolean {
  return /^(?=.{1,90}$)[-\w.()]*[-\w()]$/.test(value);
}

/** Deployment slot names: letters, digits and hyphens, starting alphanumeric, at most 59. */
export function isSlotName(value: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9-]{0,58}$/.test(value);
}

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
