import { NetworkManagementClient, type PrivateLinkService } from '@azure/arm-network';
import type { AzureSession } from '@private-wire/shared/azure/credential';
import { armClientOptions } from '@private-wire/shared/azure/clients';
import { translateArmError } from '@private-wire/shared/azure/errors';
import { TAG_CLUSTER_NAME, TAG_OWNER_SERVICE } from '@private-wire/shared/kubernetes/azure-annotations';

export type PlsLookup = { found: PrivateLinkService } | { problem: string };

/**
 * Finds the Private Link Service cloud-provider-azure made for a Service: it tags it
 * `k8s-azure-owner-service: <namespace>/<service>`. Listed in the PLS resource group when given
 * (else the subscription, since the default node resource group is not known here), narrowed by
 * name and, when several clusters use the same Service name, by the cluster-name tag.
 */
export async function findPrivateLinkService(
  session: AzureSession,
  q: { namespace: string; service: string; name?: string; resourceGroup?: string; clusterName?: string; inputName: (kebab: string) => string },
): Promise<PlsLookup> {
  const client = new NetworkManagementClient(session.credential, session.subscriptionId, armClientOptions(session));
  const owner = `${q.namespace}/${q.service}`;
  const matches: PrivateLinkService[] = [];
  const where = q.resourceGroup ? `resource group ${q.resourceGroup}` : `subscription ${session.subscriptionId}`;
  try {
    const pages = q.resourceGroup ? client.privateLinkServices.list(q.resourceGroup) : client.privateLinkServices.listBySubscription();
    for await (const pls of pages) {
      if (pls.tags?.[TAG_OWNER_SERVICE] !== owner) continue;
      if (q.name && pls.name?.toLowerCase() !== q.name.toLowerCase()) continue;
      matches.push(pls);
    }
  } catch (error) {
    throw translateArmError(error, { what: `listing private link services in ${where}`, identity: session.method });
  }
  let found = matches;
  if (found.length > 1 && q.clusterName) found = found.filter((p) => p.tags?.[TAG_CLUSTER_NAME] === q.clusterName);
  if (found.length === 1) return { found: found[0]! };
  if (found.length === 0) return { problem: `no Private Link Service tagged ${TAG_OWNER_SERVICE}=${owner} was found in ${where} (yet)` };
  return {
    problem: `${found.length} Private Link Services are tagged ${TAG_OWNER_SERVICE}=${owner} in ${where} (${found.map((p) => p.id).join(', ')}); give '${q.inputName('cluster-name')}' or '${q.inputName('pls-name')}' to tell them apart`,
  };
}
