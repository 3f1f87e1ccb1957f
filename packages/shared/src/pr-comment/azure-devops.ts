// The plan comment on an Azure Repos pull request: the first comment of a thread of its own,
// through the Azure DevOps REST API with the job's access token (System.AccessToken).
//
// Shapes and api-version: MicrosoftDocs/vsts-rest-api-specs specification/git/7.1/git.json
// ("Pull Request Threads_List" GET .../pullRequests/{pullRequestId}/threads, answering
// `{ value: GitPullRequestCommentThread[], count }` as in its httpExamples/pullRequestThreads;
// "Pull Request Threads_Create" POST .../threads `{ comments: [{ parentCommentId: 0, content,
// commentType: 1 }], status: 1 }`; "Pull Request Thread Comments_Update" PATCH
// .../threads/{threadId}/comments/{commentId} `{ content }`), api-version 7.1.
import http from 'node:http';
import https from 'node:https';
import type { StepDeadline } from '../engine/deadline';
import { UserError } from '../errors';
import { redactCredentials } from '../hosts/safe-output';
import { proxyRoutes } from '../net/proxy-routes';
import { isOurComment } from './body';
import type { CommentOutcome } from './post';
import type { AzureReposPullRequest } from './where';

export const THREADS_API_VERSION = '7.1';

/** A response that was not 2xx. */
export class AzureDevOpsError extends Error {
  constructor(
    readonly status: number,
    readonly serverMessage: string | undefined,
  ) {
    super(`Azure DevOps answered ${status}`);
  }
}

interface Thread {
  id?: number;
  isDeleted?: boolean;
  comments?: { id?: number; parentCommentId?: number; content?: string; isDeleted?: boolean }[];
}

/** One JSON request, bounded by the step's deadline and REQUEST_TIMEOUT_MS, through the runner's proxy. */
function send(url: URL, method: string, token: string, deadline: StepDeadline, body?: unknown): Promise<unknown> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const client = url.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const request = client.request(
      url,
      {
        method,
        agent: proxyRoutes().agentFor(url.href),
        signal: AbortSignal.any([deadline.signal, AbortSignal.timeout(deadline.requestTimeoutMs())]),
        headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(payload ? { 'content-type': 'application/json' } : {}) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = response.statusCode ?? 0;
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          if (status >= 200 && status < 300) return resolve(json);
          const message = (json as { message?: unknown } | undefined)?.message;
          reject(new AzureDevOpsError(status, typeof message === 'string' ? message : undefined));
        });
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

function threadsUrl(pr: AzureReposPullRequest, suffix = ''): URL {
  const path = `${encodeURIComponent(pr.project)}/_apis/git/repositories/${encodeURIComponent(pr.repositoryId)}/pullRequests/${pr.pullRequestId}/threads${suffix}`;
  const url = new URL(path, pr.collectionUri);
  url.searchParams.set('api-version', THREADS_API_VERSION);
  return url;
}

/** The thread whose first comment carries the marker (its ids), if any. */
async function findThread(pr: AzureReposPullRequest, token: string, marker: string, deadline: StepDeadline): Promise<{ thread: number; comment: number } | undefined> {
  const answer = (await send(threadsUrl(pr), 'GET', token, deadline)) as { value?: Thread[] } | Thread[] | undefined;
  const threads = Array.isArray(answer) ? answer : (answer?.value ?? []);
  for (const thread of threads) {
    const first = thread.comments?.find((c) => !c.parentCommentId);
    if (!thread.isDeleted && first && !first.isDeleted && typeof thread.id === 'number' && typeof first.id === 'number' && isOurComment(first.content, marker)) {
      return { thread: thread.id, comment: first.id };
    }
  }
  return undefined;
}

/** Creates the thread, or updates the first comment of the one an earlier run made. */
export async function upsertAzureReposComment(pr: AzureReposPullRequest, token: string, marker: string, content: string, deadline: StepDeadline): Promise<CommentOutcome> {
  const where = `pull request ${pr.pullRequestId}`;
  try {
    const existing = await findThread(pr, token, marker, deadline);
    if (existing) {
      await send(threadsUrl(pr, `/${existing.thread}/comments/${existing.comment}`), 'PATCH', token, deadline, { content });
      return { action: 'updated', where };
    }
    // commentType 1 = text, status 1 = active (CommentType / CommentThreadStatus in the spec).
    await send(threadsUrl(pr), 'POST', token, deadline, { comments: [{ parentCommentId: 0, content, commentType: 1 }], status: 1 });
    return { action: 'created', where };
  } catch (error) {
    throw azureReposCommentError(error, pr);
  }
}

/** What went wrong, as a UserError with the fix. */
export function azureReposCommentError(error: unknown, pr: AzureReposPullRequest): unknown {
  if (!(error instanceof AzureDevOpsError)) return error;
  const because = error.serverMessage ? `: ${redactCredentials(error.serverMessage)}` : '';
  const what = `Could not comment the plan on pull request ${pr.pullRequestId} (${error.status}${because}).`;
  if (error.status === 401 || error.status === 403) {
    return new UserError(
      what,
      "Allow the pipeline's build service identity ('<project> Build Service (<organization>)') 'Contribute to pull requests' on the repository (Project settings > Repositories > Security), and check that the job's access token scope reaches the repository.",
    );
  }
  return new UserError(what);
}
