import { ContainerServiceClient } from '@azure/arm-containerservice';
import { UserError } from '../errors';
import { armClientOptions } from '../azure/clients';
import type { AzureSession } from '../azure/credential';
import { translateArmError } from '../azure/errors';

/** Fetches the AKS user or admin kubeconfig from ARM (listClusterUserCredential / listClusterAdminCredential). */
export async function fetchAksKubeconfig(session: AzureSession, resourceGroup: string, name: string, admin: boolean, inputName: (kebab: string) => string): Promise<string> {
  const client = new ContainerServiceClient(session.credential, session.subscriptionId, armClientOptions(session));
  try {
    const result = admin
      ? await client.managedClusters.listClusterAdminCredentials(resourceGroup, name)
      : await client.managedClusters.listClusterUserCredentials(resourceGroup, name);
    const value = result.kubeconfigs?.[0]?.value;
    if (!value) throw new UserError(`AKS cluster ${resourceGroup}/${name} returned no kubeconfig.`, 'Check that the cluster is running.');
    return Buffer.from(value).toString('utf8');
  } catch (error) {
    throw translateArmError(error, {
      what: `fetching ${admin ? 'admin' : 'user'} credentials of AKS cluster ${resourceGroup}/${name}`,
      identity: session.method,
      hints: {
        ResourceNotFound: `Check '${inputName('cluster-name')}' and '${inputName('cluster-resource-group')}'.`,
        ResourceGroupNotFound: `Check '${inputName('cluster-resource-group')}'.`,
        BadRequest: admin ? `Local accounts may be disabled on this cluster: set '${inputName('admin')}' to false (Azure AD sign-in).` : undefined,
      },
    });
  }
}
