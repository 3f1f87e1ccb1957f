/**
 * Keys whose values are credentials in the multi-line secrets steps take: kubeconfigs
 * (`token`, `password`, `client-key-data`, auth-provider tokens), service connection and
 * service-account JSON (`private_key`, `client_secret`, …).
 */
const CREDENTIAL_KEY = /^(token|password|client-key-data|client-key|access-token|refresh-token|id-token|client-secret|client_secret|clientSecret|secret|private_key|private-key|privateKey|apiToken|api-token|serviceprincipalkey|key)$/i;

/** `key: value`, `- key: value` (YAML) or `"key": "value",` (JSON), the value quoted or not. */
const KEY_VALUE = /^\s*(?:-\s+)?"?([\w.-]+)"?\s*:\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+?))\s*,?\s*$/;

/** A line that is itself a key body or token: long and of base64/token characters only. */
const TOKEN_LINE = /^[A-Za-z0-9+/=_.~-]{16,}$/;

/**
 * The parts of a secret to register with a runner. Runners mask line by line (Azure Pipelines
 * refuses multi-line secrets outright), so a multi-line secret is masked by its credentials: the
 * values of credential keys, and lines that are key bodies or tokens on their own (PEM bodies).
 * Everything else (names, servers, contexts) stays readable, so messages can name the cluster and
 * user; those are not secrets, and masking them would blank every message that mentions them.
 */
export function secretParts(value: string): string[] {
  if (!/[\r\n]/.test(value)) return value ? [value] : [];
  const parts = new Set<string>();
  for (const raw of value.split(/\r?\n/)) {
    const line = raw.trim();
    const pair = KEY_VALUE.exec(line);
    if (pair) {
      const secret = pair[2] ?? pair[3] ?? pair[4] ?? '';
      if (CREDENTIAL_KEY.test(pair[1]!) && secret.length >= 4) parts.add(secret);
      continue;
    }
    if (TOKEN_LINE.test(line)) parts.add(line);
  }
  return [...parts];
}
