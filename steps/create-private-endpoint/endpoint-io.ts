// Reads and writes of the endpoint through @azure/arm-network: the VNet and subnet it goes into,
// the alias's visibility, the endpoint itself (created only where none exists: If-None-Match: *)
// and the NIC that holds its IP.
import { NetworkManagementClient, type PrivateEndpoint, type VirtualNetwork } from '@azure/arm-network';
import { UserError } from '@private-wire/shared/errors';
import { armClientOptions } from '@private-wire/shared/azure/clients';
import type { AzureSession } from '@private-wire/shared/azure/credential';
import { armErrorOf, isNotFound, translateArmError } from '@private-wire/shared/azure/errors';
import { parseResourceId, type ResourceId } from '@private-wire/shared/azure/resource-id';
import type { EndpointSettings } from './settings';
import { describeTarget, targetReference } from './target';

export interface EndpointWorld {
  session: AzureSession;
  /** The client for the endpoint's subscription (the one signed in to). */
  network: NetworkManagementClient;
  vnetId: ResourceId;
  vnet: VirtualNetwork;
  subnetId: string;
  /** The endpoint's region: its VNet's. */
  location: string;
  endpointId: string;
  abortSignal: AbortSignal;
}

export const networkClient = (session: AzureSession, subscriptionId: string) => new NetworkManagementClient(session.credential, subscriptionId, armClientOptions(session));

/** The VNet and the subnet the endpoint goes into; both must exist. */
export async function readVnet(s: EndpointSettings, session: AzureSession, abortSignal: AbortSignal): Promise<{ vnetId: ResourceId; vnet: VirtualNetwork; subnetId: string }> {
  const vnetId = s.vnet(session.subscriptionId);
  let vnet: VirtualNetwork;
  try {
    vnet = await networkClient(session, vnetId.subscriptionId).virtualNetworks.get(vnetId.resourceGroup, vnetId.names[0]!, { abortSignal });
  } catch (error) {
    if (isNotFound(error)) {
      throw new UserError(`Input '${s.names.vnet}' is '${vnetId.names[0]}', but no virtual network of that name exists in resource group '${vnetId.resourceGroup}'.`, `Check '${s.names.vnet}' and '${s.names.vnetResourceGroup}' (default: '${s.names.resourceGroup}'), or give the VNet's resource ID.`);
    }
    throw translateArmError(error, { what: `reading virtual network ${vnetId.names[0]}`, identity: session.method });
  }
  const subnet = (vnet.subnets ?? []).find((x) => x.name?.toLowerCase() === s.subnet.toLowerCase());
  if (!subnet?.id) {
    const known = (vnet.subnets ?? []).map((x) => x.name).join(', ') || 'none';
    throw new UserError(`Input '${s.names.subnet}' is '${s.subnet}', but virtual network '${vnet.name}' has no subnet of that name (it has: ${known}).`, 'Name an existing subnet: this step does not create subnets.');
  }
  return { vnetId, vnet, subnetId: subnet.id };
}

/**
 * Asks Microsoft.Network whether the alias's service is visible to the endpoint's subscription
 * (PrivateLinkServices_CheckPrivateLinkServiceVisibility, azure-rest-api-specs network
 * stable/2025-05-01 privateLinkService.json: a long-running POST; the SDK follows it) and refuses
 * an alias that is not, before anything is written.
 */
export async function checkVisibility(w: EndpointWorld, alias: string, s: EndpointSettings): Promise<void> {
  let visible: boolean | undefined;
  try {
    const answer = await w.network.privateLinkServices.beginCheckPrivateLinkServiceVisibilityAndWait(w.location, { privateLinkServiceAlias: alias }, { abortSignal: w.abortSignal, updateIntervalInMs: 1000 });
    visible = answer.visible;
  } catch (error) {
    throw translateArmError(error, { what: `checking whether Private Link Service alias ${alias} is visible`, identity: w.session.method });
  }
  if (!visible) {
    throw new UserError(
      `Input '${s.names.target}' is the alias '${alias}', which is not visible to subscription ${w.session.subscriptionId} (or no such service exists in ${w.location}).`,
      `The provider must make its Private Link Service visible to this subscription: its 'visibility' (on AKS the Service annotation service.beta.kubernetes.io/azure-pls-visibility, input 'pls-visibility' of expose-internal-service) must list ${w.session.subscriptionId} or '*'. Check the alias for typos too.`,
    );
  }
}

export async function readEndpoint(w: EndpointWorld, s: EndpointSettings): Promise<PrivateEndpoint | undefined> {
  try {
    return await w.network.privateEndpoints.get(s.resourceGroup, s.name, { abortSignal: w.abortSignal });
  } catch (error) {
    if (isNotFound(error) && armErrorOf(error).code !== 'ResourceGroupNotFound') return undefined;
    if (armErrorOf(error).code === 'ResourceGroupNotFound') {
      throw new UserError(`Input '${s.names.resourceGroup}' is '${s.resourceGroup}', but subscription ${w.session.subscriptionId} has no resource group of that name.`, 'Create the resource group first, or name an existing one.');
    }
    throw translateArmError(error, { what: `reading private endpoint ${s.name}`, identity: w.session.method });
  }
}

/** The endpoint to create: one connection, manual or automatic, named after the endpoint. */
export function endpointBody(w: EndpointWorld, s: EndpointSettings): PrivateEndpoint {
  const connection = {
    name: s.name,
    privateLinkServiceId: targetReference(s.target),
    groupIds: s.groupId ? [s.groupId] : [],
    // Only a manual request carries a message: an automatic one is approved without anyone reading it.
    ...(s.approval === 'manual' ? { requestMessage: s.requestMessage } : {}),
  };
  return {
    location: w.location,
    subnet: { id: w.subnetId },
    ...(s.approval === 'manual' ? { manualPrivateLinkServiceConnections: [connection] } : { privateLinkServiceConnections: [connection] }),
  };
}

/** What ARM's refusals of the create mean here. */
function createHints(s: EndpointSettings): Record<string, string> {
  return {
    LinkedAuthorizationFailed: `'${s.names.approval}: auto' needs the right to approve on the target (${describeTarget(s.target)}): Microsoft.<Provider>/<type>/privateEndpointConnectionsApproval/action, e.g. through the Contributor role there. Ask the provider for it, or use '${s.names.approval}: manual' and have them approve the request.`,
    InvalidResourceReference: `The target or the subnet was not found: check '${s.names.target}' (a resource ID in another subscription must exist there, an alias must be visible to this subscription) and '${s.names.subnet}'.`,
  };
}

/**
 * Creates the endpoint only where none exists (If-None-Match: *; ARM answers 412
 * PreconditionFailed otherwise, Azure REST API guidelines "Conditional requests"), waiting for the
 * long-running create. Returns false when one appeared meanwhile (the caller re-plans).
 */
export async function createEndpoint(w: EndpointWorld, s: EndpointSettings): Promise<boolean> {
  try {
    await w.network.privateEndpoints.beginCreateOrUpdateAndWait(s.resourceGroup, s.name, endpointBody(w, s), {
      requestOptions: { customHeaders: { 'If-None-Match': '*' } },
      abortSignal: w.abortSignal,
      updateIntervalInMs: 1000,
    });
    return true;
  } catch (error) {
    if (armErrorOf(error).status === 412) return false;
    throw translateArmError(error, { what: `creating private endpoint ${s.name}`, identity: w.session.method, hints: createHints(s) });
  }
}

/** The endpoint's private IP, read from its NIC (`ipConfigurations[0].privateIPAddress`, networkInterface.json). */
export async function readNicIp(w: EndpointWorld, nicId: string | undefined): Promise<string> {
  if (!nicId) throw new UserError(`Private endpoint ${w.endpointId} has no network interface yet.`, 'Azure has not finished creating it: re-run the step in a minute.');
  const id = parseResourceId(nicId, 'networkInterfaces');
  try {
    const nic = await networkClient(w.session, id.subscriptionId).networkInterfaces.get(id.resourceGroup, id.names[0]!, { abortSignal: w.abortSignal });
    const ip = nic.ipConfigurations?.[0]?.privateIPAddress;
    if (!ip) throw new UserError(`Network interface ${nicId} of private endpoint ${w.endpointId} has no private IP yet.`, 'Azure has not finished creating it: re-run the step in a minute.');
    return ip;
  } catch (error) {
    throw translateArmError(error, { what: `reading network interface ${nicId}`, identity: w.session.method });
  }
}
