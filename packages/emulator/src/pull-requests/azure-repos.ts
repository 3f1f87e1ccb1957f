// Azure Repos pull-request threads (Azure DevOps REST), under `/azure-devops/{organization}` (a
// collection URI as System.TeamFoundationCollectionUri gives it, https://dev.azure.com/{organization}/).
//
// Shapes and api-version: MicrosoftDocs/vsts-rest-api-specs specification/git/7.1/git.json and its
// httpExamples/pullRequestThreads: "Pull Request Threads_List" GET
// {org}/{project}/_apis/git/repositories/{repositoryId}/pullRequests/{pullRequestId}/threads →
// `{ value: GitPullRequestCommentThread[], count }`; "Pull Request Threads_Create" POST .../threads
// `{ comments: [{ parentCommentId, content, commentType }], status }`; "Pull Request Thread
// Comments_Update" PATCH .../threads/{threadId}/comments/{commentId} `{ content }` → Comment.
// api-version is required ("This should be set to '7.1'"; without it Azure DevOps answers 400
// VssVersionNotSpecifiedException, as the stand-in's OIDC endpoint does too).
// Auth: a token the organization does not know is 401 (TF400813). A build identity without "Contribute
// to pull requests" writes nothing: 403 GitNeedsPermissionException "TF401027: You need the Git
// 'PullRequestContribute' permission to perform this action." (the body as Azure DevOps returns it,
// quoted in shayki5/azure-devops-create-pr-task issue #9; no spec documents it).
import { randomUUID } from 'node:crypto';
import { json, parseJson, type Reply, type RequestContext } from '../http';
import type { Route } from '../server';

export const AZURE_DEVOPS_PREFIX = '/azure-devops';

interface Comment {
  id: number;
  parentCommentId: number;
  content: string;
  commentType: string;
  author: { id: string; displayName: string };
  publishedDate: string;
  lastUpdatedDate: string;
  lastContentUpdatedDate: string;
  isDeleted?: boolean;
}

export interface Thread {
  id: number;
  status: string;
  comments: Comment[];
  properties: Record<string, unknown>;
  isDeleted: boolean;
  publishedDate: string;
  lastUpdatedDate: string;
}

export interface AzureDevOpsToken {
  organization: string;
  /** The build identity may "Contribute to pull requests" on the repository. */
  contribute: boolean;
  displayName?: string;
}

/** CommentThreadStatus and CommentType by their numbers (git.json x-ms-enum order). */
const THREAD_STATUS = ['unknown', 'active', 'fixed', 'wontFix', 'closed', 'byDesign', 'pending'];
const COMMENT_TYPE = ['unknown', 'text', 'codeChange', 'system'];
const enumValue = (names: string[], value: unknown, fallback: string) => (typeof value === 'number' ? names[value] : typeof value === 'string' && names.includes(value) ? value : undefined) ?? fallback;

export class AzureReposThreads {
  private readonly tokens = new Map<string, AzureDevOpsToken>();
  /** Threads by `org/project/repositoryId/pullRequestId` (lower-case). */
  private readonly prs = new Map<string, Thread[]>();
  private nextThread = 100;

  grantToken(token: string, grant: AzureDevOpsToken): void {
    this.tokens.set(token, grant);
  }

  openPullRequest(organization: string, project: string, repositoryId: string, pullRequestId: number): void {
    const key = prKey(organization, project, repositoryId, pullRequestId);
    this.prs.set(key, this.prs.get(key) ?? []);
  }

  threads(organization: string, project: string, repositoryId: string, pullRequestId: number): Thread[] {
    return this.prs.get(prKey(organization, project, repositoryId, pullRequestId)) ?? [];
  }

  route(): Route {
    return { surface: 'azure-devops', owns: (p) => p.startsWith(`${AZURE_DEVOPS_PREFIX}/`), handle: (ctx) => this.handle(ctx) };
  }

  private handle(ctx: RequestContext): Reply {
    const m = /^\/azure-devops\/([^/]+)\/([^/]+)\/_apis\/git\/repositories\/([^/]+)\/pullRequests\/(\d+)\/threads(?:\/(\d+)\/comments\/(\d+))?$/i.exec(ctx.path);
    const bearer = /^Bearer\s+(\S+)$/i.exec(ctx.req.headers.authorization ?? '');
    const grant = bearer ? this.tokens.get(bearer[1]!) : undefined;
    if (!grant || (m && decodeURIComponent(m[1]!).toLowerCase() !== grant.organization.toLowerCase())) {
      return json(401, { $id: '1', message: 'TF400813: The user is not authorized to access this resource.', typeKey: 'UnauthorizedRequestException' });
    }
    if (!ctx.url.searchParams.get('api-version')) {
      return json(400, { message: `No api-version was supplied for the "${ctx.method}" request.`, typeKey: 'VssVersionNotSpecifiedException' });
    }
    const threads = m ? this.prs.get(prKey(...(m.slice(1, 4).map(decodeURIComponent) as [string, string, string]), Number(m[4]))) : undefined;
    if (!m || !threads) return json(404, { message: 'TF401180: The requested pull request was not found.', typeKey: 'GitPullRequestNotFoundException' });
    if (m[5]) return this.onComment(ctx, threads, Number(m[5]), Number(m[6]), grant);
    if (ctx.method === 'GET') return json(200, { value: threads, count: threads.length });
    if (ctx.method !== 'POST') return json(405, { message: 'The requested resource does not support http method.' });
    if (!grant.contribute) return needsPermission();
    return this.createThread(ctx, threads, grant);
  }

  private createThread(ctx: RequestContext, threads: Thread[], grant: AzureDevOpsToken): Reply {
    const body = safeJson(ctx.body) as { comments?: { parentCommentId?: number; content?: unknown; commentType?: unknown }[]; status?: unknown } | undefined;
    const first = body?.comments?.[0];
    if (!first || typeof first.content !== 'string') return json(400, { message: 'The thread needs a comment with content.', typeKey: 'InvalidArgumentValueException' });
    const now = new Date().toISOString();
    const author = { id: randomUUID(), displayName: grant.displayName ?? 'Project Build Service' };
    const thread: Thread = {
      id: this.nextThread++,
      status: enumValue(THREAD_STATUS, body?.status, 'active'),
      comments: [{ id: 1, parentCommentId: 0, content: first.content, commentType: enumValue(COMMENT_TYPE, first.commentType, 'text'), author, publishedDate: now, lastUpdatedDate: now, lastContentUpdatedDate: now }],
      properties: {},
      isDeleted: false,
      publishedDate: now,
      lastUpdatedDate: now,
    };
    threads.push(thread);
    return json(200, thread);
  }

  private onComment(ctx: RequestContext, threads: Thread[], threadId: number, commentId: number, grant: AzureDevOpsToken): Reply {
    const comment = threads.find((t) => t.id === threadId)?.comments.find((c) => c.id === commentId);
    if (!comment) return json(404, { message: `TF401181: The pull request thread or comment was not found.`, typeKey: 'GitPullRequestCommentNotFoundException' });
    if (ctx.method === 'GET') return json(200, comment);
    if (ctx.method !== 'PATCH') return json(405, { message: 'The requested resource does not support http method.' });
    if (!grant.contribute) return needsPermission();
    const content = (safeJson(ctx.body) as { content?: unknown } | undefined)?.content;
    if (typeof content !== 'string') return json(400, { message: 'The comment needs content.', typeKey: 'InvalidArgumentValueException' });
    const now = new Date().toISOString();
    Object.assign(comment, { content, lastUpdatedDate: now, lastContentUpdatedDate: now });
    return json(200, comment);
  }
}

const prKey = (organization: string, project: string, repositoryId: string, pullRequestId: number) => `${organization}/${project}/${repositoryId}/${pullRequestId}`.toLowerCase();

function safeJson(text: string): unknown {
  try {
    return parseJson(text);
  } catch {
    return undefined;
  }
}

const needsPermission = () =>
  json(403, {
    $id: '1',
    innerException: null,
    message: "TF401027: You need the Git 'PullRequestContribute' permission to perform this action. Details: identity 'Build\\00000000-0000-0000-0000-000000000000', scope 'repository'.",
    typeName: 'Microsoft.TeamFoundation.Git.Server.GitNeedsPermissionException, Microsoft.TeamFoundation.Git.Server',
    typeKey: 'GitNeedsPermissionException',
    errorCode: 0,
    eventId: 3000,
  });
