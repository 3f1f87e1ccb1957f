// Which pending connections an Azure Front Door profile's private origins vouch for. Pure: the
// origins are read in front-door-read.ts.
//
// Front Door Premium reaches a private origin through a private endpoint it creates "on your behalf
// from an Azure Front Door managed regional private network" (https://learn.microsoft.com/azure/frontdoor/private-link),
// so the connection's requester is in a subscription the user never sees and the subscription
// allowlist cannot name it. What the origin's owner can check instead is the origin's request
// message (SharedPrivateLinkResourceProperties.requestMessage, "The request message for requesting
// approval of the shared private link resource", azure-rest-api-specs
// specification/cdn/resource-manager/Microsoft.Cdn/stable/2025-09-01/afdx.json). That Front Door
// passes it as the connection's `privateLinkServiceConnectionState.description` is NOT stated by any
// source found: the Learn how-tos only say the message is shown "while approving the Private
// Endpoint" (articles/frontdoor/standard-premium/how-to-enable-private-link-apim.md), Azure CLI 2.45's
// `az afd origin create --help` calls --private-link-request-message "The message that is shown to
// the approver of the private link", and a private
// endpoint's own requestMessage is "a message passed to the owner of the remote resource with this
// connection request" (PrivateLinkServiceConnection.requestMessage in @azure/arm-network 36, generated
// from the Network spec). None says in which field the approver sees it; the README says so too.

/** A Front Door origin with a private link (sharedPrivateLinkResource), as read. */
export interface PrivateOrigin {
  /** `profile/originGroup/origin`, as plan lines name it. */
  label: string;
  /** sharedPrivateLinkResource.privateLink.id */
  privateLinkId: string;
  /** sharedPrivateLinkResource.requestMessage ('' when it has none). */
  requestMessage: string;
}

/** What the profile's origins vouch for on one target. */
export interface Vouchers {
  profile: string;
  /** Request message → the origins (pointing at the target) that carry it. */
  byMessage: ReadonlyMap<string, readonly string[]>;
  /** Why some origins vouch for nothing or weakly, for the log. Never quotes a message: it is the shared secret. */
  warnings: string[];
}

/** ARM IDs compare case-insensitively and may end in a slash. */
const sameResource = (a: string, b: string) => a.replace(/\/+$/, '').toLowerCase() === b.replace(/\/+$/, '').toLowerCase();

/** The origins of `profile` that point at `targetId`, keyed by request message, with warnings. */
export function vouchersFor(profile: string, origins: readonly PrivateOrigin[], targetId: string): Vouchers {
  const pointing = origins.filter((o) => sameResource(o.privateLinkId, targetId));
  const warnings: string[] = [];
  if (pointing.length === 0) {
    warnings.push(`No origin of Front Door profile ${profile} has a private link to ${targetId}, so the profile vouches for no connection.`);
  }
  const byMessage = new Map<string, string[]>();
  for (const origin of pointing) {
    if (origin.requestMessage.trim() === '') {
      warnings.push(
        `Front Door origin ${origin.label} has a private link to the resource but no request message, so it vouches for no connection: give it a request message of its own that is hard to guess (e.g. with a random word), as the step matches it against the connection's description.`,
      );
      continue;
    }
    byMessage.set(origin.requestMessage, [...(byMessage.get(origin.requestMessage) ?? []), origin.label]);
  }
  for (const labels of byMessage.values()) {
    if (labels.length > 1) {
      warnings.push(
        `Front Door origins ${labels.join(', ')} share one request message: the message is what tells their requests from anyone else's, so give each origin a message of its own.`,
      );
    }
  }
  return { profile, byMessage, warnings };
}

/**
 * The origin(s) that vouch for a pending connection: those whose request message is exactly its
 * description. Only a connection that names its private endpoint can be vouched for (the step
 * re-checks before writing that it still comes from that endpoint).
 */
export function voucherOf(vouchers: Vouchers, connection: { endpointId?: string; description?: string }): string | undefined {
  if (!connection.endpointId || connection.description === undefined) return undefined;
  const labels = vouchers.byMessage.get(connection.description);
  if (!labels) return undefined;
  return labels.length === 1 ? `origin ${labels[0]}` : `origins ${labels.join(' and ')}`;
}

/** The SKUs of Azure Front Door Standard and Premium (afdx.json AFDProfiles_Upgrade: "from Standard_AzureFrontDoor to Premium_AzureFrontDoor"). */
export const STANDARD = 'Standard_AzureFrontDoor';
export const PREMIUM = 'Premium_AzureFrontDoor';

/**
 * What the profile's SKU means for the step: `error` for a profile that is not Front Door
 * Standard/Premium (a classic CDN profile has no origin groups of this kind), `warning` for
 * Standard (Private Link origins need Premium: "Applies to: Front Door Premium",
 * https://learn.microsoft.com/azure/frontdoor/private-link), nothing for Premium or an unreadable SKU.
 */
export function skuProblem(sku: string | undefined): { kind: 'error' | 'warning'; sku: string } | undefined {
  const is = (name: string) => sku?.toLowerCase() === name.toLowerCase();
  if (!sku || is(PREMIUM)) return undefined;
  if (is(STANDARD)) return { kind: 'warning', sku };
  return { kind: 'error', sku };
}
