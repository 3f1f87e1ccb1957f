/**
 * The parts of a secret to register with a runner. Runners mask line by line (Azure Pipelines
 * refuses multi-line secrets outright), so a multi-line secret (kubeconfig, PEM key) is masked by
 * its credential-looking lines: long token or base64 runs (key bodies), including the value part
 * of `key: value` lines; URLs and prose are not credentials. Short structural lines (`kind: Config`) are left
 * readable; the credentials in them are masked on their own by whoever parses them.
 */
export function secretParts(value: string): string[] {
  if (!/[\r\n]/.test(value)) return value ? [value] : [];
  const parts = new Set<string>();
  for (const raw of value.split(/\r?\n/)) {
    const line = raw.trim();
    const candidate = /^[\w.-]+:\s+(\S+)$/.exec(line)?.[1] ?? line;
    if (candidate.length >= 16 && /^[A-Za-z0-9+/=_.~-]+$/.test(candidate)) parts.add(candidate);
  }
  return [...parts];
}
