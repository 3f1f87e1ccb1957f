// Who can open a connection to the cluster's API server. The stand-in's Kubernetes API stands for
// the first AKS cluster in the ArmStore (as its cloud provider does); its `apiServerAccessProfile`
// decides who gets through, before TLS or authentication matter.

/** The managed cluster's `properties.apiServerAccessProfile` (azure-rest-api-specs managedClusters.json, ManagedClusterAPIServerAccessProfile). */
export type ApiServerAccessProfile = Record<string, unknown> | undefined;

/**
 * A private cluster's API server has only a private IP in the cluster's VNet (its public FQDN, if
 * any, resolves to that private IP too): a runner outside the VNet cannot connect at all
 * (MicrosoftDocs/azure-aks-docs articles/aks/private-clusters.md; "you need to connect to the
 * cluster from the cluster virtual network, a peered network, or a configured private endpoint",
 * https://learn.microsoft.com/azure/aks/access-private-cluster). Callers inside the cluster (the
 * run command's pod) come in through the in-cluster listener and are not refused.
 */
export function privateClusterRefuses(access: ApiServerAccessProfile, fromInsideCluster: boolean): boolean {
  return access?.['enablePrivateCluster'] === true && !fromInsideCluster;
}
