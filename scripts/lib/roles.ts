// Generates README's "Required roles" table and docs/SETUP.md's role assignment commands from each step's
// metadata `permissions`, so the docs say what the code declares (test/generate-roles.test.ts checks the
// declarations against the code's calls).
import { COMMENT_ON_PR_NEEDS } from '../../packages/shared/src/metadata/common';
import type { AzurePermission, KubernetesPermission, StepMetadata } from '../../packages/shared/src/metadata/types';

export const ROLES_START = '<!-- generated:required-roles:start -->';
export const ROLES_END = '<!-- generated:required-roles:end -->';
export const ASSIGNMENTS_START = '<!-- generated:role-assignments:start -->';
export const ASSIGNMENTS_END = '<!-- generated:role-assignments:end -->';
const NOTE = '<!-- Generated from the steps\' metadata `permissions` by `pnpm generate`; do not edit by hand. -->';

const code = (text: string) => `\`${text}\``;
const cell = (text: string) => text.replace(/\|/g, '\\|');

function azureCell(p: AzurePermission): string {
  const when = p.when ? `${p.when}: ` : '';
  return `${when}${p.role} on ${p.scope} (${p.actions.map(code).join(', ')})`;
}

function kubernetesCell(p: KubernetesPermission): string {
  const where = p.namespace === 'cluster' ? 'cluster-wide' : `in ${p.namespace}`;
  const when = p.when ? `${p.when}: ` : '';
  return `${when}${p.verbs.join(', ')} ${p.resources.map(code).join(', ')} ${where}`;
}

/** The "Required roles" table, one row per step, between its markers. */
export function rolesTable(metas: readonly StepMetadata[]): string {
  const rows = metas.map((m) => {
    const azure = m.permissions?.azure.map(azureCell).join('<br>') || '—';
    const kube = m.permissions?.kubernetes.map(kubernetesCell).join('<br>') || '—';
    return `| [\`${m.id}\`](actions/${m.id}/README.md) | ${cell(azure)} | ${cell(kube)} |`;
  });
  // Every step takes comment-on-pr (metadata/common.ts); what it needs is the host's, not Azure's.
  const comment = `With \`comment-on-pr\` (any step): on GitHub ${COMMENT_ON_PR_NEEDS.github}; on Azure Pipelines ${COMMENT_ON_PR_NEEDS.azurePipelines}.`;
  return [ROLES_START, NOTE, '', '| Step | Azure RBAC | Kubernetes RBAC |', '| --- | --- | --- |', ...rows, '', comment, '', ROLES_END].join('\n');
}

function azCommands(m: StepMetadata): string[] {
  return (m.permissions?.azure ?? []).map((p) => {
    const comment = `# ${p.when ? `${p.when}: ` : ''}${p.scope}`;
    return `${comment}\naz role assignment create --assignee-object-id "$PRINCIPAL_ID" --assignee-principal-type ServicePrincipal \\\n  --role "${p.role}" --scope "$${p.scopeVar}"`;
  });
}

/** kubectl commands for a cluster with local accounts: one Role (or ClusterRole) per declared need. */
function kubectlCommands(m: StepMetadata): string[] {
  return (m.permissions?.kubernetes ?? []).map((p, i) => {
    const name = `private-wire-${m.id}-${i + 1}`;
    const cluster = p.namespace === 'cluster';
    const ns = p.namespace === 'the namespace input' ? '"$NAMESPACE"' : p.namespace;
    const where = cluster ? '' : ` -n ${ns}`;
    const kind = cluster ? 'clusterrole' : 'role';
    const verbs = p.verbs.map((v) => `--verb=${v}`).join(' ');
    const resources = p.resources.map((r) => `--resource=${r}`).join(' ');
    const when = p.when ? `# ${p.when}\n` : '';
    return `${when}kubectl create ${kind} ${name}${where} ${verbs} ${resources}\nkubectl create ${kind}binding ${name}${where} --${kind}=${name} --user="$K8S_USER"`;
  });
}

/** `az role assignment create` and kubectl commands per step, between their markers. */
export function roleAssignments(metas: readonly StepMetadata[]): string {
  const section = (title: string, commands: (m: StepMetadata) => string[]) => {
    const blocks = metas.map((m) => ({ id: m.id, lines: commands(m) })).filter((b) => b.lines.length > 0);
    return [title, '', '```bash', blocks.map((b) => [`# ${b.id}`, ...b.lines].join('\n')).join('\n\n'), '```'];
  };
  return [
    ASSIGNMENTS_START,
    NOTE,
    '',
    ...section('Azure RBAC, per step and scope:', azCommands),
    '',
    ...section('Kubernetes RBAC on a cluster with local accounts (`$K8S_USER`: the user name the cluster sees for the identity):', kubectlCommands),
    '',
    ASSIGNMENTS_END,
  ].join('\n');
}

/** `existing` with the text between `start` and `end` replaced; unchanged when the markers are missing. */
export function replaceBetween(existing: string, start: string, end: string, generated: string): string {
  const from = existing.indexOf(start);
  const to = existing.indexOf(end);
  if (from < 0 || to < from) return existing;
  return existing.slice(0, from) + generated + existing.slice(to + end.length);
}

/** README.md and docs/SETUP.md with their generated role sections refreshed (files without markers are left out). */
export function roleDocs(metas: readonly StepMetadata[], readExisting: (relPath: string) => string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  const readme = readExisting('README.md');
  if (readme !== undefined) out.set('README.md', replaceBetween(readme, ROLES_START, ROLES_END, rolesTable(metas)));
  const setup = readExisting('docs/SETUP.md');
  if (setup !== undefined) out.set('docs/SETUP.md', replaceBetween(setup, ASSIGNMENTS_START, ASSIGNMENTS_END, roleAssignments(metas)));
  return out;
}
