// Reading an Azure Front Door Standard/Premium profile's private origins, through the shared raw
// ARM access (the SDK pipeline: sign-in, retries, per-request timeouts bounded by the step's
// deadline). Paths, api-version and shapes from Azure/azure-rest-api-specs
// specification/cdn/resource-manager/Microsoft.Cdn/stable/2025-09-01/afdx.json:
// AFDOriginGroups_ListByProfile `GET {profile}/originGroups` and AFDOrigins_ListByOriginGroup
// `GET {profile}/originGroups/{group}/origins`, both x-ms-pageable (nextLink); AFDOrigin's
// properties.sharedPrivateLinkResource {privateLink: {id}, privateLinkLocation, groupId,
// requestMessage, status}. The profile (`GET {profile}`, Profiles_Get in cdn.json) has `sku.name`,
// as .../stable/2025-04-15/examples/Profiles_Get.json shows.
import { isNotFound, translateArmError } from '@private-wire/shared/azure/errors';
import { formatResourceId, type ResourceId } from '@private-wire/shared/azure/resource-id';
import type { RawArm } from '@private-wire/shared/azure/raw-arm';
import { UserError } from '@private-wire/shared/errors';
import { skuProblem, type PrivateOrigin } from './front-door';

export const CDN_API_VERSION = '2025-09-01';

type Json = Record<string, unknown>;
const objectOf = (v: unknown): Json => (v && typeof v === 'object' ? (v as Json) : {});

export interface FrontDoorContext {
  /** The `front-door` input as the host spells it. */
  input: string;
  identity: string;
  warn(message: string): void;
}

/** The roles a reader of the profile needs, for 403 hints. */
const READ_HINT = (identity: string) =>
  `Grant ${identity} read access to the profile (Microsoft.Cdn/profiles/read, .../originGroups/read and .../originGroups/origins/read, e.g. Reader on the profile).`;

function readError(error: unknown, profile: ResourceId, c: FrontDoorContext, what: string): Error {
  if (isNotFound(error)) {
    return new UserError(
      `Input '${c.input}' names Front Door profile ${formatResourceId(profile)}, which does not exist (or is not visible to ${c.identity}).`,
      `Check '${c.input}', its resource group and the subscription.`,
    );
  }
  const forbidden = READ_HINT(c.identity);
  return translateArmError(error, { what, identity: c.identity, hints: { AuthorizationFailed: forbidden } });
}

/** Fails on a profile that is not Front Door Standard/Premium; warns on Standard (no Private Link). */
async function checkProfile(raw: RawArm, profile: ResourceId, c: FrontDoorContext): Promise<void> {
  const id = formatResourceId(profile);
  const body = await raw.get(id, CDN_API_VERSION).catch((error: unknown) => {
    throw readError(error, profile, c, `reading Front Door profile ${id}`);
  });
  const sku = objectOf(body.sku).name;
  const problem = skuProblem(typeof sku === 'string' ? sku : undefined);
  if (problem?.kind === 'error') {
    throw new UserError(
      `Input '${c.input}' names profile ${id}, whose SKU is ${problem.sku}: it is not an Azure Front Door Standard/Premium profile.`,
      `Give an Azure Front Door Standard or Premium profile (SKU Standard_AzureFrontDoor or Premium_AzureFrontDoor), or leave '${c.input}' out.`,
    );
  }
  if (problem?.kind === 'warning') {
    c.warn(`Front Door profile ${profile.names[0]} is Standard: Private Link origins need Premium, so its origins are unlikely to vouch for any connection.`);
  }
}

/** The origin as the step sees it, when it has a private link. */
function privateOriginOf(origin: Json, label: string): PrivateOrigin | undefined {
  const link = objectOf(objectOf(origin.properties).sharedPrivateLinkResource);
  const id = objectOf(link.privateLink).id;
  if (typeof id !== 'string' || id === '') return undefined;
  return { label, privateLinkId: id, requestMessage: typeof link.requestMessage === 'string' ? link.requestMessage : '' };
}

/** Every private origin of the profile, across its origin groups (all pages). */
export async function readPrivateOrigins(raw: RawArm, profile: ResourceId, c: FrontDoorContext): Promise<PrivateOrigin[]> {
  await checkProfile(raw, profile, c);
  const profileId = formatResourceId(profile);
  const fail = (what: string) => (error: unknown) => {
    throw readError(error, profile, c, what);
  };
  const groups = await raw.list(`${profileId}/originGroups`, CDN_API_VERSION).catch(fail(`listing the origin groups of Front Door profile ${profileId}`));
  const found: PrivateOrigin[] = [];
  for (const group of groups) {
    const groupName = String(group.name ?? '');
    const path = `${profileId}/originGroups/${encodeURIComponent(groupName)}/origins`;
    const origins = await raw.list(path, CDN_API_VERSION).catch(fail(`listing the origins of origin group ${groupName} of Front Door profile ${profileId}`));
    for (const origin of origins) {
      const privateOrigin = privateOriginOf(origin, `${profile.names[0]}/${groupName}/${String(origin.name ?? '')}`);
      if (privateOrigin) found.push(privateOrigin);
    }
  }
  return found;
}
