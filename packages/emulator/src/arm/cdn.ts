// Azure Front Door Standard/Premium (Microsoft.Cdn) as far as private origins go: profiles, origin
// groups and origins. Shapes from Azure/azure-rest-api-specs
// specification/cdn/resource-manager/Microsoft.Cdn/stable/2025-09-01/afdx.json:
// - AFDOriginGroups_ListByProfile / AFDOrigins_ListByOriginGroup are x-ms-pageable (nextLink);
//   AFDOriginGroups_Create and AFDOrigins_Create are long-running (200/201/202, azure-async-operation).
// - AFDOrigin is a ProxyResource; AFDOriginProperties requires `hostName`, has `originGroupName`
//   (read-only), httpPort (default 80), httpsPort (default 443), enabledState,
//   enforceCertificateNameCheck (default true) and `sharedPrivateLinkResource`.
// - SharedPrivateLinkResourceProperties: privateLink (ResourceReference {id}), privateLinkLocation,
//   groupId, requestMessage and status (Pending, Approved, Rejected, Disconnected, Timeout).
// - AFDStateProperties: provisioningState (Succeeded, Failed, Updating, Deleting, Creating) and
//   deploymentStatus (NotStarted, InProgress, Succeeded, Failed).
// The profile's shape (sku.name, kind "frontdoor", properties.frontDoorId, resourceState) is that of
// .../stable/2025-04-15/examples/Profiles_Get.json; the SKU names Standard_AzureFrontDoor and
// Premium_AzureFrontDoor are those of AFDProfiles_Upgrade in afdx.json.
//
// How a private origin reaches its target, from Microsoft Learn
// (https://learn.microsoft.com/azure/frontdoor/private-link, MicrosoftDocs/azure-docs
// articles/frontdoor/private-link.md): Front Door "creates a private endpoint on your behalf from
// an Azure Front Door managed regional private network" and the origin's owner receives it as a
// Pending request; origins of one profile with the same private link resource ID, group ID and
// location share one private endpoint (approved once); deleting the profile deletes its private
// endpoints; Private Link needs Front Door Premium.
// NOT documented, so chosen here: the endpoint's resource ID (a Microsoft-owned subscription that
// users never see, FRONT_DOOR_SUBSCRIPTION below); that the connection's description is the
// origin's request message (the Learn how-tos only say the request message is shown "while
// approving", e.g. articles/frontdoor/standard-premium/how-to-enable-private-link-apim); the error
// codes and messages of the refusals below; and what deleting one origin does.
import { createHash, randomUUID } from 'node:crypto';
import { badRequest } from './errors';
import { createTargetConnection, findTarget } from './private-link';
import { defaultResource } from './service';
import type { ArmResource, ArmStore } from './store';
import type { ArmEnv, ArmRequest, TypeHandler } from './types';

type Props = Record<string, unknown>;
const props = (r: ArmResource | undefined): Props => (r?.properties ?? {}) as Props;
const same = (a: unknown, b: unknown) => String(a ?? '').toLowerCase() === String(b ?? '').toLowerCase();

// Types as the spec's examples spell them (ARM compares types case-insensitively).
export const PROFILE = 'Microsoft.Cdn/profiles';
export const ORIGIN_GROUP = 'Microsoft.Cdn/profiles/origingroups';
export const ORIGIN = 'Microsoft.Cdn/profiles/origingroups/origins';

export const FRONT_DOOR_SKUS = ['Standard_AzureFrontDoor', 'Premium_AzureFrontDoor'];
const PREMIUM = 'Premium_AzureFrontDoor';

/** Stands in for the Microsoft-owned subscription of Front Door's managed private endpoints (made up). */
export const FRONT_DOOR_SUBSCRIPTION = '0fd0af0d-5e7a-4b1c-9d2e-3f4a5b6c7d8e';

export interface SharedPrivateLink {
  privateLink: { id: string };
  groupId?: string;
  privateLinkLocation: string;
  requestMessage?: string;
}

/** The private endpoint Front Door uses for one (profile, resource, group ID, location): shared by every such origin. */
export function managedEndpointId(profileId: string, link: SharedPrivateLink): string {
  const key = [profileId, link.privateLink.id, link.groupId ?? '', link.privateLinkLocation].map((s) => s.toLowerCase()).join('|');
  const name = createHash('sha256').update(key).digest('hex').slice(0, 32);
  const region = link.privateLinkLocation.toLowerCase().replace(/\s+/g, '');
  return `/subscriptions/${FRONT_DOOR_SUBSCRIPTION}/resourceGroups/eafd-prod-${region}/providers/Microsoft.Network/privateEndpoints/${name}`;
}

const connectionsOf = (store: ArmStore, target: ArmResource) => store.children(target.id, `${target.type}/privateEndpointConnections`);
const endpointOf = (c: ArmResource) => (props(c).privateEndpoint as Props | undefined)?.id;

/** The target's connection from the origin's managed endpoint, if there is one. */
export function managedConnection(store: ArmStore, profileId: string, link: SharedPrivateLink): ArmResource | undefined {
  const target = store.get(link.privateLink.id);
  const endpoint = managedEndpointId(profileId, link);
  return target && connectionsOf(store, target).find((c) => same(endpointOf(c), endpoint));
}

/** Makes the Pending request on the target, once per shared endpoint, with the origin's request message. */
export function ensureManagedConnection(store: ArmStore, profileId: string, link: SharedPrivateLink): ArmResource | undefined {
  const existing = managedConnection(store, profileId, link);
  if (existing) return existing;
  const target = store.get(link.privateLink.id);
  if (!target) return undefined;
  const id = managedEndpointId(profileId, link);
  const endpoint: ArmResource = { id, name: id.split('/').pop()!, type: 'Microsoft.Network/privateEndpoints', location: link.privateLinkLocation };
  return createTargetConnection(store, target, endpoint, 'Pending', link.requestMessage ?? '');
}

/** Removes the connection of a managed endpoint no origin of the profile uses any more. */
function releaseManagedConnection(store: ArmStore, profileId: string, link: SharedPrivateLink): void {
  const endpoint = managedEndpointId(profileId, link);
  const stillUsed = store
    .all()
    .filter((r) => same(r.type, ORIGIN) && r.id.toLowerCase().startsWith(`${profileId.toLowerCase()}/`))
    .some((o) => {
      const other = linkOf(o);
      return other !== undefined && same(managedEndpointId(profileId, other), endpoint);
    });
  if (stillUsed) return;
  const connection = managedConnection(store, profileId, link);
  if (connection) store.delete(connection.id);
}

const linkOf = (origin: ArmResource): SharedPrivateLink | undefined => (props(origin).sharedPrivateLinkResource as SharedPrivateLink | null | undefined) ?? undefined;
const profileIdOf = (childId: string) => childId.split('/').slice(0, 9).join('/');

/** The origin's link as the profile's owner asked for it, refused as the service would (messages not sourced). */
function requestedLink(env: ArmEnv, r: ArmRequest, asked: Props): SharedPrivateLink {
  const targetId = String((asked.privateLink as Props | undefined)?.id ?? '');
  const target = targetId.startsWith('/') ? findTarget(env.store, targetId) : undefined;
  if (!target) throw badRequest('BadRequest', `The private link resource '${targetId}' of origin ${r.name} was not found or does not support Private Link.`);
  const profile = env.store.get(profileIdOf(r.id));
  const sku = String((profile?.sku as Props | undefined)?.name ?? '');
  if (sku !== PREMIUM) throw badRequest('BadRequest', `Private Link origins need an Azure Front Door Premium profile; ${profile?.name} is ${sku || 'of no SKU'}.`);
  return {
    privateLink: { id: target.id },
    ...(asked.groupId ? { groupId: String(asked.groupId) } : {}),
    privateLinkLocation: String(asked.privateLinkLocation ?? target.location ?? ''),
    requestMessage: String(asked.requestMessage ?? ''),
  };
}

/** Deletes a resource and everything below it (what ARM does for a handler without `delete`). */
function deleteTree(store: ArmStore, id: string): void {
  const prefix = `${id.toLowerCase()}/`;
  for (const r of store.all()) if (r.id.toLowerCase().startsWith(prefix)) store.delete(r.id);
  store.delete(id);
}

/** Removes the requests of every private origin below `id` (a profile, origin group or origin). */
function releaseBelow(store: ArmStore, id: string): void {
  const below = store.all().filter((r) => same(r.type, ORIGIN) && (same(r.id, id) || r.id.toLowerCase().startsWith(`${id.toLowerCase()}/`)));
  for (const origin of below) store.delete(origin.id);
  for (const origin of below) {
    const link = linkOf(origin);
    if (link) releaseManagedConnection(store, profileIdOf(origin.id), link);
  }
}

export const profiles: TypeHandler = {
  type: PROFILE,
  // Assumed long-running like its origin groups and origins (cdn.json's Profiles_Create not read).
  asyncPut: true,
  put(_env, r, existing) {
    const resource = defaultResource(r, existing);
    if (!resource.location) throw badRequest('LocationRequired', 'The location property is required for this definition.');
    const sku = String(((r.body?.sku ?? existing?.sku) as Props | undefined)?.name ?? '');
    if (!sku) throw badRequest('BadRequest', 'The profile must have a sku.');
    const frontDoor = FRONT_DOOR_SKUS.includes(sku);
    resource.sku = { name: sku };
    if (frontDoor) resource.kind = 'frontdoor';
    resource.properties = {
      ...resource.properties,
      ...(frontDoor ? { frontDoorId: String(props(existing).frontDoorId ?? randomUUID()), originResponseTimeoutSeconds: 60 } : {}),
      resourceState: 'Active',
    };
    return { resource };
  },
  delete(env, r, existing) {
    if (r.method === 'VALIDATE_DELETE') return;
    releaseBelow(env.store, existing.id);
    deleteTree(env.store, existing.id);
  },
};

export const originGroups: TypeHandler = {
  type: ORIGIN_GROUP,
  asyncPut: true,
  put(_env, r, existing) {
    const resource = defaultResource(r, existing);
    resource.type = ORIGIN_GROUP;
    resource.properties = { ...resource.properties, profileName: profileIdOf(r.id).split('/').pop(), deploymentStatus: 'NotStarted' };
    return { resource };
  },
  delete(env, r, existing) {
    if (r.method === 'VALIDATE_DELETE') return;
    releaseBelow(env.store, existing.id);
    deleteTree(env.store, existing.id);
  },
};

export const origins: TypeHandler = {
  type: ORIGIN,
  asyncPut: true,
  put(env, r, existing) {
    const asked = (r.body?.properties ?? {}) as Props;
    if (!asked.hostName) throw badRequest('BadRequest', `Origin ${r.name} must have a hostName.`);
    const linkAsked = asked.sharedPrivateLinkResource as Props | null | undefined;
    const link = linkAsked ? requestedLink(env, r, linkAsked) : undefined;
    const resource = defaultResource(r, existing);
    resource.type = ORIGIN;
    resource.properties = {
      httpPort: 80,
      httpsPort: 443,
      enabledState: 'Enabled',
      enforceCertificateNameCheck: true,
      ...asked,
      originGroupName: r.parentId.split('/').pop(),
      sharedPrivateLinkResource: link ?? null,
      deploymentStatus: 'NotStarted',
    };
    const before = linkOf(existing ?? ({} as ArmResource));
    return {
      resource,
      after: (stored) => {
        const profileId = profileIdOf(stored.id);
        if (link) ensureManagedConnection(env.store, profileId, link);
        if (before) releaseManagedConnection(env.store, profileId, before);
      },
    };
  },
  view(env, origin) {
    const link = linkOf(origin);
    if (!link) return origin;
    // The origin shows its request's state as the target's owner left it; a request that is gone
    // (the target or its connection removed) shows as Disconnected.
    const connection = managedConnection(env.store, profileIdOf(origin.id), link);
    const status = String((props(connection).privateLinkServiceConnectionState as Props | undefined)?.status ?? 'Disconnected');
    return { ...origin, properties: { ...props(origin), sharedPrivateLinkResource: { ...link, status } } };
  },
  delete(env, r, existing) {
    if (r.method === 'VALIDATE_DELETE') return;
    releaseBelow(env.store, existing.id);
  },
};

export const cdnHandlers: TypeHandler[] = [profiles, originGroups, origins];

/** A profile written straight into the store (the seeder's). */
export function seedProfile(store: ArmStore, groupId: string, name: string, sku: string): ArmResource {
  const frontDoor = FRONT_DOOR_SKUS.includes(sku);
  return store.put({
    id: `${groupId}/providers/${PROFILE}/${name}`,
    name,
    type: PROFILE,
    location: 'global',
    sku: { name: sku },
    ...(frontDoor ? { kind: 'frontdoor' } : {}),
    properties: { provisioningState: 'Succeeded', resourceState: 'Active', ...(frontDoor ? { frontDoorId: randomUUID(), originResponseTimeoutSeconds: 60 } : {}) },
  });
}

/**
 * An origin (and its origin group, when missing) written straight into the store, making the
 * Pending request on its private link target as the origins handler does.
 */
export function seedOrigin(store: ArmStore, profileId: string, group: string, name: string, link?: { targetId: string; requestMessage?: string; groupId?: string; location?: string }): ArmResource {
  const groupId = `${profileId}/originGroups/${group}`;
  if (!store.has(groupId)) {
    store.put({ id: groupId, name: group, type: ORIGIN_GROUP, properties: { profileName: profileId.split('/').pop(), provisioningState: 'Succeeded', deploymentStatus: 'NotStarted' } });
  }
  const target = link && store.get(link.targetId);
  if (link && !target) throw new Error(`seed: private link target ${link.targetId} does not exist`);
  const shared: SharedPrivateLink | undefined =
    link && target
      ? { privateLink: { id: target.id }, ...(link.groupId ? { groupId: link.groupId } : {}), privateLinkLocation: link.location ?? target.location ?? 'westeurope', requestMessage: link.requestMessage ?? '' }
      : undefined;
  const origin = store.put({
    id: `${groupId}/origins/${name}`,
    name,
    type: ORIGIN,
    properties: {
      hostName: `${name}.example.internal`,
      httpPort: 80,
      httpsPort: 443,
      enabledState: 'Enabled',
      enforceCertificateNameCheck: true,
      originGroupName: group,
      sharedPrivateLinkResource: shared ?? null,
      provisioningState: 'Succeeded',
      deploymentStatus: 'NotStarted',
    },
  });
  if (shared) ensureManagedConnection(store, profileId, shared);
  return origin;
}
