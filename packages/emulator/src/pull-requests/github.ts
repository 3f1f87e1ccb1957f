// GitHub's REST issue comments, as a pull request's conversation takes them, under `/github-api`
// (a client's GITHUB_API_URL: https://api.github.com, or <GHES>/api/v3).
//
// Shapes: https://docs.github.com/rest/issues/comments ("List issue comments": GET
// /repos/{owner}/{repo}/issues/{issue_number}/comments, `per_page` default 30 max 100, `page`,
// ascending by id, pages linked by the Link header (https://docs.github.com/rest/using-the-rest-api/using-pagination-in-the-rest-api);
// "Create an issue comment": POST {body} → 201; "Update an issue comment": PATCH
// /repos/{owner}/{repo}/issues/comments/{comment_id} {body} → 200).
// Auth: `Authorization: token <t>` or `Bearer <t>` (https://docs.github.com/rest/authentication/authenticating-to-the-rest-api);
// a bad token is 401 "Bad credentials"; a GITHUB_TOKEN without the permission a write needs is 403
// "Resource not accessible by integration" (https://docs.github.com/rest/using-the-rest-api/troubleshooting-the-rest-api);
// a repository the token cannot see is 404 "Not Found".
import { json, parseJson, type Reply, type RequestContext } from '../http';
import type { Route } from '../server';

export const GITHUB_API_PREFIX = '/github-api';
const DOCS = 'https://docs.github.com/rest/issues/comments';
/** GitHub's limit on a comment body (a longer one is a 422). */
const MAX_BODY = 65536;

export interface IssueComment {
  id: number;
  body: string;
  user: { login: string; type: 'User' | 'Bot' };
  created_at: string;
  updated_at: string;
}

export interface GitHubToken {
  /** `owner/name` the token is for (a GITHUB_TOKEN reaches its own repository only). */
  repository: string;
  /** `pull-requests: write` (or `issues: write`); without it, reads only. */
  write: boolean;
  login?: string;
}

export class GitHubIssueComments {
  private readonly tokens = new Map<string, GitHubToken>();
  /** Comments by `owner/name#number`. */
  private readonly threads = new Map<string, IssueComment[]>();
  private nextId = 1000;

  grantToken(token: string, grant: GitHubToken): void {
    this.tokens.set(token, grant);
  }

  /** Opens pull request `number` of `owner/name` (an issue, for comments). */
  openPullRequest(repository: string, number: number): void {
    this.threads.set(`${repository.toLowerCase()}#${number}`, this.threads.get(`${repository.toLowerCase()}#${number}`) ?? []);
  }

  comments(repository: string, number: number): IssueComment[] {
    return this.threads.get(`${repository.toLowerCase()}#${number}`) ?? [];
  }

  /** A comment someone else wrote (seeds pages the step must read through). */
  addComment(repository: string, number: number, body: string, login = 'octocat'): IssueComment {
    const comment = this.newComment(body, { login, type: 'User' });
    this.comments(repository, number).push(comment);
    return comment;
  }

  route(): Route {
    return { surface: 'github', owns: (p) => p.startsWith(`${GITHUB_API_PREFIX}/`), handle: (ctx) => this.handle(ctx) };
  }

  private newComment(body: string, user: IssueComment['user']): IssueComment {
    const now = new Date().toISOString();
    return { id: this.nextId++, body, user, created_at: now, updated_at: now };
  }

  private handle(ctx: RequestContext): Reply {
    const auth = /^(?:token|bearer)\s+(\S+)$/i.exec(ctx.req.headers.authorization ?? '');
    const grant = auth ? this.tokens.get(auth[1]!) : undefined;
    if (!grant) return json(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
    const path = ctx.path.slice(GITHUB_API_PREFIX.length);
    const list = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(path);
    const one = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(path);
    const repository = `${(list ?? one)?.[1]}/${(list ?? one)?.[2]}`.toLowerCase();
    if (!(list ?? one) || repository !== grant.repository.toLowerCase()) return notFound();
    if (list) return this.onIssue(ctx, repository, Number(list[3]), grant);
    return this.onComment(ctx, repository, Number(one![3]), grant);
  }

  private onIssue(ctx: RequestContext, repository: string, number: number, grant: GitHubToken): Reply {
    const comments = this.threads.get(`${repository}#${number}`);
    if (!comments) return notFound();
    if (ctx.method === 'GET') return page(ctx, comments);
    if (ctx.method !== 'POST') return json(404, { message: 'Not Found', documentation_url: DOCS });
    if (!grant.write) return forbidden();
    const body = bodyOf(ctx);
    if (typeof body !== 'string' || body.length > MAX_BODY) return invalid();
    const comment = this.newComment(body, { login: grant.login ?? 'github-actions[bot]', type: 'Bot' });
    comments.push(comment);
    return json(201, comment);
  }

  private onComment(ctx: RequestContext, repository: string, id: number, grant: GitHubToken): Reply {
    const comment = [...this.threads.entries()].filter(([k]) => k.startsWith(`${repository}#`)).flatMap(([, c]) => c).find((c) => c.id === id);
    if (!comment) return notFound();
    if (ctx.method === 'GET') return json(200, comment);
    if (ctx.method !== 'PATCH') return json(404, { message: 'Not Found', documentation_url: DOCS });
    if (!grant.write) return forbidden();
    const body = bodyOf(ctx);
    if (typeof body !== 'string' || body.length > MAX_BODY) return invalid();
    comment.body = body;
    comment.updated_at = new Date().toISOString();
    return json(200, comment);
  }
}

function bodyOf(ctx: RequestContext): unknown {
  try {
    return (parseJson(ctx.body) as { body?: unknown } | undefined)?.body;
  } catch {
    return undefined;
  }
}

/** One page of the list, with the Link header GitHub sends when there are more (rel next/last, prev/first). */
function page(ctx: RequestContext, comments: IssueComment[]): Reply {
  const perPage = Math.min(100, Math.max(1, Number(ctx.url.searchParams.get('per_page') ?? 30) || 30));
  const current = Math.max(1, Number(ctx.url.searchParams.get('page') ?? 1) || 1);
  const last = Math.max(1, Math.ceil(comments.length / perPage));
  const link = (n: number, rel: string) => {
    const url = new URL(ctx.path, ctx.base);
    url.searchParams.set('per_page', String(perPage));
    url.searchParams.set('page', String(n));
    return `<${url.href}>; rel="${rel}"`;
  };
  const links = [...(current < last ? [link(current + 1, 'next'), link(last, 'last')] : []), ...(current > 1 ? [link(current - 1, 'prev'), link(1, 'first')] : [])];
  return json(200, comments.slice((current - 1) * perPage, current * perPage), links.length ? { link: links.join(', ') } : undefined);
}

const notFound = () => json(404, { message: 'Not Found', documentation_url: DOCS });
const forbidden = () => json(403, { message: 'Resource not accessible by integration', documentation_url: DOCS, status: '403' });
const invalid = () => json(422, { message: 'Validation Failed', errors: [{ resource: 'IssueComment', code: 'custom', field: 'body' }], documentation_url: DOCS });
