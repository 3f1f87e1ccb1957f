import { randomBytes, randomUUID } from 'node:crypto';
import { bearer, json, type Reply, type RequestContext } from '../http';
import type { Claims } from '../jwt';
import type { OidcIssuer } from './issuer';

export interface GitHubRunOptions {
  /** `owner/repo` */
  repository: string;
  /** Defaults to refs/heads/main. */
  ref?: string;
  /** When set, the subject is `repo:{repo}:environment:{env}` as GitHub does for environment jobs. */
  environment?: string;
  /** Override the subject entirely (custom subject claims). */
  subject?: string;
  /** Extra claims. */
  claims?: Claims;
}

export interface GitHubIdTokenRequest {
  url: string;
  token: string;
  subject: string;
  /** ACTIONS_ID_TOKEN_REQUEST_URL / ACTIONS_ID_TOKEN_REQUEST_TOKEN, as the runner sets them. */
  env: Record<string, string>;
}

/**
 * The GitHub Actions OIDC provider: the runner's ID token request endpoint
 * (`GET {ACTIONS_ID_TOKEN_REQUEST_URL}&audience=...` with `Authorization: Bearer
 * {ACTIONS_ID_TOKEN_REQUEST_TOKEN}` → `{value: jwt}`, which @actions/core getIDToken reads),
 * backed by an issuer standing in for https://token.actions.githubusercontent.com.
 */
export class GitHubActionsOidc {
  private readonly runs = new Map<string, Claims>();

  constructor(readonly issuer: OidcIssuer) {}

  createRequest(run: GitHubRunOptions): GitHubIdTokenRequest {
    const ref = run.ref ?? 'refs/heads/main';
    const subject = run.subject ?? (run.environment ? `repo:${run.repository}:environment:${run.environment}` : `repo:${run.repository}:ref:${ref}`);
    const owner = run.repository.split('/')[0] ?? '';
    const token = randomBytes(24).toString('hex');
    this.runs.set(token, {
      sub: subject,
      ref,
      ref_type: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
      repository: run.repository,
      repository_owner: owner,
      repository_id: '1',
      actor: owner,
      event_name: 'push',
      sha: randomBytes(20).toString('hex'),
      run_id: String(Date.now()),
      run_attempt: '1',
      workflow: 'ci',
      job_workflow_ref: `${run.repository}/.github/workflows/ci.yml@${ref}`,
      runner_environment: 'github-hosted',
      ...(run.environment ? { environment: run.environment } : {}),
      ...run.claims,
    });
    const url = `${this.issuer.url}/_apis/idtoken/${randomUUID()}?api-version=2.0`;
    return { url, token, subject, env: { ACTIONS_ID_TOKEN_REQUEST_URL: url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: token } };
  }

  handle(ctx: RequestContext): Reply | undefined {
    const discovery = this.issuer.handleDiscovery(ctx);
    if (discovery) return discovery;
    if (!ctx.path.startsWith(`${this.issuer.path}/_apis/idtoken/`)) return undefined;
    if (ctx.method !== 'GET') return json(405, { message: 'Method not allowed' });
    const claims = this.runs.get(bearer(ctx.req) ?? '');
    if (!claims) return json(401, { message: 'Bad credentials' });
    const owner = String(claims.repository_owner);
    const audience = ctx.url.searchParams.get('audience') || `https://github.com/${owner}`;
    return json(200, { count: 1, value: this.issuer.mint({ ...claims, aud: audience }) });
  }
}
