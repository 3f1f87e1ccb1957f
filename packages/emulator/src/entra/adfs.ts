import { json, type Reply, type RequestContext } from '../http';
import { nowSeconds, toJwk, type SigningKey } from '../jwt';
import type { Directory } from './directory';
import type { AccessTokens } from './tokens';
import { clientCredentials } from './client-credentials';

export interface AdfsOptions {
  directory: Directory;
  /** Issues AD FS access tokens (issuer `http://<host>/adfs/services/trust`). */
  tokens: AccessTokens;
  key: SigningKey;
  /** Whether a resource (scope without /.default) is registered. */
  isKnownResource: (resource: string) => boolean;
}

/**
 * An AD FS error body: `error` and an `error_description` starting with the MSIS code. No
 * Microsoft reference lists the MSIS texts; these are AD FS's answers as third-party AD FS
 * clients on GitHub record them (MSIS9607 unknown client_id, MSIS9622 bad client credential,
 * MSIS9602 unknown resource), with 400 for each.
 */
const adfsError = (error: string, description: string): Reply => json(400, { error, error_description: description });

/**
 * AD FS as disconnected Azure Stack Hub deployments use it: the authority is `<host>/adfs` (no
 * tenant; clients sign in to the tenant `adfs`), with the OpenID configuration MSAL reads for an
 * AD FS authority (`<authority>/.well-known/openid-configuration`, msal-common Authority
 * `defaultOpenIdConfigurationEndpoint`), its keys, and the client-credentials token endpoint.
 * MSAL asks for no instance discovery for it (@azure/identity puts an `adfs` authority in
 * `knownAuthorities`). Client secrets only: the stand-in does not check certificate assertions.
 */
export class AdfsService {
  constructor(private readonly o: AdfsOptions) {}

  static owns(path: string): boolean {
    return /^\/adfs(\/|$)/i.test(path);
  }

  handle(ctx: RequestContext): Reply | undefined {
    const rest = ctx.path.split('/').filter(Boolean).slice(1).join('/').toLowerCase();
    if (ctx.method === 'GET' && rest === '.well-known/openid-configuration') return json(200, this.openidConfiguration(ctx));
    if (ctx.method === 'GET' && rest === 'discovery/keys') return json(200, { keys: [toJwk(this.o.key)] });
    if (rest === 'oauth2/token') return ctx.method === 'POST' ? this.token(ctx) : json(405, { error: 'invalid_request' });
    return undefined;
  }

  /**
   * The discovery document's shape, from the AD FS example in "Single log-out for OpenID Connect
   * with AD FS" (https://learn.microsoft.com/windows-server/identity/ad-fs/development/ad-fs-logout-openid-connect).
   */
  private openidConfiguration(ctx: RequestContext): Record<string, unknown> {
    const adfs = `${ctx.base}/adfs`;
    return {
      issuer: adfs,
      authorization_endpoint: `${adfs}/oauth2/authorize/`,
      token_endpoint: `${adfs}/oauth2/token/`,
      jwks_uri: `${adfs}/discovery/keys`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic', 'private_key_jwt', 'windows_client_authentication'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token', 'code token', 'code id_token token'],
      response_modes_supported: ['query', 'fragment', 'form_post'],
      grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials', 'urn:ietf:params:oauth:grant-type:jwt-bearer', 'implicit', 'password', 'srv_challenge'],
      subject_types_supported: ['pairwise'],
      scopes_supported: ['allatclaims', 'email', 'user_impersonation', 'logon_cert', 'aza', 'profile', 'vpn_cert', 'winhello_cert', 'openid'],
      id_token_signing_alg_values_supported: [this.o.key.alg],
      token_endpoint_auth_signing_alg_values_supported: [this.o.key.alg],
      access_token_issuer: `http://${new URL(ctx.base).host}/adfs/services/trust`,
      claims_supported: ['aud', 'iss', 'iat', 'exp', 'auth_time', 'nonce', 'at_hash', 'c_hash', 'sub', 'upn', 'unique_name', 'pwd_url', 'pwd_exp', 'sid'],
      microsoft_multi_refresh_token: true,
      userinfo_endpoint: `${adfs}/userinfo`,
      capabilities: [],
      end_session_endpoint: `${adfs}/oauth2/logout`,
      frontchannel_logout_supported: true,
      frontchannel_logout_session_supported: true,
    };
  }

  /**
   * Client credentials (https://learn.microsoft.com/windows-server/identity/ad-fs/overview/ad-fs-openid-connect-oauth-flows-scenarios,
   * "Client credentials grant flow"): `client_id` + `client_secret` (form or Basic). The resource is
   * `resource`, or the scope without `/.default` as MSAL sends it; no public source says how AD FS
   * maps a `.default` scope, so the stand-in takes it as Entra ID does.
   */
  private token(ctx: RequestContext): Reply {
    const form = new URLSearchParams(ctx.body);
    if (form.get('grant_type') !== 'client_credentials') return adfsError('unsupported_grant_type', `The stand-in's AD FS supports the client_credentials grant only.`);
    const { clientId, secret } = clientCredentials(ctx, form);
    const app = clientId ? this.o.directory.allApps().find((a) => a.clientId.toLowerCase() === clientId!.toLowerCase()) : undefined;
    if (!app) return adfsError('invalid_client', "MSIS9607: The 'client_id' parameter in the request is invalid. No registered client is found with this identifier.");
    if (secret === null || !app.secrets.includes(secret)) {
      return adfsError('invalid_client', 'MSIS9622: Client authentication failed. Please verify the credential provided for client authentication is valid.');
    }
    const scope = (form.get('scope') ?? '').split(' ').find((s) => s.endsWith('/.default'));
    const resource = form.get('resource') ?? scope?.slice(0, -'/.default'.length) ?? '';
    if (!this.o.isKnownResource(resource)) {
      return adfsError('invalid_resource', "MSIS9602: The received 'resource' parameter is invalid. The authorization server can not find a registered resource with the specified identifier.");
    }
    // AD FS tokens name the app by appid; the stand-in keeps its directory's tid/oid in them too,
    // because its ARM keys callers by those (how Azure Stack's ARM maps AD FS callers is not emulated).
    const { token, expiresOn } = this.o.tokens.issue({ tenantId: app.tenantId, appId: app.clientId, objectId: app.objectId }, resource);
    return json(200, { access_token: token, token_type: 'Bearer', expires_in: expiresOn - nowSeconds() });
  }
}
