// The sequence both Kubernetes steps follow: reach the cluster (directly, or through the AKS run
// command for a private cluster; signing in to Azure at most once, only if needed), plan on it, and
// turn Kubernetes errors into what the user must change — in plan and in every planned apply alike.
import { UserError } from '../errors';
import type { Change } from '../engine/plan';
import type { StepContext } from '../engine/step';
import { signInToAzure, type AzureSession } from '../azure/credential';
import type { AzureSignInSettings } from '../azure/inputs';
import { readAksCluster } from './aks-credentials';
import { connectToCluster, type ClusterConnection } from './connection';
import { translateKubeError } from './errors';
import type { ClusterSettings } from './inputs';
import { DirectKubeClient, type KubeClient, type KubeTarget } from './kube-client';
import type { RunCommandCluster } from './run-command';
import { RunCommandKubeClient } from './run-command-client';

/** What a step plans with on a cluster. */
export interface ClusterPlanning {
  /** The cluster's objects, read and written directly or through the run command. */
  kube: KubeClient;
  /** The direct connection; undefined when requests go through the AKS run command. */
  connection?: ClusterConnection;
  /** The step's Azure session: the one the connection signed in with, or a new one; made once. */
  azure(): Promise<AzureSession>;
  /** Says what the plan is doing now, for the message of an error it meets. */
  doing(what: string): void;
}

/** Reaches the cluster, runs `plan` on it, and translates what fails into a UserError naming the work. */
export async function planOnCluster<T>(
  ctx: StepContext,
  settings: { cluster: ClusterSettings; azure: AzureSignInSettings },
  plan: (cluster: ClusterPlanning) => Promise<T>,
): Promise<T> {
  let session: Promise<AzureSession> | undefined;
  const azure = () => (session ??= signInToAzure(ctx.host, settings.azure, ctx.deadline));
  const runCommand = await runCommandCluster(ctx, settings.cluster, azure);
  const connection = runCommand ? undefined : await connectToCluster(ctx, settings.cluster, azure);
  const kube: KubeClient = runCommand ? new RunCommandKubeClient(runCommand, ctx.host) : new DirectKubeClient(connection!);
  let what = 'reading the cluster';
  try {
    return await plan({ kube, connection, azure, doing: (w) => (what = w) });
  } catch (error) {
    throw translateKubeError(error, kube.target, what);
  }
}

/**
 * The cluster to reach through the AKS run command, if requests go that way: `private-cluster: true`,
 * or, when it is empty and the connection would come from the cluster named by the inputs (no
 * kubeconfig, no service connection, no public-fqdn), a cluster whose
 * apiServerAccessProfile.enablePrivateCluster is true (azure-rest-api-specs managedClusters.json,
 * ManagedClusterAPIServerAccessProfile).
 */
async function runCommandCluster(ctx: StepContext, c: ClusterSettings, azure: () => Promise<AzureSession>): Promise<RunCommandCluster | undefined> {
  if (c.privateCluster === false) return undefined;
  const n = (name: string) => ctx.host.inputName(name);
  const { clusterResourceGroup: resourceGroup, clusterName: name } = c;
  if (c.privateCluster === true) checkRunCommandInputs(c, n);
  else if (!resourceGroup || !name || c.kubeconfig || c.publicFqdn || ctx.host.getServiceConnection('kubernetes-service-connection')) return undefined;
  const session = await azure();
  const cluster = await readAksCluster(session, { resourceGroup: resourceGroup!, name: name!, inputName: n });
  if (c.privateCluster === undefined) {
    if (cluster.apiServerAccessProfile?.enablePrivateCluster !== true) return undefined;
    ctx.host.info(
      `AKS cluster ${resourceGroup}/${name} is a private cluster: Kubernetes reads and writes go through the AKS run command ('${n('private-cluster')}' is empty; set it to false on a runner inside the cluster's VNet to connect directly).`,
    );
  } else {
    ctx.host.info(`'${n('private-cluster')}' is true: Kubernetes reads and writes go through the AKS run command in cluster ${resourceGroup}/${name}.`);
  }
  return { session, resourceGroup: resourceGroup!, name: name!, cluster, inputName: n };
}

/** `private-cluster: true` needs the cluster named, and nothing that would only apply to a direct connection. */
function checkRunCommandInputs(c: ClusterSettings, n: (name: string) => string): void {
  if (!c.clusterResourceGroup || !c.clusterName) {
    throw new UserError(
      `Input '${n('private-cluster')}' is true, but '${n(c.clusterName ? 'cluster-resource-group' : 'cluster-name')}' is not given.`,
      `The AKS run command needs the cluster named: give '${n('cluster-resource-group')}' and '${n('cluster-name')}'.`,
    );
  }
  for (const ignored of ['kubeconfig', 'public-fqdn'] as const) {
    if (ignored === 'kubeconfig' ? !c.kubeconfig : !c.publicFqdn) continue;
    throw new UserError(
      `Input '${n('private-cluster')}' is true and '${n(ignored)}' is given, which only applies to a direct connection.`,
      `Remove '${n(ignored)}' (requests go through the AKS run command), or set '${n('private-cluster')}' to false to connect directly.`,
    );
  }
}

/** The changes with each apply translating Kubernetes errors as plan does (`updating <resource>`). */
export function withKubeErrors(changes: Change[], target: KubeTarget): Change[] {
  return changes.map((c) => {
    const apply = c.apply;
    if (!apply) return c;
    return {
      ...c,
      apply: async () => {
        try {
          await apply();
        } catch (error) {
          throw translateKubeError(error, target, `updating ${c.resource}`);
        }
      },
    };
  });
}
