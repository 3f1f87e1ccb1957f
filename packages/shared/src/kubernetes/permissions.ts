// Azure RBAC a Kubernetes step needs to reach an AKS cluster through its Azure sign-in, declared once for
// every step that connects with cluster-name. Action names: Microsoft Learn, "Azure permissions for
// Containers" (https://learn.microsoft.com/azure/role-based-access-control/permissions/containers,
// Microsoft.ContainerService); roles: https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/containers.
import type { AzurePermission } from '../metadata/types';

const CLUSTER = { scope: 'the AKS cluster', scopeVar: 'CLUSTER_ID' } as const;

/** aks-credentials.ts reads the cluster (API server access, private detection) and lists its credentials. */
export const AKS_CREDENTIAL_PERMISSIONS: readonly AzurePermission[] = [
  {
    ...CLUSTER,
    when: 'with `cluster-name` (no kubeconfig)',
    role: 'Azure Kubernetes Service Cluster User Role',
    actions: ['Microsoft.ContainerService/managedClusters/read', 'Microsoft.ContainerService/managedClusters/listClusterUserCredential/action'],
  },
  {
    ...CLUSTER,
    when: 'with `admin: true`',
    role: 'Azure Kubernetes Service Cluster Admin Role',
    actions: ['Microsoft.ContainerService/managedClusters/read', 'Microsoft.ContainerService/managedClusters/listClusterAdminCredential/action'],
  },
  // run-command.ts: ManagedClusters_RunCommand, then polls GetCommandResult; Microsoft Learn "Access a private
  // AKS cluster using the command invoke feature" (https://learn.microsoft.com/azure/aks/access-private-cluster)
  // names runcommand/action and commandResults/read. The role is the one run-command.ts's own message suggests.
  {
    ...CLUSTER,
    when: 'with `private-cluster` (run command)',
    role: 'Azure Kubernetes Service Cluster Admin Role',
    actions: ['Microsoft.ContainerService/managedClusters/read', 'Microsoft.ContainerService/managedClusters/runcommand/action', 'Microsoft.ContainerService/managedClusters/commandResults/read'],
  },
];
