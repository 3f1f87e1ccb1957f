// The sequence both Kubernetes steps follow: connect (signing in to Azure at most once, only if the
// connection needs it), plan on the cluster, and turn Kubernetes errors into what the user must
// change — in plan and in every planned apply alike.
import type { Change } from '../engine/plan';
import type { StepContext } from '../engine/step';
import { signInToAzure, type AzureSession } from '../azure/credential';
import type { AzureSignInSettings } from '../azure/inputs';
import { connectToCluster, type ClusterConnection } from './connection';
import { translateKubeError } from './errors';
import type { ApiClientType } from './http';
import type { ClusterSettings } from './inputs';

/** What a step plans with on a cluster. */
export interface ClusterPlanning {
  connection: ClusterConnection;
  /** An API client bounded by the step's deadline (see kubernetes/http.ts). */
  api<T>(type: ApiClientType<T>): T;
  /** The step's Azure session: the one the connection signed in with, or a new one; made once. */
  azure(): Promise<AzureSession>;
  /** Says what the plan is doing now, for the message of an error it meets. */
  doing(what: string): void;
}

/** Connects, runs `plan` on the cluster, and translates what fails into a UserError naming the work. */
export async function planOnCluster<T>(
  ctx: StepContext,
  settings: { cluster: ClusterSettings; azure: AzureSignInSettings },
  plan: (cluster: ClusterPlanning) => Promise<T>,
): Promise<T> {
  let session: Promise<AzureSession> | undefined;
  const azure = () => (session ??= signInToAzure(ctx.host, settings.azure, ctx.deadline));
  const connection = await connectToCluster(ctx, settings.cluster, azure);
  let what = 'reading the cluster';
  try {
    return await plan({ connection, api: (type) => connection.api(type), azure, doing: (w) => (what = w) });
  } catch (error) {
    throw translateKubeError(error, connection, what);
  }
}

/** The changes with each apply translating Kubernetes errors as plan does (`updating <resource>`). */
export function withKubeErrors(changes: Change[], connection: ClusterConnection): Change[] {
  return changes.map((c) => {
    const apply = c.apply;
    if (!apply) return c;
    return {
      ...c,
      apply: async () => {
        try {
          await apply();
        } catch (error) {
          throw translateKubeError(error, connection, `updating ${c.resource}`);
        }
      },
    };
  });
}
