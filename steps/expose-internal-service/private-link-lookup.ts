import { NetworkManagementClient, type PrivateLinkService } from '@azure/arm-network';
import { UserError } from '@private-wire/shared/errors';
import type { AzureSession } from '@private-wire/shared/azure/credential';
import { armClientOptions } from '@private-wire/shared/azure/clients';
import { isNotFound, translateArmError } from '@private-wire/shared/azure/errors';
import { readAksCluster, type AksClusterRef } from '@private-wire/shared/kubernetes/aks-credentials';
import { choosePrivateLinkService, needsIpMatch, ownedCandidates, parseFrontendId, type PlsCandidate, type PlsLookup } from './private-link-match';

export type { PlsLookup } from './private-link-match';

/**
 * The cluster's node resource group (`properties.nodeResourceGroup` of GET
 * Microsoft.ContainerService/managedClusters: azure-rest-api-specs specification/containerservice/
 * resource-manager/Microsoft.ContainerService/aks/stable/2022-01-01/managedClusters.json,
 * ManagedClusterProperties.nodeResourceGroup), where AKS's cloud provider keeps its load balancers.
 */
export async function nodeResourceGroupOf(session: AzureSession, ref: AksClusterRef): Promise<string> {
  const cluster = await readAksCluster(session, ref);
  if (!cluster.nodeResourceGroup) {
    throw new UserError(
      `AKS cluster ${ref.resourceGroup}/${ref.name} reports no node resource group, so its Private Link Service cannot be told from other clusters'.`,
      `Check that '${ref.inputName('cluster-resource-group')}' and '${ref.inputName('cluster-name')}' name an AKS cluster that finished provisioning.`,
    );
  }
  return cluster.nodeResourceGroup;
}

export interface LookupQuery {
  namespace: string;
  service: string;
  /** `pls-name`, when given. */
  name?: string;
  /** `pls-resource-group`, when given. */
  resourceGroup?: string;
  /** The cluster's node resource group, when the cluster is named (see nodeResourceGroupOf). */
  nodeResourceGroup?: string;
  /** The Service's load balancer IP, when it has one. */
  ip?: string;
  inputName: (kebab: string) => string;
}

const candidateOf = (p: PrivateLinkService): PlsCandidate => ({
  id: p.id ?? '',
  name: p.name ?? '',
  alias: p.alias,
  tags: p.tags,
  frontendIds: (p.loadBalancerFrontendIpConfigurations ?? []).map((f) => f.id ?? '').filter(Boolean),
});

/**
 * Finds the Private Link Service cloud-provider-azure made for a Service on this cluster: listed in
 * `pls-resource-group`, else the node resource group, else (no cluster named) the subscription;
 * narrowed by the owner tag, the name and the node resource group, and, where that is not enough,
 * by the private IP of the load balancer frontend it is attached to (see private-link-match.ts).
 */
export async function findPrivateLinkService(session: AzureSession, q: LookupQuery): Promise<PlsLookup> {
  const client = new NetworkManagementClient(session.credential, session.subscriptionId, armClientOptions(session));
  const group = q.resourceGroup ?? q.nodeResourceGroup;
  const where = group ? `resource group ${group}` : `subscription ${session.subscriptionId}`;
  const all: PlsCandidate[] = [];
  try {
    const pages = group ? client.privateLinkServices.list(group) : client.privateLinkServices.listBySubscription();
    for await (const pls of pages) all.push(candidateOf(pls));
  } catch (error) {
    throw translateArmError(error, { what: `listing private link services in ${where}`, identity: session.method });
  }
  const owner = `${q.namespace}/${q.service}`;
  const candidates = ownedCandidates(all, { owner, name: q.name, nodeResourceGroup: q.nodeResourceGroup });
  const frontendIps = needsIpMatch(candidates, q.nodeResourceGroup) && q.ip ? await readFrontendIps(session, candidates) : new Map<string, string | undefined>();
  return choosePrivateLinkService(candidates, { owner, where, nodeResourceGroup: q.nodeResourceGroup, ip: q.ip, frontendIps, inputName: q.inputName });
}

/**
 * The private IP of every frontend the candidates reference (GET Microsoft.Network/loadBalancers,
 * `frontendIPConfigurations[].properties.privateIPAddress`: azure-rest-api-specs
 * specification/network/resource-manager/Microsoft.Network/stable/2025-05-01/loadBalancer.json),
 * one read per load balancer, by lower-cased frontend ID.
 */
async function readFrontendIps(session: AzureSession, candidates: readonly PlsCandidate[]): Promise<Map<string, string | undefined>> {
  const ips = new Map<string, string | undefined>();
  const read = new Set<string>();
  for (const frontendId of candidates.flatMap((p) => p.frontendIds)) {
    const fe = parseFrontendId(frontendId);
    if (!fe) continue;
    const lbKey = `${fe.subscriptionId}/${fe.resourceGroup}/${fe.loadBalancer}`.toLowerCase();
    if (read.has(lbKey)) continue;
    read.add(lbKey);
    // The load balancer may be in another subscription than the step's (its ID says which).
    const client = new NetworkManagementClient(session.credential, fe.subscriptionId, armClientOptions(session));
    try {
      const lb = await client.loadBalancers.get(fe.resourceGroup, fe.loadBalancer);
      for (const f of lb.frontendIPConfigurations ?? []) if (f.id) ips.set(f.id.toLowerCase(), f.privateIPAddress);
    } catch (error) {
      // A load balancer that is gone has no frontend to match: that PLS is simply not the one.
      if (isNotFound(error)) continue;
      throw translateArmError(error, { what: `reading load balancer ${fe.resourceGroup}/${fe.loadBalancer} to match the Private Link Service's frontend to the Service's IP`, identity: session.method });
    }
  }
  return ips;
}
