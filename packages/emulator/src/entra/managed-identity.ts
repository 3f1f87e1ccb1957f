import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { send, json } from '../http';
import type { Directory, ManagedIdentity } from './directory';
import type { AccessTokens } from './tokens';

/**
 * The App Service managed identity endpoint (IDENTITY_ENDPOINT + IDENTITY_HEADER, plain http on
 * loopback as on a real App Service worker): `GET ?api-version=2019-08-01&resource=...` with
 * `X-IDENTITY-HEADER` → `{access_token, expires_on, resource, token_type, client_id}`.
 * The header value selects the identity, so several "apps" can share one endpoint.
 */
export class ManagedIdentityEndpoint {
  private server?: Server;
  url = '';

  constructor(
    private readonly directory: Directory,
    private readonly tokens: AccessTokens,
    private readonly isKnownResource: (resource: string) => boolean,
  ) {}

  async start(port = 0): Promise<void> {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const header = req.headers['x-identity-header'];
      const mi = typeof header === 'string' ? this.directory.identityByHeader(header) : undefined;
      if (!mi) return send(res, json(401, { statusCode: 401, message: 'Unauthorized: missing or invalid X-IDENTITY-HEADER.' }));
      if (!url.searchParams.get('api-version')) return send(res, json(400, { statusCode: 400, message: 'api-version is required.' }));
      const resource = url.searchParams.get('resource') ?? '';
      const requested = url.searchParams.get('client_id') ?? url.searchParams.get('principal_id') ?? url.searchParams.get('object_id');
      if (requested && requested.toLowerCase() !== mi.clientId.toLowerCase() && requested.toLowerCase() !== mi.principalId.toLowerCase()) {
        return send(res, json(400, { statusCode: 400, message: `No User Assigned or Delegated Managed Identity found for specified ClientId/ResourceId/PrincipalId.` }));
      }
      if (!this.isKnownResource(resource.replace(/\/\.default$/, ''))) {
        return send(res, json(400, { statusCode: 400, message: `AADSTS500011: The resource principal named ${resource} was not found in the tenant.` }));
      }
      const audience = resource.replace(/\/\.default$/, '');
      const { token, expiresOn } = this.tokens.issue({ tenantId: mi.tenantId, appId: mi.clientId, objectId: mi.principalId }, audience);
      send(res, json(200, { access_token: token, expires_on: String(expiresOn), resource: audience, token_type: 'Bearer', client_id: mi.clientId }));
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/msi/token`;
  }

  /** IDENTITY_ENDPOINT / IDENTITY_HEADER for one identity, as App Service sets them. */
  env(mi: ManagedIdentity): Record<string, string> {
    return { IDENTITY_ENDPOINT: this.url, IDENTITY_HEADER: mi.header };
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
}
