import { ContainerServiceClient, type ManagedCluster } from '@azure/arm-containerservice';
import { UserError } from '../errors';
import { armClientOptions } from '../azure/clients';
import type { AzureSession } from '../azure/credential';
import { translateArmError } from '../azure/errors';
import { errorMessage } from '../errors';
import type { ApiServerAccess } from './unreachable';

/** An AKS cluster named by the inputs, and how the running host spells input names. */
export interface AksClusterRef {
  resourceGroup: string;
  name: string;
  inputName: (kebab: string) => string;
}

/** The query options of listClusterUserCredential / listClusterAdminCredential. */
export interface CredentialRequest {
  /**
   * `exec`, always, for user credentials. Without it AKS picks by Kubernetes version: `exec`
   * (kubelogin) from 1.24, the legacy client-go `azure` auth-provider before (MicrosoftDocs/
   * azure-aks-docs articles/aks/enable-authentication-microsoft-entra-id.md), a format client-go
   * dropped in Kubernetes 1.26 and that client-node can only refresh by running a `cmd-path`
   * program. The `format` query parameter (enum exec | azure, "Only apply to AAD clusters") exists
   * since api-version 2022-01-01 (azure-rest-api-specs specification/containerservice/
   * resource-manager/Microsoft.ContainerService/aks/stable/2022-01-01/managedClusters.json,
   * CredentialFormatParameter; the operations generated for 2021-11-01-preview and earlier in
   * azure-mgmt-containerservice have no `format`); @azure/arm-containerservice 25.3.0 calls 2026-04-01. Non-AAD clusters ignore it and return static credentials. The admin operation
   * has no `format`.
   *
   * How the exec kubeconfig is used: its user runs `kubelogin get-token --server-id <AKS AAD server
   * app>`; connection.ts never runs kubelogin but mints that token with the step's own Azure sign-in
   * (useAzureAdTokens), so `allow-credential-plugin` is not needed and a dry run works. Any other exec
   * plugin still runs only when allowed (credential-plugins.ts).
   */
  format?: 'exec';
  /**
   * `public` when asked for: the kubeconfig then names the private cluster's public FQDN instead of
   * its private one. Query parameter `server-fqdn` (ServerFqdnParameter, on both operations since
   * api-version 2021-05-01; a free string in the spec); `public` is the only value documented, the
   * one `az aks get-credentials --public-fqdn` sends (azure-cli src/azure-cli/azure/cli/
   * command_modules/acs/custom.py aks_get_credentials: `serverType = 'public'`).
   */
  serverFqdn?: 'public';
}

/** What to ask AKS for: user credentials always in `exec` format; `server-fqdn=public` on request. */
export function credentialRequest(admin: boolean, publicFqdn: boolean): CredentialRequest {
  return { ...(admin ? {} : { format: 'exec' as const }), ...(publicFqdn ? { serverFqdn: 'public' as const } : {}) };
}

/**
 * Why the cluster cannot give a kubeconfig with its public FQDN, if it cannot: a private cluster
 * created or updated with `enablePrivateClusterPublicFQDN: false` has `privateFQDN` and no `fqdn`
 * (managedClusters.json ManagedClusterProperties fqdn / privateFQDN, ManagedClusterAPIServerAccessProfile
 * enablePrivateClusterPublicFQDN). How AKS itself answers `server-fqdn=public` there is not documented,
 * so the step does not ask.
 */
export function publicFqdnProblem(cluster: Pick<ManagedCluster, 'fqdn' | 'privateFqdn'>): string | undefined {
  if (cluster.fqdn) return undefined;
  return cluster.privateFqdn ? `it is a private cluster without a public FQDN (only ${cluster.privateFqdn})` : 'it reports no FQDN';
}

function armHints(ref: AksClusterRef, admin: boolean) {
  return {
    ResourceNotFound: `Check '${ref.inputName('cluster-name')}' and '${ref.inputName('cluster-resource-group')}'.`,
    ResourceGroupNotFound: `Check '${ref.inputName('cluster-resource-group')}'.`,
    BadRequest: admin ? `Local accounts may be disabled on this cluster: set '${ref.inputName('admin')}' to false (Azure AD sign-in).` : undefined,
  };
}

/** The managed cluster (GET Microsoft.ContainerService/managedClusters), with what to check when it is not found. */
export async function readAksCluster(session: AzureSession, ref: AksClusterRef): Promise<ManagedCluster> {
  const client = new ContainerServiceClient(session.credential, session.subscriptionId, armClientOptions(session));
  try {
    return await client.managedClusters.get(ref.resourceGroup, ref.name);
  } catch (error) {
    throw translateArmError(error, { what: `reading AKS cluster ${ref.resourceGroup}/${ref.name}`, identity: session.method, hints: armHints(ref, false) });
  }
}

/**
 * The API server's network access (apiServerAccessProfile authorizedIPRanges / enablePrivateCluster,
 * privateFQDN: azure-rest-api-specs managedClusters.json ManagedClusterAPIServerAccessProfile), read
 * once with the credentials so an unreachable API server can be explained (unreachable.ts). Only a
 * help for messages: when it cannot be read, the step goes on without it.
 */
export async function readApiServerAccess(session: AzureSession, ref: AksClusterRef, debug: (message: string) => void): Promise<ApiServerAccess | undefined> {
  try {
    const cluster = await readAksCluster(session, ref);
    const access = cluster.apiServerAccessProfile;
    return {
      cluster: `AKS cluster ${ref.resourceGroup}/${ref.name}`,
      authorizedRanges: [...(access?.authorizedIPRanges ?? [])],
      isPrivate: access?.enablePrivateCluster === true,
      privateFqdn: cluster.privateFqdn,
    };
  } catch (error) {
    debug(`Could not read the API server access profile of AKS cluster ${ref.resourceGroup}/${ref.name}: ${errorMessage(error)}`);
    return undefined;
  }
}

/** Fetches the AKS user or admin kubeconfig from ARM (listClusterUserCredential / listClusterAdminCredential). */
export async function fetchAksKubeconfig(session: AzureSession, resourceGroup: string, name: string, admin: boolean, inputName: (kebab: string) => string, publicFqdn = false): Promise<string> {
  const ref: AksClusterRef = { resourceGroup, name, inputName };
  if (publicFqdn) {
    const problem = publicFqdnProblem(await readAksCluster(session, ref));
    if (problem) {
      throw new UserError(
        `Input '${inputName('public-fqdn')}' is true, but AKS cluster ${resourceGroup}/${name} has no public FQDN: ${problem}.`,
        `Set '${inputName('public-fqdn')}' to false and run where the private FQDN resolves, or give the cluster a public FQDN (az aks update --enable-public-fqdn).`,
      );
    }
  }
  const client = new ContainerServiceClient(session.credential, session.subscriptionId, armClientOptions(session));
  const request = credentialRequest(admin, publicFqdn);
  try {
    const result = admin
      ? await client.managedClusters.listClusterAdminCredentials(resourceGroup, name, { serverFqdn: request.serverFqdn })
      : await client.managedClusters.listClusterUserCredentials(resourceGroup, name, request);
    const value = result.kubeconfigs?.[0]?.value;
    if (!value) throw new UserError(`AKS cluster ${resourceGroup}/${name} returned no kubeconfig.`, 'Check that the cluster is running.');
    return Buffer.from(value).toString('utf8');
  } catch (error) {
    throw translateArmError(error, { what: `fetching ${admin ? 'admin' : 'user'} credentials of AKS cluster ${resourceGroup}/${name}`, identity: session.method, hints: armHints(ref, admin) });
  }
}
