import type { StepMetadata } from '@private-wire/shared/metadata/types';

export const aksApiAccessMetadata = {
  id: 'aks-api-access',
  title: 'Open AKS API access for this runner',
  description:
    "Adds this runner's public IP address to an AKS cluster's API server authorized IP ranges for the job, and removes exactly that range after the job (GitHub `post`, Azure Pipelines post-job), without ever dropping anyone else's range.",
  service: 'azure',
  inputs: {
    'cluster-resource-group': {
      type: 'string',
      description: 'Resource group of the AKS cluster (not needed when `cluster-name` is a resource ID).',
    },
    'cluster-name': {
      type: 'string',
      required: true,
      description: 'Name of the AKS cluster, or its resource ID (`/subscriptions/…/providers/Microsoft.ContainerService/managedClusters/<name>`).',
    },
    'runner-ip': {
      type: 'string',
      label: 'Agent public IP',
      description:
        "The public IPv4 address (or CIDR range) to allow, e.g. `20.81.4.7` or `20.81.4.0/28`. Default: detected by asking `ip-echo-url`. Give it when the runner's outbound address is known (a NAT gateway) or no echo service is reachable.",
    },
    'ip-echo-url': {
      type: 'string',
      group: 'advanced',
      default: 'https://api.ipify.org',
      description: "An HTTPS URL that answers the caller's public IPv4 address as plain text. Not called when `runner-ip` is given.",
    },
    keep: {
      type: 'boolean',
      label: 'Keep the range after the job',
      default: 'false',
      description: 'Leave the added range on the cluster after the job instead of removing it.',
    },
    wait: {
      type: 'boolean',
      group: 'advanced',
      default: 'true',
      description: 'Wait until the cluster update has finished (it takes minutes in Azure), so later steps can reach the API server at once.',
    },
    timeout: {
      type: 'integer',
      default: '900',
      min: 1,
      max: 3600,
      description:
        'How long the step may take in all, in seconds, including waiting for another operation on the cluster to end and for the update to finish. The post-job removal has the same limit.',
    },
  },
  outputs: {
    'runner-ip': { description: 'The CIDR range allowed for this runner, e.g. `20.81.4.7/32` (also when an existing range already covered it).' },
    added: { description: '`true` only when this run added a range (which the post-job run then removes unless `keep`).' },
    private: { description: '`true` when the cluster is a private cluster (nothing is written: authorized ranges do not apply).' },
  },
  task: {
    id: 'c9baa5bb-b1da-4810-82d4-82a76367a904',
    friendlyName: 'private-wire: AKS API access for agent',
    instanceNameFormat: 'Open AKS API access to $(clusterName) for this agent',
    category: 'Deploy',
  },
  branding: { icon: 'unlock', color: 'blue' },
  post: true,
  // cluster-ranges.ts: GET the managed cluster, PUT it back with If-Match (main run and post).
  // // Actions: Microsoft Learn, Azure resource provider operations (https://learn.microsoft.com/azure/role-based-access-control/permissions/containers).
  permissions: {
    azure: [
      {
        scope: 'the AKS cluster',
        scopeVar: 'CLUSTER_ID',
        role: 'Azure Kubernetes Service Contributor Role',
        actions: ['Microsoft.ContainerService/managedClusters/read', 'Microsoft.ContainerService/managedClusters/write'],
      },
    ],
    kubernetes: [],
  },
} as const satisfies StepMetadata;
