import type { InputSpec } from '../metadata/types';

/** Cluster connection inputs, tried in this order: kubeconfig, KUBECONFIG, service connection, AKS by name. */
export const KUBERNETES_INPUTS: Record<string, InputSpec> = {
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
  'cluster-resource-group': { type: 'string', description: 'Resource group of the AKS cluster to fetch credentials for (with cluster-name).' },
  'cluster-name': { type: 'string', description: 'AKS cluster to fetch credentials for with the Azure sign-in.' },
  admin: {
    type: 'boolean',
    default: 'false',
    description: 'Fetch the AKS admin credentials instead of the user credentials.',
  },
  'allow-credential-plugin': {
    type: 'boolean',
    default: 'false',
    description:
      'Let the kubeconfig run its credential plugin (`exec`, or a legacy auth-provider `cmd-path`), which runs a program named in the kubeconfig; the log says which. Never in a dry run. kubelogin is not needed either way: AKS Azure AD tokens come from the Azure sign-in.',
  },
};

export interface ClusterSettings {
  kubeconfig?: string;
  clusterResourceGroup?: string;
  clusterName?: string;
  admin: boolean;
  allowCredentialPlugin: boolean;
}

export function clusterSettings(inputs: Record<string, unknown>): ClusterSettings {
  const text = (name: string) => (inputs[name] as string | undefined) || undefined;
  return {
    kubeconfig: text('kubeconfig'),
    clusterResourceGroup: text('cluster-resource-group'),
    clusterName: text('cluster-name'),
    admin: inputs.admin === true,
    allowCredentialPlugin: inputs['allow-credential-plugin'] === true,
  };
}
