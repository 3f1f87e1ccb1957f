// How private endpoint connections are read and changed, per resource type: Private Link
// Services through @azure/arm-network, web apps through @azure/arm-appservice, every other
// Private Link resource through the generic ARM path `<resource>/privateEndpointConnections`
// with its provider's API version from providers.ts (which says, per provider, what its spec
// defines: etag, provisioning states).
import { NetworkManagementClient, type PrivateEndpointConnection } from '@azure/arm-network';
import { createWebSiteManagement, type WebSiteManagementContext } from '@azure/arm-appservice/api';
import {
  approveOrRejectPrivateEndpointConnection,
  getPrivateEndpointConnection,
  listPrivateEndpointConnectionList,
} from '@azure/arm-appservice/api/webApps';
import { armClientOptions } from '@private-wire/shared/azure/clients';
import type { AzureSession } from '@private-wire/shared/azure/credential';
import { formatResourceId, type ResourceId } from '@private-wire/shared/azure/resource-id';
import { PROVIDERS, providerOf, type ProviderRow } from './providers';

/** One private endpoint connection as the step sees it, whatever the provider. */
export interface Connection {
  id: string;
  name: string;
  /** Resource ID of the private endpoint that asked to connect. */
  endpointId?: string;
  /** Pending, Approved, Rejected, Disconnected. */
  status: string;
  description?: string;
  provisioningState?: string;
  /** The provider's etag, where it returns one: the write is conditioned on it (If-Match). */
  etag?: string;
}

export interface NewState {
  status: 'Approved' | 'Rejected';
  description: string;
}

export interface ConnectionAccess {
  /** How this resource type is reached, for the log. */
  via: string;
  /** What its spec says about its connections (etag, provisioning states). */
  provider: ProviderRow;
  list(): Promise<Connection[]>;
  /** One connection as the provider has it now. */
  get(name: string): Promise<Connection>;
  /**
   * Changes the state of a connection just read with `get`, conditioned on its etag where the
   * provider returns one (a 412 then means it changed). Returns the connection as the write
   * answered, or undefined when the provider only accepted it (202 without a body, or an SDK
   * long-running write not waited for: `wait` false).
   */
  write(current: Connection, state: NewState, wait: boolean): Promise<Connection | undefined>;
}

const PLS = 'microsoft.network/privatelinkservices';
const SITE = 'microsoft.web/sites';

/** `Provider/type/child…` of a parsed resource ID, lower-cased. */
export function typeKey(id: ResourceId): string {
  return `${id.provider}/${id.types.join('/')}`.toLowerCase();
}

/** Every resource type the step can act on, as users write them, for messages. */
export function supportedTypes(): string[] {
  return PROVIDERS.map((row) => row.type);
}

export function isSupported(id: ResourceId): boolean {
  return providerOf(typeKey(id)) !== undefined;
}

export function connectionAccess(session: AzureSession, resource: ResourceId): ConnectionAccess {
  const key = typeKey(resource);
  const provider = providerOf(key);
  if (!provider) throw new Error(`no provider row for ${key}`);
  // The resource may live in another subscription than the sign-in's default: address it there.
  if (key === PLS) return privateLinkServiceAccess(session, resource, provider);
  const context = createWebSiteManagement(session.credential, resource.subscriptionId, armClientOptions(session));
  if (key === SITE) return siteAccess(context, resource, provider);
  return genericAccess(context, resource, provider);
}

/** The fields every provider's SDK model of a private endpoint connection has in common. */
interface ConnectionModel {
  id?: string;
  name?: string;
  etag?: string;
  privateEndpoint?: { id?: string };
  privateLinkServiceConnectionState?: { status?: string; description?: string };
  provisioningState?: string;
}

function toConnection(c: ConnectionModel): Connection {
  return {
    id: c.id ?? '',
    name: c.name ?? '',
    endpointId: c.privateEndpoint?.id,
    status: c.privateLinkServiceConnectionState?.status ?? '',
    description: c.privateLinkServiceConnectionState?.description,
    provisioningState: c.provisioningState,
    etag: c.etag,
  };
}

const ifMatch = (etag: string | undefined) => ({ requestOptions: { customHeaders: etag ? { 'If-Match': etag } : ({} as Record<string, string>) } });

function privateLinkServiceAccess(session: AzureSession, resource: ResourceId, provider: ProviderRow): ConnectionAccess {
  const client = new NetworkManagementClient(session.credential, resource.subscriptionId, armClientOptions(session));
  const [rg, name] = [resource.resourceGroup, resource.names[0]!];
  const raw = new Map<string, PrivateEndpointConnection>();
  const get = async (connection: string) => {
    const c = await client.privateLinkServices.getPrivateEndpointConnection(rg, name, connection);
    raw.set(connection, c);
    return toConnection(c);
  };
  return {
    via: '@azure/arm-network (privateLinkServices)',
    provider,
    async list() {
      const out: Connection[] = [];
      for await (const c of client.privateLinkServices.listPrivateEndpointConnections(rg, name)) out.push(toConnection(c));
      return out;
    },
    get,
    async write(current, state) {
      // Send the connection as just read with only its state changed, as `az network
      // private-endpoint-connection approve` does; the SDK leaves read-only fields out. Network
      // private endpoint connections carry an etag (providers.ts), so the write is conditioned on
      // it. The update answers 200 with the connection (no long-running operation).
      const model = raw.get(current.name) ?? {};
      return toConnection(
        await client.privateLinkServices.updatePrivateEndpointConnection(
          rg,
          name,
          current.name,
          { ...model, name: current.name, privateLinkServiceConnectionState: { ...model.privateLinkServiceConnectionState, ...state } },
          ifMatch(current.etag),
        ),
      );
    },
  };
}

function siteAccess(context: WebSiteManagementContext, resource: ResourceId, provider: ProviderRow): ConnectionAccess {
  const [rg, name] = [resource.resourceGroup, resource.names[0]!];
  return {
    via: '@azure/arm-appservice (webApps)',
    provider,
    async list() {
      const out: Connection[] = [];
      for await (const c of listPrivateEndpointConnectionList(context, rg, name)) out.push(toConnection(c));
      return out;
    },
    get: async (connection) => toConnection(await getPrivateEndpointConnection(context, rg, name, connection)),
    async write(current, state, wait) {
      // App Service connections have no etag (providers.ts): the re-read just before is the only
      // guard, which leaves the time between that read and this write.
      // App Service approves as a long-running operation: `submitted` is the accepted PUT only.
      const poller = approveOrRejectPrivateEndpointConnection(context, rg, name, current.name, {
        privateLinkServiceConnectionState: { status: state.status, description: state.description },
      });
      if (!wait) {
        await poller.submitted();
        return undefined;
      }
      return toConnection(await poller.pollUntilDone());
    },
  };
}

/** An ARM error from a raw response, in the shape armErrorOf reads (as the SDKs' RestError). */
class ArmResponseError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string | undefined,
    message: string,
    readonly details: unknown,
  ) {
    super(message);
  }
}

interface RawConnection {
  id?: string;
  name?: string;
  etag?: string;
  properties?: {
    privateEndpoint?: { id?: string };
    privateLinkServiceConnectionState?: { status?: string; description?: string; actionsRequired?: string };
    provisioningState?: string;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

function fromRaw(c: RawConnection): Connection {
  return {
    etag: c.etag,
    id: c.id ?? '',
    name: c.name ?? '',
    endpointId: c.properties?.privateEndpoint?.id,
    status: c.properties?.privateLinkServiceConnectionState?.status ?? '',
    description: c.properties?.privateLinkServiceConnectionState?.description,
    provisioningState: c.properties?.provisioningState,
  };
}

/**
 * The generic path, over the same ARM pipeline the SDKs use (bearer token for the session's
 * scope, retries that honour 429 Retry-After): the App Service modular client's context is a
 * plain `@azure-rest/core-client` Client, so no other HTTP stack is bundled.
 */
function genericAccess(context: WebSiteManagementContext, resource: ResourceId, provider: ProviderRow): ConnectionAccess {
  const apiVersion = provider.apiVersion;
  const base = `${formatResourceId(resource)}/privateEndpointConnections`;
  const call = async (method: 'get' | 'put', path: string, options: { body?: unknown; headers?: Record<string, string> } = {}) => {
    const query = path.startsWith('http') ? {} : { queryParameters: { 'api-version': apiVersion } };
    const request = context.pathUnchecked(path);
    const response = await (method === 'get' ? request.get({ ...query, headers: options.headers }) : request.put({ ...query, headers: options.headers, body: options.body }));
    const status = Number(response.status);
    if (status >= 200 && status < 300) return response.body as unknown;
    const body = response.body as { error?: { code?: string; message?: string } } | undefined;
    throw new ArmResponseError(status, body?.error?.code, body?.error?.message ?? `HTTP ${status} from ${method.toUpperCase()} ${path}`, body);
  };
  const raw = new Map<string, RawConnection>();
  const get = async (name: string) => {
    const c = (await call('get', `${base}/${encodeURIComponent(name)}`)) as RawConnection;
    raw.set(name, c);
    return fromRaw(c);
  };
  return {
    via: `generic ARM path, api-version ${apiVersion}`,
    provider,
    async list() {
      const out: Connection[] = [];
      // Follow nextLink (absolute, with its own api-version) as every ARM list may page.
      for (let next: string | undefined = base; next; ) {
        const page = (await call('get', next)) as { value?: RawConnection[]; nextLink?: string } | undefined;
        out.push(...(page?.value ?? []).map(fromRaw));
        next = page?.nextLink || undefined;
      }
      return out;
    },
    get,
    async write(current, state) {
      // The PUT carries every property as just read (a PUT replaces) with only the state changed,
      // and, where the provider returned an etag, If-Match fails it if someone changed the
      // connection in between.
      const { id: _id, name: _name, type: _type, etag, properties, ...rest } = raw.get(current.name) ?? {};
      const body = {
        ...rest,
        ...(etag ? { etag } : {}),
        properties: {
          ...properties,
          privateLinkServiceConnectionState: { ...properties?.privateLinkServiceConnectionState, ...state },
        },
      };
      if (body.properties.provisioningState !== undefined) delete body.properties.provisioningState;
      const answer = (await call('put', `${base}/${encodeURIComponent(current.name)}`, { body, headers: etag ? { 'if-match': etag } : {} })) as RawConnection | undefined;
      // Some providers accept the write as an operation (SQL: 202 without a body); the caller
      // reads the connection to see how it goes (it does not follow the operation's URL).
      return answer?.properties ? fromRaw(answer) : undefined;
    },
  };
}
