import { randomUUID } from 'node:crypto';
import { json, type Reply, type RequestContext } from '../http';
import { nowSeconds, signJwt, toJwk, type Claims, type SigningKey } from '../jwt';

/**
 * An OpenID Connect issuer: discovery document + JWKS at `{issuer}/.well-known/...`, and a
 * `mint` that signs ID tokens with its own key. GitHub Actions, Azure Pipelines (and, for the
 * Kubernetes side, an AKS OIDC issuer) are instances that add their token request endpoints.
 */
export class OidcIssuer {
  constructor(
    readonly key: SigningKey,
    /** Path of the issuer below the server base, e.g. `/oidc/github`. */
    readonly path: string,
    private readonly baseUrl: () => string,
  ) {}

  get url(): string {
    return this.baseUrl() + this.path;
  }

  mint(claims: Claims, lifetimeSeconds = 300): string {
    const now = nowSeconds();
    return signJwt(this.key, { jti: randomUUID(), iss: this.url, iat: now, nbf: now - 5, exp: now + lifetimeSeconds, ...claims });
  }

  /** Discovery and JWKS; undefined when the path is not this issuer's. */
  handleDiscovery(ctx: RequestContext): Reply | undefined {
    if (ctx.method !== 'GET') return undefined;
    if (ctx.path === `${this.path}/.well-known/openid-configuration`) {
      return json(200, {
        issuer: this.url,
        jwks_uri: `${this.url}/.well-known/jwks`,
        subject_types_supported: ['public', 'pairwise'],
        response_types_supported: ['id_token'],
        claims_supported: ['sub', 'aud', 'exp', 'iat', 'iss', 'jti', 'nbf'],
        id_token_signing_alg_values_supported: [this.key.alg],
        scopes_supported: ['openid'],
      });
    }
    if (ctx.path === `${this.path}/.well-known/jwks`) return json(200, { keys: [toJwk(this.key)] });
    return undefined;
  }
}
