// The plan comment on a GitHub pull request, through @actions/github's Octokit (REST "Issue
// comments": a pull request is an issue for comments; https://docs.github.com/rest/issues/comments:
// GET /repos/{owner}/{repo}/issues/{issue_number}/comments (paged, Link header),
// POST /repos/{owner}/{repo}/issues/{issue_number}/comments {body},
// PATCH /repos/{owner}/{repo}/issues/comments/{comment_id} {body}).
import { getOctokit } from '@actions/github';
import type { StepDeadline } from '../engine/deadline';
import { UserError } from '../errors';
import { redactCredentials } from '../hosts/safe-output';
import { isOurComment } from './body';
import type { CommentOutcome } from './post';
import type { GitHubPullRequest } from './where';

/** Every request of one step: bounded by the time left and REQUEST_TIMEOUT_MS. */
const bounded = (deadline: StepDeadline) => ({ signal: AbortSignal.any([deadline.signal, AbortSignal.timeout(deadline.requestTimeoutMs())]) });

type Octokit = ReturnType<typeof getOctokit>;

/** The id of the first comment on the pull request that carries the marker, reading page by page until found. */
async function findComment(octokit: Octokit, pr: GitHubPullRequest, marker: string, deadline: StepDeadline): Promise<number | undefined> {
  const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
    owner: pr.owner,
    repo: pr.repo,
    issue_number: pr.number,
    per_page: 100,
    request: bounded(deadline),
  });
  for await (const page of pages) {
    const ours = page.data.find((c) => isOurComment(c.body, marker));
    if (ours) return ours.id;
  }
  return undefined;
}

/** Creates the comment, or updates the one an earlier run made. */
export async function upsertGitHubComment(pr: GitHubPullRequest, token: string, marker: string, body: string, deadline: StepDeadline): Promise<CommentOutcome> {
  // baseUrl from GITHUB_API_URL, so GitHub Enterprise Server works (<host>/api/v3).
  const octokit = getOctokit(token, { baseUrl: pr.apiUrl });
  try {
    const existing = await findComment(octokit, pr, marker, deadline);
    if (existing !== undefined) {
      await octokit.rest.issues.updateComment({ owner: pr.owner, repo: pr.repo, comment_id: existing, body, request: bounded(deadline) });
      return { action: 'updated', where: `pull request #${pr.number}` };
    }
    await octokit.rest.issues.createComment({ owner: pr.owner, repo: pr.repo, issue_number: pr.number, body, request: bounded(deadline) });
    return { action: 'created', where: `pull request #${pr.number}` };
  } catch (error) {
    throw gitHubCommentError(error, pr);
  }
}

/** What went wrong, as a UserError with the fix; the message GitHub gave is shown redacted. */
export function gitHubCommentError(error: unknown, pr: GitHubPullRequest): unknown {
  const status = (error as { status?: unknown }).status;
  const said = (error as { response?: { data?: { message?: unknown } } }).response?.data?.message;
  const because = typeof said === 'string' ? `: ${redactCredentials(said)}` : '';
  const what = `Could not comment the plan on pull request #${pr.number} of ${pr.owner}/${pr.repo}`;
  if (status === 401) return new UserError(`${what} (401${because}).`, "The token in 'github-token' is not valid; leave it at its default, the job's GITHUB_TOKEN.");
  if (status === 403 || status === 404) {
    return new UserError(
      `${what} (${status}${because}).`,
      "Give the job 'permissions: pull-requests: write' (a pull request from a fork gets a read-only token whatever the workflow asks), or set 'github-token' to a token that may comment.",
    );
  }
  if (typeof status === 'number') return new UserError(`${what} (GitHub answered ${status}${because}).`);
  return error;
}
