import { randomUUID } from 'node:crypto';
import { badRequest } from './errors';
import { defaultResource } from './service';
import type { ArmResource, ArmStore } from './store';
import type { TypeHandler } from './types';

type Props = Record<string, unknown>;
const props = (r: ArmResource | undefined): Props => (r?.properties ?? {}) as Props;

/** Resource types a private endpoint may target (each has a privateEndpointConnections child). */
export const PRIVATE_LINK_TARGETS = ['Microsoft.Network/privateLinkServices', 'Microsoft.Web/sites', 'Microsoft.Storage/storageAccounts', 'Microsoft.KeyVault/vaults'];

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
      provisioningState: 'Succeeded',
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

export const connectionView = (c: ArmResource): ArmResource => c;

const STATUSES = ['Approved', 'Rejected', 'Pending', 'Disconnected', 'Removed'];

/**
 * `{target}/privateEndpointConnections/{name}`: created only by private endpoints; PUT changes
 * `privateLinkServiceConnectionState` (approve/reject), DELETE removes the connection.
 * App Service's approve is a long-running PUT; Network/Storage/KeyVault answer synchronously.
 */
export function privateEndpointConnections(parentType: string, asyncPut = false): TypeHandler {
  return {
    type: `${parentType}/privateEndpointConnections`,
    noCreate: true,
    asyncPut,
    asyncDelete: parentType === 'Microsoft.Network/privateLinkServices' || parentType === 'Microsoft.Web/sites',
    etag: true,
    put(_env, r, existing) {
      const state = ((r.body?.properties as Props | undefined)?.privateLinkServiceConnectionState ?? {}) as Props;
      const status = String(state.status ?? '');
      if (!STATUSES.some((s) => s.toLowerCase() === status.toLowerCase())) {
        throw badRequest('InvalidPrivateEndpointConnectionStatus', `Private endpoint connection status '${status}' is not valid. Valid values are Approved, Rejected, Removed.`);
      }
      const current = props(existing).privateLinkServiceConnectionState as Props;
      if (String(current.status) === 'Disconnected') {
        throw badRequest('PrivateEndpointConnectionIsDisconnected', `Private endpoint connection ${existing!.name} is disconnected and cannot be updated.`);
      }
      return {
        resource: {
          ...existing!,
          properties: {
            ...props(existing),
            privateLinkServiceConnectionState: { status, description: String(state.description ?? ''), actionsRequired: String(state.actionsRequired ?? current.actionsRequired ?? 'None') },
          },
        },
      };
    },
  };
}

/** Minimal tracked resources that can be private link targets (storage accounts, key vaults). */
export function trackedTarget(type: string): TypeHandler {
  return {
    type,
    put(_env, r, existing) {
      const resource = defaultResource(r, existing);
      if (!resource.location) throw badRequest('LocationRequired', 'The location property is required for this definition.');
      return { resource };
    },
    view(env, res) {
      return { ...res, properties: { ...res.properties, privateEndpointConnections: env.store.children(res.id, `${type}/privateEndpointConnections`) } };
    },
  };
}
