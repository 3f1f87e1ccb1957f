import { randomUUID } from 'node:crypto';
import { badRequest } from './errors';
import { defaultResource } from './service';
import type { ArmResource, ArmStore } from './store';
import type { ArmEnv, ArmRequest, PutResult, TypeHandler } from './types';

type Props = Record<string, unknown>;
const props = (r: ArmResource | undefined): Props => (r?.properties ?? {}) as Props;

/**
 * How one provider's private endpoint connections behave, as its swagger in
 * Azure/azure-rest-api-specs defines them. ETags: ARM's frontdoor never inspects them, the
 * provider stores and validates them (azure-resource-manager-rpc v1.0/Addendum.md, "ETags for
 * Resources"), so a provider whose PrivateEndpointConnection has no `etag` shows none.
 */
interface ConnectionProfile {
  /** The spec's PrivateEndpointConnection has an `etag`: shown, If-Match honoured (412 when stale). */
  etag: boolean;
  /**
   * How a PUT completes: at once (200); as an operation answered 200 with Azure-AsyncOperation;
   * or as an operation answered 202 Accepted (azure-resource-manager-rpc v1.0/Addendum.md,
   * "Creating/Updating using PUT": 202 with a Location header, optionally Azure-AsyncOperation).
   */
  put: 'sync' | 'async-200' | 'async-202';
  /** provisioningState while an approve/reject runs, by the status asked for. */
  during: Readonly<Record<string, string>>;
  /** provisioningState once it is done. */
  done: string;
  /** Statuses a PUT may ask for, and the error otherwise. */
  statuses: readonly string[];
  invalidStatus: (status: string) => ReturnType<typeof badRequest>;
}

const ANY_STATUS = ['Approved', 'Rejected', 'Pending', 'Disconnected', 'Removed'];
const invalidStatus = (status: string) => badRequest('InvalidPrivateEndpointConnectionStatus', `Private endpoint connection status '${status}' is not valid. Valid values are Approved, Rejected, Removed.`);

const PROFILES: Readonly<Record<string, ConnectionProfile>> = {
  // specification/network/resource-manager/Microsoft.Network/Network/stable/2025-05-01/privateLinkService.json:
  // PrivateEndpointConnection has `etag`; PrivateLinkServices_UpdatePrivateEndpointConnection answers 200 only.
  'microsoft.network/privatelinkservices': { etag: true, put: 'sync', during: {}, done: 'Succeeded', statuses: ANY_STATUS, invalidStatus },
  // RemotePrivateEndpointConnectionARMResource is a ProxyResource without `etag` (specification/web/
  // resource-manager, as generated into @azure/arm-appservice 19 at 2025-05-01); the approve is a
  // long-running PUT. Its provisioningState is a free string: no source for the values below.
  'microsoft.web/sites': { etag: false, put: 'async-200', during: { Approved: 'Updating', Rejected: 'Updating' }, done: 'Succeeded', statuses: ANY_STATUS, invalidStatus },
  // specification/storage/resource-manager/Microsoft.Storage/stable/2023-05-01/privatelinks.json:
  // PrivateEndpointConnection is a common-types v1 Resource (no `etag`); the PUT answers 200.
  'microsoft.storage/storageaccounts': { etag: false, put: 'sync', during: {}, done: 'Succeeded', statuses: ANY_STATUS, invalidStatus },
  // specification/keyvault/resource-manager/Microsoft.KeyVault/stable/2023-07-01/keyvault.json:
  // PrivateEndpointConnection has `etag` ("Modified whenever there is a change in the state of
  // private endpoint connection"); PrivateEndpointConnections_Put answers 200.
  'microsoft.keyvault/vaults': { etag: true, put: 'sync', during: {}, done: 'Succeeded', statuses: ANY_STATUS, invalidStatus },
  // specification/sql/resource-manager/Microsoft.Sql/stable/2021-11-01/PrivateEndpointConnections.json:
  // a ProxyResource without `etag`; PrivateEndpointConnections_CreateOrUpdate is long-running (200,
  // 202); provisioningState is one of Approving, Ready, Dropping, Failed, Rejecting; a status other
  // than Approved/Rejected is "400 IncorrectPrivateLinkServiceConnectionStateStatus". The spec does
  // not say when `status` changes: here it stays Pending until the operation ends Ready.
  'microsoft.sql/servers': {
    etag: false,
    put: 'async-202',
    during: { Approved: 'Approving', Rejected: 'Rejecting' },
    done: 'Ready',
    statuses: ['Approved', 'Rejected'],
    invalidStatus: () => badRequest('IncorrectPrivateLinkServiceConnectionStateStatus', 'Private Link Service Connection State Status must be "Approved" or "Rejected"'),
  },
};

/** Resource types a private endpoint may target (each has a privateEndpointConnections child). */
export const PRIVATE_LINK_TARGETS = ['Microsoft.Network/privateLinkServices', 'Microsoft.Web/sites', 'Microsoft.Storage/storageAccounts', 'Microsoft.KeyVault/vaults', 'Microsoft.Sql/servers'];

const profileOf = (parentType: string): ConnectionProfile => {
  const profile = PROFILES[parentType.toLowerCase()];
  if (!profile) throw new Error(`no private endpoint connection profile for ${parentType}`);
  return profile;
};
const parentTypeOf = (connectionType: string) => connectionType.replace(/\/privateEndpointConnections$/i, '');

/** A private endpoint's target: a resource id, or (for Private Link Services) an alias. */
export function findTarget(store: ArmStore, idOrAlias: string): ArmResource | undefined {
  if (idOrAlias.startsWith('/')) {
    const r = store.get(idOrAlias);
    return r && PRIVATE_LINK_TARGETS.some((t) => t.toLowerCase() === r.type.toLowerCase()) ? r : undefined;
  }
  return store.ofType('Microsoft.Network/privateLinkServices').find((p) => String(props(p).alias).toLowerCase() === idOrAlias.toLowerCase());
}

/** The connection a new private endpoint makes on its target (Pending for manual requests). */
export function createTargetConnection(store: ArmStore, target: ArmResource, pe: ArmResource, status: 'Pending' | 'Approved', requestMessage = ''): ArmResource {
  const name = `${pe.name}.${randomUUID()}`;
  return store.put({
    id: `${target.id}/privateEndpointConnections/${name}`,
    name,
    type: `${target.type}/privateEndpointConnections`,
    properties: {
      provisioningState: profileOf(target.type).done,
      privateEndpoint: { id: pe.id },
      privateLinkServiceConnectionState: {
        status,
        description: status === 'Pending' ? requestMessage || 'Awaiting approval' : 'Auto-Approved',
        actionsRequired: 'None',
      },
      ...(target.type.toLowerCase() === 'microsoft.network/privatelinkservices'
        ? { linkIdentifier: String(Math.floor(Math.random() * 2 ** 31)), privateEndpointLocation: pe.location }
        : {}),
    },
  });
}

export function removeConnectionsOf(store: ArmStore, peId: string): void {
  for (const t of PRIVATE_LINK_TARGETS) {
    for (const c of store.ofType(`${t}/privateEndpointConnections`)) {
      if (String((props(c).privateEndpoint as Props | undefined)?.id).toLowerCase() === peId.toLowerCase()) store.delete(c.id);
    }
  }
}

/** A connection as its provider shows it: without the store's etag where the spec defines none. */
export function connectionView(c: ArmResource): ArmResource {
  if (profileOf(parentTypeOf(c.type)).etag) return c;
  const { etag: _etag, ...rest } = c;
  return rest as ArmResource;
}

/** The connection state a PUT asks for, refused as the provider refuses it. */
function requestedState(r: ArmRequest, existing: ArmResource, profile: ConnectionProfile): Props {
  const asked = ((r.body?.properties as Props | undefined)?.privateLinkServiceConnectionState ?? {}) as Props;
  const status = String(asked.status ?? '');
  if (!profile.statuses.some((s) => s.toLowerCase() === status.toLowerCase())) throw profile.invalidStatus(status);
  const current = props(existing).privateLinkServiceConnectionState as Props;
  if (String(current.status) === 'Disconnected') {
    throw badRequest('PrivateEndpointConnectionIsDisconnected', `Private endpoint connection ${existing.name} is disconnected and cannot be updated.`);
  }
  return { status, description: String(asked.description ?? ''), actionsRequired: String(asked.actionsRequired ?? current.actionsRequired ?? 'None') };
}

const withProps = (c: ArmResource, changes: Props): ArmResource => ({ ...c, properties: { ...props(c), ...changes } });

/**
 * Applies a PUT: at once, or as an operation whose end (after the stand-in's provisioning delay)
 * applies the new state. While it runs, a GET shows the provider's transitional provisioningState.
 */
function applyPut(env: ArmEnv, r: ArmRequest, existing: ArmResource, profile: ConnectionProfile): PutResult {
  const state = requestedState(r, existing, profile);
  if (profile.put === 'sync') {
    const stored = env.store.put(withProps(existing, { privateLinkServiceConnectionState: state, provisioningState: profile.done }));
    return { resource: connectionView(stored), stored: true, status: 200 };
  }
  const during = profile.during[String(state.status)] ?? profile.done;
  // Web shows the new state at once, SQL only once the operation is done.
  const running = profile.put === 'async-200' ? { privateLinkServiceConnectionState: state, provisioningState: during } : { provisioningState: during };
  const stored = env.store.put(withProps(existing, running));
  const headers = env.ops.start(
    r.ctx.base,
    { subscriptionId: r.subscriptionId, namespace: r.type.split('/')[0]!, location: String(env.store.get(r.parentId)?.location ?? 'global'), apiVersion: r.apiVersion },
    () => {
      const now = env.store.get(r.id);
      if (now) env.store.put(withProps(now, { privateLinkServiceConnectionState: state, provisioningState: profile.done }));
    },
    'put',
  );
  if (profile.put === 'async-200') return { resource: connectionView(stored), stored: true, status: 200, headers };
  // 202 Accepted carries a Location header (the operation result URL the stand-in serves) and no body.
  const location = headers['azure-asyncoperation']!.replace('/operations/', '/operationResults/');
  return { resource: connectionView(stored), stored: true, status: 202, headers: { ...headers, location }, bodiless: true };
}

/**
 * `{target}/privateEndpointConnections/{name}`: created only by private endpoints; PUT changes
 * `privateLinkServiceConnectionState` (approve/reject) as the provider's profile says; DELETE
 * removes the connection.
 */
export function privateEndpointConnections(parentType: string): TypeHandler {
  const profile = profileOf(parentType);
  return {
    type: `${parentType}/privateEndpointConnections`,
    noCreate: true,
    asyncDelete: parentType === 'Microsoft.Network/privateLinkServices' || parentType === 'Microsoft.Web/sites',
    etag: profile.etag,
    get: (env, r) => {
      const c = env.store.get(r.id);
      return c && connectionView(c);
    },
    list: (env, parentId) => env.store.children(parentId, `${parentType}/privateEndpointConnections`).map(connectionView),
    put: (env, r, existing) => applyPut(env, r, existing!, profile),
  };
}

/** Minimal tracked resources that can be private link targets (storage accounts, key vaults, SQL servers). */
export function trackedTarget(type: string): TypeHandler {
  return {
    type,
    put(_env, r, existing) {
      const resource = defaultResource(r, existing);
      if (!resource.location) throw badRequest('LocationRequired', 'The location property is required for this definition.');
      return { resource };
    },
    view(env, res) {
      return { ...res, properties: { ...res.properties, privateEndpointConnections: env.store.children(res.id, `${type}/privateEndpointConnections`).map(connectionView) } };
    },
  };
}
