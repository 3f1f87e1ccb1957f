export type Severity = 'error' | 'warning' | 'info';

/** One thing that will (error) or may (warning) break the private path, or is worth knowing (info). */
export interface Finding {
  /** Stable identifier (documented in the README's table). */
  id: string;
  severity: Severity;
  /** The resource it is about, as a human reads it. */
  resource: string;
  message: string;
  fix: string;
}

const RANK: Record<Severity, number> = { error: 2, warning: 1, info: 0 };

/** Whether a finding makes the step fail under `fail-on`. */
export const failsOn = (finding: Finding, failOn: 'error' | 'warning'): boolean => RANK[finding.severity] >= RANK[failOn];

export function countOf(findings: readonly Finding[], severity: Severity): number {
  return findings.filter((f) => f.severity === severity).length;
}

/** Errors first, then warnings, then infos; stable within a severity. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => RANK[b.severity] - RANK[a.severity]);
}
