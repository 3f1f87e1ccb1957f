import type { InputValues } from '../engine/inputs';
import type { InputSpec } from '../metadata/types';

/** Cluster connection inputs; explicit ones win over the ambient KUBECONFIG (see connectToCluster). */
export const KUBERNETES_INPUTS = {
  kubeconfig: {
    type: 'multiline',
    secret: true,
    description:
      'Kubeconfig content (masked). Default: the KUBECONFIG file (azure/aks-set-context sets it), the Kubernetes service connection (Azure Pipelines), or the AKS cluster named below.',
  },
  'kubernetes-service-connection': {
    type: 'service-connection',
    connection: 'kubernetes',
    host: 'azure-pipelines',
    label: 'Kubernetes service connection',
    description: 'Kubernetes service connection (Kubeconfig, Service Account or Azure Subscription type).',
  },
  'cluster-resource-group': { type: 'string', description: 'Resource group of the AKS cluster (with cluster-name).' },
  'cluster-name': {
    type: 'string',
    description:
      'AKS cluster whose credentials are fetched with the Azure sign-in when no kubeconfig or service connection is given (expose-internal-service also uses it, beside a kubeconfig, to find the cluster\'s Private Link Service).',
  },
  admin: {
    type: 'boolean',
    label: 'Use admin credentials',
    default: 'false',
    description: 'Fetch the AKS admin credentials instead of the user credentials.',
  },
  'public-fqdn': {
    type: 'boolean',
    default: 'false',
    description:
      'With cluster-name: fetch credentials whose server is the private cluster\'s public FQDN instead of its private FQDN (`az aks get-credentials --public-fqdn`), for a runner that reaches the cluster\'s network but not its private DNS zone. The cluster must have a public FQDN.',
  },
  'private-cluster': {
    type: 'boolean',
    description:
      '`true`: every Kubernetes read and write goes through the AKS run command (kubectl in a pod inside the cluster, 10–60 s per command; needs cluster-resource-group, cluster-name and the Microsoft.ContainerService/managedClusters/runcommand/action permission), for a private cluster this runner cannot reach. `false`: connect directly. Empty: with the cluster named by cluster-name (and no kubeconfig or service connection), detected from the cluster (apiServerAccessProfile.enablePrivateCluster).',
    optionLabels: { '': 'Detect from the cluster', true: 'Private: use the AKS run command', false: 'Connect directly' },
  },
  'allow-credential-plugin': {
    type: 'boolean',
    group: 'advanced',
    default: 'false',
    description:
      'Let the kubeconfig run its credential plugin (`exec`, or a legacy auth-provider `cmd-path`), which runs a program named in the kubeconfig; the log says which. Never in a dry run. kubelogin is not needed either way: AKS Azure AD tokens come from the Azure sign-in.',
  },
} as const satisfies Record<string, InputSpec>;

export type KubernetesInputs = typeof KUBERNETES_INPUTS;

export interface ClusterSettings {
  kubeconfig?: string;
  clusterResourceGroup?: string;
  clusterName?: string;
  admin: boolean;
  /** Ask AKS for the kubeconfig naming the public FQDN (`server-fqdn=public`). */
  publicFqdn: boolean;
  allowCredentialPlugin: boolean;
  /** Through the AKS run command (true), directly (false), or detected from the named cluster (undefined). */
  privateCluster?: boolean;
}

export function clusterSettings(inputs: InputValues<KubernetesInputs>): ClusterSettings {
  return {
    kubeconfig: inputs.kubeconfig,
    clusterResourceGroup: inputs['cluster-resource-group'],
    clusterName: inputs['cluster-name'],
    admin: inputs.admin,
    publicFqdn: inputs['public-fqdn'],
    allowCredentialPlugin: inputs['allow-credential-plugin'],
    privateCluster: inputs['private-cluster'],
  };
}
