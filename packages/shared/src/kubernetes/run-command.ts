// The AKS run command (`az aks command invoke`): AKS starts a pod inside the cluster that runs the
// command with kubectl, so a private cluster's API server is reached without a network path to it
// (https://learn.microsoft.com/azure/aks/access-private-cluster). ARM operations
// ManagedClusters_RunCommand (POST .../managedClusters/{name}/runCommand, 202 + Location) and
// ManagedClusters_GetCommandResult (GET .../commandResults/{commandId}, 202 while running, 200 with
// RunCommandResult) in azure-rest-api-specs specification/containerservice/resource-manager/
// Microsoft.ContainerService/aks/stable/2025-10-01/managedClusters.json; @azure/arm-containerservice
// 25.3.0 calls them with api-version 2026-04-01 and polls the Location. The caller needs
// Microsoft.ContainerService/managedClusters/runcommand/action on the cluster.
import { ContainerServiceClient, type ManagedCluster } from '@azure/arm-containerservice';
import { UserError } from '../errors';
import { armClientOptions } from '../azure/clients';
import type { AzureSession } from '../azure/credential';
import { translateArmError } from '../azure/errors';
import { AKS_AAD_SERVER_APP_ID } from './connection';
import { zipStored } from './zip';

/** The cluster commands run in, and who runs them. */
export interface RunCommandCluster {
  session: AzureSession;
  resourceGroup: string;
  name: string;
  /** As read from ARM: an Azure AD cluster runs the command as the caller (clusterToken). */
  cluster: ManagedCluster;
  inputName: (kebab: string) => string;
}

/**
 * How often the result is polled when AKS sends no Retry-After. A command takes 10–60 s in Azure
 * (the pod must be scheduled and pull its image), so polling faster only costs requests.
 */
const POLL_INTERVAL_MS = 2000;

/**
 * Runs `command` in the cluster with `files` in its working directory; the exit code and the
 * output (stdout and stderr together). A command that AKS could not run (provisioningState Failed,
 * e.g. the pod's image could not be pulled) is a UserError with AKS's reason.
 */
export async function runInCluster(target: RunCommandCluster, command: string, files: Record<string, string> = {}): Promise<{ exitCode: number; logs: string }> {
  const { session, resourceGroup, name } = target;
  const client = new ContainerServiceClient(session.credential, session.subscriptionId, armClientOptions(session));
  const what = `running a command in AKS cluster ${resourceGroup}/${name} (run command)`;
  try {
    const clusterToken = await tokenForCluster(target);
    const context = Object.keys(files).length ? zipStored(files).toString('base64') : undefined;
    const result = await client.managedClusters
      .runCommand(resourceGroup, name, { command, context, clusterToken }, { updateIntervalInMs: POLL_INTERVAL_MS, abortSignal: session.deadline.signal })
      .pollUntilDone();
    // The spec's examples spell the state `succeeded`, azure-cli compares with `Succeeded`.
    if (!/^succeeded$/i.test(result.provisioningState ?? '')) {
      throw new UserError(
        `AKS could not run the command in cluster ${resourceGroup}/${name} (run command ${result.provisioningState ?? 'state unknown'}): ${result.reason ?? 'no reason given'}.`,
        'The run command starts a pod in the cluster: check that the nodes are ready and can pull images, then re-run.',
      );
    }
    return { exitCode: result.exitCode ?? 0, logs: result.logs ?? '' };
  } catch (error) {
    throw translateArmError(error, {
      what,
      identity: session.method,
      hints: {
        AuthorizationFailed: `Grant ${session.method} Microsoft.ContainerService/managedClusters/runcommand/action on the cluster (e.g. the "Azure Kubernetes Service Cluster Admin Role", or Contributor).`,
        ResourceNotFound: `Check '${target.inputName('cluster-name')}' and '${target.inputName('cluster-resource-group')}'.`,
      },
    });
  }
}

/**
 * For an Azure AD cluster, the command runs as the caller: a token for the AKS server app goes
 * along as clusterToken, as `az aks command invoke` sends it (azure-cli acs/custom.py
 * aks_runcommand, `mc.aad_profile.managed`). It is sent to ARM only, never printed.
 */
async function tokenForCluster({ cluster, session }: RunCommandCluster): Promise<string | undefined> {
  if (!cluster.aadProfile?.managed) return undefined;
  const token = await session.credential.getToken(`${AKS_AAD_SERVER_APP_ID}/.default`, { abortSignal: session.deadline.signal });
  if (!token) throw new Error(`no Azure AD token for the AKS server app ${AKS_AAD_SERVER_APP_ID}`);
  return token.token;
}
