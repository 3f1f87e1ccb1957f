import { markdownInline } from '../hosts/safe-output';

export type ChangeAction = 'create' | 'update' | 'delete' | 'none';

/** One line of a plan: what would change on which resource, and how to make it so. */
export interface Change {
  /** The resource as a human reads it, e.g. `subnet aks-vnet/webapp-integration`. */
  resource: string;
  action: ChangeAction;
  /** What changes and why, in one sentence. */
  detail: string;
  before?: string;
  after?: string;
  /** Performs the change; absent for `none`. Called in plan order, never in dry-run. */
  apply?: () => Promise<void>;
}

export function isWrite(change: Change): boolean {
  return change.action !== 'none';
}

const SYMBOL: Record<ChangeAction, string> = { create: '+', update: '~', delete: '-', none: '=' };

/** Plan as plain log lines, Terraform-style: `+ create  resource: detail`. */
export function planToText(changes: readonly Change[]): string {
  if (changes.length === 0) return 'Nothing to do.';
  return changes
    .map((c) => {
      const ba = c.before !== undefined || c.after !== undefined ? ` (${c.before ?? '—'} → ${c.after ?? '—'})` : '';
      return `${SYMBOL[c.action]} ${c.action.padEnd(6)} ${c.resource}: ${c.detail}${ba}`;
    })
    .join('\n');
}

/** Escapes text for one markdown table cell (values come from Azure and the cluster: no HTML, no row break). */
export const cell = markdownInline;

/** Plan as a markdown table for the job summary. */
export function planToMarkdown(changes: readonly Change[]): string {
  if (changes.length === 0) return '_Nothing to do._\n';
  const rows = changes.map(
    (c) => `| ${c.action} | ${cell(c.resource)} | ${cell(c.detail)} | ${cell(c.before)} | ${cell(c.after)} |`,
  );
  return ['| Action | Resource | Change | Before | After |', '| --- | --- | --- | --- | --- |', ...rows, ''].join('\n');
}
