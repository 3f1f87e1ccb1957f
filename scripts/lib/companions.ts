// Companion actions the docs and examples use beside ours, and the current major of each. A doc that
// shows an older major (or a branch) teaches users a workflow that warns or breaks; bump here, with the
// source, when a new major is released.
export const COMPANION_MAJORS: Record<string, { major: string; source: string }> = {
  // v6.0.0 released; actions/checkout PR #2314 "Update all references from v5 and v4 to v6" (2025-11-24).
  'actions/checkout': { major: 'v6', source: 'https://github.com/actions/checkout/pull/2314' },
  // "Azure Login Action v3: upgrade nodejs from 20 to 24" (Azure/login #578); same inputs as v2.
  'azure/login': { major: 'v3', source: 'https://github.com/Azure/login/releases/tag/v3' },
  // Latest release found: v4.0.2 (Azure/aks-set-context PR #138); no newer major could be sourced.
  'azure/aks-set-context': { major: 'v4', source: 'https://github.com/Azure/aks-set-context/pull/138' },
};

const USES = /\buses:\s*([\w.-]+\/[\w.-]+)@([^\s'"`#]+)/g;

/** `file:line: …` for every companion action a text pins to something other than its current major. */
export function companionProblems(file: string, text: string): string[] {
  const problems: string[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    for (const [, action, ref] of line.matchAll(USES)) {
      const known = COMPANION_MAJORS[action!.toLowerCase()];
      if (known && ref !== known.major) problems.push(`${file}:${i + 1}: ${action}@${ref} is not the current major ${known.major} (${known.source})`);
    }
  }
  return problems;
}
