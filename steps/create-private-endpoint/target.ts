// What the endpoint connects to: a Private Link Service alias or a Private Link resource ID, and
// whether an existing endpoint's connection is that same target.
import { UserError } from '@private-wire/shared/errors';
import { GUID } from '@private-wire/shared/azure/names';
import { formatResourceId, looksLikeResourceId, parseResourceId, type ResourceId } from '@private-wire/shared/azure/resource-id';

export type Target =
  | { kind: 'alias'; alias: string; serviceName: string }
  | { kind: 'resource'; id: ResourceId; resourceId: string; isPrivateLinkService: boolean };

/**
 * `<service name>.<guid>.<region>.azure.privatelinkservice`, as Azure generates it: "a globally
 * unique named moniker called alias based on the name you provide for your service"
 * (MicrosoftDocs/azure-docs articles/private-link/private-link-service-overview.md). The region part
 * is missing in older aliases (the spec's example, azure-rest-api-specs network stable/2025-05-01
 * examples/CheckPrivateLinkServiceVisibility.json: `mypls.00000000-0000-0000-0000-000000000000.azure.privatelinkservice`).
 */
const ALIAS = new RegExp(`^(.+)\\.(${GUID.source.slice(1, -1)})(\\.[a-z0-9]+)?\\.azure\\.privatelinkservice$`, 'i');

const PLS_TYPE = 'microsoft.network/privatelinkservices';

export interface TargetNames {
  target: string;
  groupId: string;
}

/** Parses `target` and checks `group-id` against it: a Private Link Service takes none, any other resource needs one. */
export function parseTarget(value: string, groupId: string | undefined, names: TargetNames): Target {
  const target = parseTargetValue(value, names.target);
  const plsLike = target.kind === 'alias' || target.isPrivateLinkService;
  if (plsLike && groupId) {
    throw new UserError(
      `Input '${names.groupId}' is '${groupId}', but '${names.target}' is a Private Link Service${target.kind === 'alias' ? ' alias' : ''}, which has no sub-resources.`,
      `Leave '${names.groupId}' empty.`,
    );
  }
  if (!plsLike && !groupId) {
    const type = `${target.id.provider}/${target.id.types.join('/')}`;
    throw new UserError(
      `Input '${names.groupId}' is empty, but '${names.target}' is a ${type}, whose private endpoints connect to one of its sub-resources.`,
      `Give the sub-resource in '${names.groupId}' (e.g. 'sites' for a web app, 'blob' for a storage account, 'vault' for a key vault, 'sqlServer' for a SQL server).`,
    );
  }
  if (groupId && !/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(groupId)) {
    throw new UserError(`Input '${names.groupId}' is '${groupId}', which is not a sub-resource name.`, "Sub-resource names are letters, digits and '_', e.g. 'blob' or 'sqlServer'.");
  }
  return target;
}

function parseTargetValue(value: string, input: string): Target {
  if (looksLikeResourceId(value)) {
    const id = parseResourceId(value, input);
    if (id.types.length !== 1) {
      throw new UserError(`Input '${input}' is the ID of a ${id.provider}/${id.types.join('/')}, a child resource.`, 'Give the ID of the Private Link Service or Private Link resource itself.');
    }
    const isPrivateLinkService = `${id.provider}/${id.types[0]}`.toLowerCase() === PLS_TYPE;
    return { kind: 'resource', id, resourceId: formatResourceId(id), isPrivateLinkService };
  }
  const m = ALIAS.exec(value);
  if (!m) {
    throw new UserError(
      `Input '${input}' is '${value}', which is neither a Private Link Service alias nor a resource ID.`,
      'Give the alias the provider shared (<name>.<guid>.<region>.azure.privatelinkservice) or a resource ID starting with /subscriptions/.',
    );
  }
  return { kind: 'alias', alias: value, serviceName: m[1]! };
}

/** What the target is called in the connection's `privateLinkServiceId`. */
export const targetReference = (t: Target): string => (t.kind === 'alias' ? t.alias : t.resourceId);

/** For messages. */
export const describeTarget = (t: Target): string => (t.kind === 'alias' ? `alias ${t.alias}` : t.resourceId);

/**
 * Whether an existing connection points at this target. ARM keeps `privateLinkServiceId` as it was
 * sent, an alias included (hashicorp/terraform-provider-azurerm private_endpoint_resource.go reads
 * an ID ending in `.azure.privatelinkservice` back as the alias), so the comparison is of that text
 * (case-insensitive, as ARM IDs are) and of the sub-resource.
 */
export function sameTarget(t: Target, groupId: string | undefined, existing: { privateLinkServiceId?: string; groupIds?: string[] }): boolean {
  const reference = (existing.privateLinkServiceId ?? '').replace(/\/+$/, '');
  if (reference.toLowerCase() !== targetReference(t).toLowerCase()) return false;
  const groups = (existing.groupIds ?? []).map((g) => g.toLowerCase());
  return groupId ? groups.length === 1 && groups[0] === groupId.toLowerCase() : groups.length === 0;
}
