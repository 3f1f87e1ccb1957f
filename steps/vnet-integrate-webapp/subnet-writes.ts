// Creating or delegating the integration subnet without ever overwriting someone else's subnet:
// a create is conditioned on the subnet not existing (If-None-Match: *), a delegation on the
// subnet being exactly as read (If-Match: its etag). Subnets carry an etag ("a unique read-only
// string that changes whenever the resource is updated", azure-rest-api-specs network
// virtualNetwork.json `Subnet.etag`), and conditional PUTs answer 412 PreconditionFailed (Azure REST
// API guidelines, "Conditional requests"). A 412 means the subnet changed: it is read again and
// checked again, as the plan would have.
import type { NetworkManagementClient, Subnet } from '@azure/arm-network';
import { UserError } from '@private-wire/shared/errors';
import { armErrorOf, translateArmError } from '@private-wire/shared/azure/errors';
import type { ResourceId } from '@private-wire/shared/azure/resource-id';
import type { Ipv4Cidr } from '@private-wire/shared/net/ipv4';
import { WEB_DELEGATION, checkExistingSubnet, type InputNames } from './subnet-rules';

/** Attempts of a conditional write before giving up on a subnet that keeps changing. */
const ATTEMPTS = 3;

export interface SubnetWriteContext {
  network: NetworkManagementClient;
  vnet: ResourceId;
  name: string;
  /** The web app's plan, for the "used by another plan" check on a re-read subnet. */
  planId: string;
  prefix?: Ipv4Cidr;
  names: InputNames;
  identity: string;
  hints: Record<string, string>;
  abortSignal: AbortSignal;
  warn(message: string): void;
}

const DELEGATION = { name: 'Microsoft.Web.serverFarms', serviceName: WEB_DELEGATION };
const isPreconditionFailed = (error: unknown) => armErrorOf(error).status === 412;

function conditional(header: 'If-None-Match' | 'If-Match', value: string, abortSignal: AbortSignal) {
  return { requestOptions: { customHeaders: { [header]: value } }, abortSignal };
}

/** Creates the subnet, delegated; if one appeared meanwhile, it is checked and delegated instead. */
export async function createSubnet(c: SubnetWriteContext, prefix: string): Promise<void> {
  const body: Subnet = { addressPrefix: prefix, delegations: [DELEGATION] };
  try {
    await c.network.subnets.beginCreateOrUpdateAndWait(c.vnet.resourceGroup, c.vnet.names[0]!, c.name, body, conditional('If-None-Match', '*', c.abortSignal));
    return;
  } catch (error) {
    if (!isPreconditionFailed(error)) throw translateArmError(error, { what: `creating subnet ${c.vnet.names[0]}/${c.name}`, identity: c.identity, hints: c.hints });
  }
  c.warn(`Subnet ${c.vnet.names[0]}/${c.name} was created by someone else while this step ran; it is checked and used instead of being overwritten.`);
  await addDelegation(c);
}

/**
 * Adds the delegation to the subnet as it is now (read again, checked again), keeping every other
 * setting (NSG, route table, policies). Nothing is written when it is already delegated.
 */
export async function addDelegation(c: SubnetWriteContext): Promise<void> {
  const what = `delegating subnet ${c.vnet.names[0]}/${c.name} to ${WEB_DELEGATION}`;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    let subnet: Subnet;
    try {
      subnet = await c.network.subnets.get(c.vnet.resourceGroup, c.vnet.names[0]!, c.name, { abortSignal: c.abortSignal });
    } catch (error) {
      throw translateArmError(error, { what: `reading subnet ${c.vnet.names[0]}/${c.name}`, identity: c.identity, hints: c.hints });
    }
    if (checkExistingSubnet(subnet, c.vnet.names[0]!, c.planId, c.prefix, c.names, () => undefined) === 'nothing') return;
    try {
      await c.network.subnets.beginCreateOrUpdateAndWait(
        c.vnet.resourceGroup,
        c.vnet.names[0]!,
        c.name,
        { ...subnet, delegations: [...(subnet.delegations ?? []), DELEGATION] },
        conditional('If-Match', subnet.etag ?? '*', c.abortSignal),
      );
      return;
    } catch (error) {
      if (!isPreconditionFailed(error)) throw translateArmError(error, { what, identity: c.identity, hints: c.hints });
    }
  }
  throw new UserError(`Subnet ${c.vnet.names[0]}/${c.name} kept changing while this step tried to delegate it (${ATTEMPTS} attempts).`, 'Something else is changing it right now: re-run when that is done.');
}
