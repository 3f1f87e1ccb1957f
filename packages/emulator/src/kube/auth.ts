/**
 * Bearer-token authentication and a small authorizer. Static tokens stand for the AKS local
 * accounts (clusterUser / clusterAdmin); an optional verifier accepts Entra ID access tokens
 * (AAD-enabled clusters). Denials are seeded per identity so tests can reproduce missing RBAC.
 */
export interface Identity {
  user: string;
  groups: string[];
}

/**
 * Verifies an Entra ID access token. Returns the identity, or undefined/throws when the token is
 * invalid or expired (both answered with 401, as the API server's webhook authenticator does).
 */
export type TokenVerifier = (token: string) => Identity | undefined | Promise<Identity | undefined>;

export interface DenyRule {
  /** The user name the rule applies to. */
  user: string;
  /** API verb (get, list, watch, create, update, patch, delete); any when absent. */
  verb?: string;
  /** Resource plural, with `/status` for the subresource; any when absent. */
  resource?: string;
  namespace?: string;
}

export class Authorizer {
  private readonly tokens = new Map<string, Identity>();
  private readonly denies: DenyRule[] = [];

  constructor(private readonly verifier?: TokenVerifier) {}

  addToken(token: string, identity: Identity): void {
    this.tokens.set(token, identity);
  }

  /** Seeds a denial: matching requests by `user` get 403 Forbidden. */
  deny(rule: DenyRule): void {
    this.denies.push(rule);
  }

  clearDenials(): void {
    this.denies.length = 0;
  }

  async authenticate(authorization: string | undefined): Promise<Identity | undefined> {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!m) return undefined;
    const token = m[1]!;
    const known = this.tokens.get(token);
    if (known) return known;
    if (!this.verifier) return undefined;
    try {
      return (await this.verifier(token)) ?? undefined;
    } catch {
      return undefined;
    }
  }

  allowed(id: Identity, verb: string, resource: string, namespace: string | undefined): boolean {
    if (id.groups.includes('system:masters')) return true;
    return !this.denies.some(
      (d) => d.user === id.user && (!d.verb || d.verb === verb) && (!d.resource || d.resource === resource) && (!d.namespace || d.namespace === namespace),
    );
  }
}
