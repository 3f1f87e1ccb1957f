import { json, type Reply, type RequestContext } from '../http';
import { decodeJwt, nowSeconds, toJwk, verifySignature, type SigningKey } from '../jwt';
import { TOKEN_EXCHANGE_AUDIENCE, type Directory } from './directory';
import { aadError } from './errors';
import { clientCredentials } from './client-credentials';
import { sameAudience, type AccessTokens } from './tokens';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const FIC_DOCS = 'https://learn.microsoft.com/entra/workload-id/workload-identity-federation';

export interface EntraOptions {
  directory: Directory;
  tokens: AccessTokens;
  key: SigningKey;
  /** Whether a resource (scope without /.default) has a service principal in the tenant. */
  isKnownResource: (resource: string) => boolean;
  /** The signing key of an OIDC issuer the stand-in runs, by issuer URL. */
  issuerKey: (issuer: string) => SigningKey | undefined;
}

/**
 * login.microsoftonline.com for the client-credentials flow: tenant discovery, JWKS, instance
 * discovery (MSAL asks for it unless told not to), and the v2 (and v1) token endpoint with
 * client secrets and federated client assertions.
 */
export class EntraService {
  constructor(private readonly o: EntraOptions) {}

  handle(ctx: RequestContext): Reply | undefined {
    const parts = ctx.path.split('/').filter(Boolean);
    const tenant = parts[0];
    if (!tenant) return undefined;
    const rest = parts.slice(1).join('/').toLowerCase();
    if (ctx.method === 'GET' && tenant === 'common' && rest === 'discovery/instance') return this.instanceDiscovery(ctx);
    if (ctx.method === 'GET' && (rest === 'discovery/v2.0/keys' || rest === 'discovery/keys')) return json(200, { keys: [toJwk(this.o.key)] });
    if (ctx.method === 'GET' && (rest === 'v2.0/.well-known/openid-configuration' || rest === '.well-known/openid-configuration')) {
      return this.openidConfiguration(ctx, tenant, rest.startsWith('v2.0'));
    }
    if (rest === 'oauth2/v2.0/token' || rest === 'oauth2/token') {
      if (ctx.method !== 'POST') return json(405, { error: 'invalid_request' });
      return this.token(ctx, tenant, rest === 'oauth2/v2.0/token');
    }
    return undefined;
  }

  private openidConfiguration(ctx: RequestContext, tenant: string, v2: boolean): Reply {
    const isAlias = ['common', 'organizations', 'consumers'].includes(tenant.toLowerCase());
    if (!isAlias && !this.o.directory.hasTenant(tenant)) return this.tenantNotFound(tenant);
    const t = isAlias ? '{tenantid}' : tenant;
    const base = `${ctx.base}/${tenant}`;
    const v = v2 ? '/v2.0' : '';
    return json(200, {
      token_endpoint: `${base}/oauth2${v}/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${base}/discovery${v}/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: [this.o.key.alg],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${ctx.base}/${t}${v}`,
      request_uri_parameter_supported: false,
      authorization_endpoint: `${base}/oauth2${v}/authorize`,
      device_authorization_endpoint: `${base}/oauth2${v}/devicecode`,
      end_session_endpoint: `${base}/oauth2${v}/logout`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'oid', 'tid', 'ver'],
      tenant_region_scope: 'NA',
      cloud_instance_name: 'microsoftonline.com',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: 'graph.microsoft.com',
      rbac_url: 'https://pas.windows.net',
    });
  }

  /**
   * MSAL's authority validation. Real Entra answers `invalid_instance` for hosts it does not
   * own; the stand-in vouches for whatever host the client names so MSAL proceeds to the
   * tenant discovery document of that host (which is the stand-in).
   */
  private instanceDiscovery(ctx: RequestContext): Reply {
    const endpoint = ctx.url.searchParams.get('authorization_endpoint');
    let host = new URL(ctx.base).host;
    let tenant = 'common';
    if (endpoint) {
      try {
        const u = new URL(endpoint);
        host = u.host;
        tenant = u.pathname.split('/').filter(Boolean)[0] ?? tenant;
      } catch {
        return json(400, { error: 'invalid_request', error_description: 'AADSTS50049: Unknown or invalid instance.' });
      }
    }
    return json(200, {
      tenant_discovery_endpoint: `https://${host}/${tenant}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });
  }

  private tenantNotFound(tenant: string): Reply {
    return aadError(400, 'invalid_request', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`);
  }

  private token(ctx: RequestContext, tenant: string, v2: boolean): Reply {
    const form = new URLSearchParams(ctx.body);
    if (!this.o.directory.hasTenant(tenant)) return this.tenantNotFound(tenant);
    const grant = form.get('grant_type');
    if (grant !== 'client_credentials') {
      return aadError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant ?? ''}'.`);
    }
    const { clientId, secret } = clientCredentials(ctx, form);
    if (!clientId) return aadError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.");
    const app = this.o.directory.app(tenant, clientId);
    if (!app) {
      return aadError(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`);
    }

    const assertion = form.get('client_assertion');
    if (assertion) {
      const failure = this.checkAssertion(app.clientId, form.get('client_assertion_type'), assertion, app.federatedCredentials);
      if (failure) return failure;
    } else if (secret !== null) {
      if (!app.secrets.includes(secret)) {
        return aadError(401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`);
      }
    } else {
      return aadError(401, 'invalid_client', 7000216, "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.");
    }

    let resource: string;
    if (v2) {
      const scope = (form.get('scope') ?? '').split(' ').find((s) => s.endsWith('/.default'));
      if (!scope) {
        return aadError(400, 'invalid_scope', 1002012, `The provided value for scope ${form.get('scope') ?? ''} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
      }
      resource = scope.slice(0, -'/.default'.length);
      // ARM's scope is "https://management.azure.com//.default" in some SDKs: the token's aud keeps one slash.
    } else {
      resource = form.get('resource') ?? '';
    }
    if (!this.o.isKnownResource(resource)) {
      return aadError(400, 'invalid_resource', 500011, `The resource principal named ${resource} was not found in the tenant named ${tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`);
    }
    const { token, expiresOn } = this.o.tokens.issue({ tenantId: app.tenantId, appId: app.clientId, objectId: app.objectId }, resource);
    const expiresIn = expiresOn - nowSeconds();
    return json(200, {
      token_type: 'Bearer',
      expires_in: expiresIn,
      ext_expires_in: expiresIn,
      ...(v2 ? {} : { expires_on: String(expiresOn), not_before: String(nowSeconds()), resource }),
      access_token: token,
    });
  }

  /** Workload identity federation: the assertion is an OIDC token from a trusted issuer. */
  private checkAssertion(
    clientId: string,
    type: string | null,
    assertion: string,
    credentials: { issuer: string; subject: string; audiences?: string[] }[],
  ): Reply | undefined {
    if (type !== JWT_BEARER) {
      return aadError(400, 'invalid_request', 700003, `Invalid client_assertion_type '${type ?? ''}'. Expected '${JWT_BEARER}'.`);
    }
    const jwt = decodeJwt(assertion);
    if (!jwt) return aadError(400, 'invalid_request', 50027, 'JWT token is invalid or malformed.');
    const iss = String(jwt.payload.iss ?? '');
    const sub = String(jwt.payload.sub ?? '');
    const auds = ([] as unknown[]).concat(jwt.payload.aud ?? []).map(String);
    const byIssuer = credentials.filter((c) => sameAudience(c.issuer, iss));
    const key = this.o.issuerKey(iss);
    if (byIssuer.length === 0 || !key) {
      return aadError(400, 'invalid_request', 700211, `No matching federated identity record found for presented assertion issuer '${iss}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. ${FIC_DOCS}`);
    }
    if (!verifySignature(jwt, key)) {
      return aadError(401, 'invalid_client', 50013, `Assertion failed signature validation. [Reason - The key was not found., Thumbprint of key used by client: '${String(jwt.header.kid ?? '')}'. Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${clientId}'.]`);
    }
    const now = nowSeconds();
    const exp = Number(jwt.payload.exp);
    const nbf = Number(jwt.payload.nbf ?? jwt.payload.iat ?? 0);
    if (!Number.isFinite(exp) || exp < now || nbf > now + 300) {
      const fmt = (s: number) => new Date(s * 1000).toISOString();
      return aadError(400, 'invalid_client', 700024, `Client assertion is not within its valid time range. Current time: ${fmt(now)}, assertion valid from ${fmt(nbf)}, expiry time of assertion ${Number.isFinite(exp) ? fmt(exp) : 'none'}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .`);
    }
    const bySubject = byIssuer.filter((c) => c.subject === sub);
    if (bySubject.length === 0) {
      return aadError(400, 'invalid_request', 700213, `No matching federated identity record found for presented assertion subject '${sub}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. ${FIC_DOCS}`);
    }
    const match = bySubject.find((c) => (c.audiences ?? [TOKEN_EXCHANGE_AUDIENCE]).some((a) => auds.includes(a)));
    if (!match) {
      return aadError(400, 'invalid_request', 700212, `No matching federated identity record found for presented assertion audience '${auds.join(',')}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. ${FIC_DOCS}`);
    }
    return undefined;
  }
}
