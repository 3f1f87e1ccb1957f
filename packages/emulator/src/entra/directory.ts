import { randomUUID } from 'node:crypto';

/** A federated identity credential on an app registration (Entra "workload identity federation"). */
export interface FederatedCredential {
  name?: string;
  issuer: string;
  subject: string;
  /** Defaults to `api://AzureADTokenExchange`, as in the portal. */
  audiences?: string[];
}

export interface AppRegistration {
  clientId: string;
  tenantId: string;
  /** Object id of the app's service principal: the `oid` of the tokens it gets. */
  objectId: string;
  displayName: string;
  secrets: string[];
  federatedCredentials: FederatedCredential[];
}

export interface ManagedIdentity {
  clientId: string;
  principalId: string;
  tenantId: string;
  /** The App Service IDENTITY_HEADER value that selects this identity. */
  header: string;
}

export const TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';

/** Tenants, app registrations and managed identities the stand-in knows. Ids compare case-insensitively. */
export class Directory {
  readonly tenants = new Set<string>();
  private readonly apps = new Map<string, AppRegistration>();
  private readonly identities = new Map<string, ManagedIdentity>();

  constructor(readonly defaultTenantId: string) {
    this.tenants.add(defaultTenantId.toLowerCase());
  }

  hasTenant(tenant: string): boolean {
    return this.tenants.has(tenant.toLowerCase());
  }

  registerApp(input: Partial<AppRegistration> & { clientId?: string }): AppRegistration {
    const app: AppRegistration = {
      clientId: input.clientId ?? randomUUID(),
      tenantId: input.tenantId ?? this.defaultTenantId,
      objectId: input.objectId ?? randomUUID(),
      displayName: input.displayName ?? 'private-wire-test-app',
      secrets: input.secrets ?? [],
      federatedCredentials: input.federatedCredentials ?? [],
    };
    this.tenants.add(app.tenantId.toLowerCase());
    this.apps.set(`${app.tenantId}/${app.clientId}`.toLowerCase(), app);
    return app;
  }

  app(tenantId: string, clientId: string): AppRegistration | undefined {
    return this.apps.get(`${tenantId}/${clientId}`.toLowerCase());
  }

  allApps(): AppRegistration[] {
    return [...this.apps.values()];
  }

  registerManagedIdentity(input: Partial<ManagedIdentity> = {}): ManagedIdentity {
    const mi: ManagedIdentity = {
      clientId: input.clientId ?? randomUUID(),
      principalId: input.principalId ?? randomUUID(),
      tenantId: input.tenantId ?? this.defaultTenantId,
      header: input.header ?? randomUUID(),
    };
    this.tenants.add(mi.tenantId.toLowerCase());
    this.identities.set(mi.header, mi);
    return mi;
  }

  identityByHeader(header: string): ManagedIdentity | undefined {
    return this.identities.get(header);
  }
}
