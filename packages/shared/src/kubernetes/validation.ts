/**
 * Name and value rules the API server and Azure apply, checked before any request so a bad input
 * fails with its name and the fix instead of a 422 halfway through a run.
 */

/** Service names (RFC 1035 label): lower-case letters, digits, '-', starting with a letter. */
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** Namespace names (RFC 1123 label): may also start with a digit. */
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function isDns1035Label(value: string): boolean {
  return value.length <= 63 && DNS1035_LABEL.test(value);
}

export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL.test(value);
}

/** A DNS subdomain (dot-separated RFC 1123 labels, 253 characters at most). */
function isDns1123Subdomain(value: string): boolean {
  return value.length > 0 && value.length <= 253 && value.split('.').every(isDns1123Label);
}

const LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;

/** A label key: optional DNS-subdomain prefix and '/', then a name of at most 63 characters. */
export function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && !isDns1123Subdomain(prefix)) return false;
  return name.length > 0 && name.length <= 63 && LABEL_NAME.test(name);
}

/** A label value: empty, or at most 63 characters of alphanumerics, '-', '_', '.', alphanumeric at both ends. */
export function isLabelValue(value: string): boolean {
  return value === '' || (value.length <= 63 && LABEL_NAME.test(value));
}
