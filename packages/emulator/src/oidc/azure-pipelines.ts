import { randomBytes, randomUUID } from 'node:crypto';
import { bearer, json, type Reply, type RequestContext } from '../http';
import { TOKEN_EXCHANGE_AUDIENCE } from '../entra/directory';
import type { OidcIssuer } from './issuer';

export interface ServiceConnection {
  id: string;
  name: string;
}

export interface AzurePipelinesJobOptions {
  organization: string;
  project: string;
  serviceConnections: ServiceConnection[];
  /** Organization id (a GUID); part of the issuer URL as in https://vstoken.dev.azure.com/{orgId}. */
  organizationId?: string;
}

export interface AzurePipelinesOidcRequest {
  /** SYSTEM_OIDCREQUESTURI */
  requestUri: string;
  /** System.AccessToken (SYSTEM_ACCESSTOKEN) */
  accessToken: string;
  issuer: string;
  env: Record<string, string>;
}

interface Job {
  organization: string;
  project: string;
  organizationId: string;
  connections: Map<string, ServiceConnection>;
}

/**
 * The Azure DevOps OIDC endpoint of a pipeline job: `POST {SYSTEM_OIDCREQUESTURI}?api-version=7.1
 * &serviceConnectionId={id}` with `Authorization: Bearer {System.AccessToken}` → `{oidcToken}`
 * (what @azure/identity's AzurePipelinesCredential and the AzureCLI@2 task call). Tokens have
 * subject `sc://{org}/{project}/{service connection name}` and audience api://AzureADTokenExchange.
 */
export class AzurePipelinesOidc {
  private readonly jobs = new Map<string, Job>();

  constructor(
    /** Issuer whose path is the prefix for per-organization issuers (`{path}/{orgId}`). */
    private readonly issuerFor: (organizationId: string) => OidcIssuer,
    private readonly requestPath: string,
    private readonly baseUrl: () => string,
  ) {}

  createRequest(job: AzurePipelinesJobOptions): AzurePipelinesOidcRequest {
    const organizationId = job.organizationId ?? randomUUID();
    const accessToken = randomBytes(32).toString('base64url');
    this.jobs.set(accessToken, {
      organization: job.organization,
      project: job.project,
      organizationId,
      connections: new Map(job.serviceConnections.map((c) => [c.id.toLowerCase(), c])),
    });
    const requestUri = `${this.baseUrl()}${this.requestPath}/${encodeURIComponent(job.organization)}/${randomUUID()}/_apis/distributedtask/hubs/build/plans/${randomUUID()}/jobs/${randomUUID()}/oidctoken`;
    return {
      requestUri,
      accessToken,
      issuer: this.issuerFor(organizationId).url,
      env: { SYSTEM_OIDCREQUESTURI: requestUri, SYSTEM_ACCESSTOKEN: accessToken },
    };
  }

  handle(ctx: RequestContext): Reply | undefined {
    if (!ctx.path.startsWith(this.requestPath + '/') || !ctx.path.endsWith('/oidctoken')) return undefined;
    if (ctx.method !== 'POST') return json(405, { message: 'The requested resource does not support http method.' });
    const job = this.jobs.get(bearer(ctx.req) ?? '');
    if (!job) return json(401, { message: 'TF400813: The user is not authorized to access this resource.' });
    if (!ctx.url.searchParams.get('api-version')) {
      return json(400, { message: 'No api-version was supplied for the "POST" request.', typeKey: 'VssVersionNotSpecifiedException' });
    }
    const id = ctx.url.searchParams.get('serviceConnectionId') ?? '';
    const connection = job.connections.get(id.toLowerCase());
    if (!connection) {
      return json(404, { message: `Service connection '${id}' was not found or the pipeline is not authorized to use it.` });
    }
    const issuer = this.issuerFor(job.organizationId);
    const oidcToken = issuer.mint(
      { sub: `sc://${job.organization}/${job.project}/${connection.name}`, aud: TOKEN_EXCHANGE_AUDIENCE, ac: randomUUID(), oid: job.organizationId },
      900,
    );
    return json(200, { oidcToken });
  }
}
