/** An Azure Pipelines service connection as the agent hands it to a task. */
export interface ServiceConnection {
  id: string;
  /** e.g. `WorkloadIdentityFederation`, `ServicePrincipal`, `ManagedServiceIdentity`, `Kubeconfig`. */
  scheme: string;
  /** Authorization parameters (secrets among them: already masked when returned). */
  parameters: Record<string, string>;
  /** Non-secret data of the connection, e.g. `subscriptionId`, `environment`. */
  data(key: string): string | undefined;
  url?: string;
}
