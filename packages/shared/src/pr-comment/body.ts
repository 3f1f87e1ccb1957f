// The pull-request comment a dry run posts (`comment-on-pr`): the plan as the log shows it, in a
// code block nothing in the plan can leave, under a hidden marker that says which step in which
// pipeline wrote it, so the next run finds and updates the same comment.
import { createHash } from 'node:crypto';
import { redactCredentials } from '../hosts/safe-output';

/**
 * What identifies one use of a step in a pipeline, stable across pushes to the pull request and
 * distinct for two uses of the same step in one job (see where.ts for each host's parts).
 */
export interface CommentKey {
  stepId: string;
  /** The host's names for the pipeline, the job and the step, in order (e.g. workflow file, job id, step id). */
  parts: readonly string[];
}

/** The marker's prefix; the rest is a hash of the key, so no value from the pipeline is put in HTML. */
const MARKER_PREFIX = '<!-- private-wire:plan:';

/**
 * The hidden first line of the comment: `<!-- private-wire:plan:<step id>:<hash> -->`. The step id is
 * ours (kebab-case); the pipeline's names, which its authors choose, go in only as a SHA-256, so they
 * cannot end the HTML comment early.
 */
export function commentMarker(key: CommentKey): string {
  const hash = createHash('sha256').update(JSON.stringify([key.stepId, ...key.parts])).digest('hex').slice(0, 32);
  return `${MARKER_PREFIX}${key.stepId.replace(/[^a-z0-9-]/g, '')}:${hash} -->`;
}

/** Whether a comment's text is the one this marker names (the marker is its first line). */
export function isOurComment(body: string | undefined, marker: string): boolean {
  return typeof body === 'string' && (body.startsWith(`${marker}\n`) || body === marker);
}

/** A backtick fence longer than any run of backticks in the text (at least three), so the text cannot close it. */
export function fenceFor(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(Math.max(3, longest + 1));
}

/**
 * GitHub refuses a comment body over 65536 characters (REST "Create an issue comment":
 * `body` ... "Validation failed" past the limit, https://docs.github.com/rest/issues/comments);
 * Azure DevOps documents no limit for a thread comment, so the same bound keeps both readable.
 */
export const MAX_PLAN_CHARS = 60_000;

export interface PlanComment {
  marker: string;
  /** The step's title (our metadata). */
  title: string;
  stepId: string;
  /** The plan as planToText writes it; untrusted text from Azure, the cluster and inputs. */
  planText: string;
  changed: boolean;
  warnings: readonly string[];
  /** The step's failure, when it failed after planning (the plan is still shown). */
  failure?: string;
  /** This run as a person looks it up (host.runReference()), untrusted. */
  run?: string;
}

/** Every untrusted text, as one block: credential-looking parts redacted, length bounded. */
function planBlock(comment: PlanComment): string {
  const lines = [comment.planText];
  if (comment.warnings.length > 0) lines.push('', 'Warnings:', ...comment.warnings.map((w) => `! ${w}`));
  if (comment.failure) lines.push('', `Failed: ${comment.failure}`);
  if (comment.run) lines.push('', `From ${comment.run}.`);
  let text = redactCredentials(lines.join('\n')).replace(/\r\n|\r/g, '\n');
  if (text.length > MAX_PLAN_CHARS) text = `${text.slice(0, MAX_PLAN_CHARS)}\n… (cut: the job summary and the log have the whole plan)`;
  return text;
}

/**
 * The comment's markdown. Only the marker, our own title and step id stand outside the code block;
 * everything else is inside a fence it cannot close, where markdown renders neither HTML nor
 * @-mentions nor #-references.
 */
export function renderPlanComment(comment: PlanComment): string {
  const block = planBlock(comment);
  const fence = fenceFor(block);
  const verdict = comment.failure ? 'the step failed after planning' : comment.changed ? 'a real run would make the changes below' : 'nothing would change';
  return [
    comment.marker,
    `### ${comment.title} — dry-run plan`,
    '',
    `\`${comment.stepId}\` read the current state and wrote nothing: ${verdict}.`,
    '',
    `${fence}text`,
    block,
    fence,
    '',
    '<sub>Posted by private-wire (`comment-on-pr`); each later dry run of this step in this pipeline updates this comment.</sub>',
  ].join('\n');
}
