import { PatchStrategy, setHeaderOptions, type AppsV1Api, type KubeConfig, type V1Deployment } from '@kubernetes/client-node';
import { UserError } from '../errors';
import type { StepDeadline } from '../engine/deadline';
import { FIELD_MANAGER } from './managed-fields';
import { watchUntil } from './watch';

/** The pod template annotation `kubectl rollout restart` sets; changing it rolls every pod. */
export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

/**
 * Restarts a Deployment's pods as `kubectl rollout restart` does; returns the generation to wait
 * for. `record` annotations are set on the Deployment in the same patch, so what they say about
 * the restart (e.g. which config it loads) is true exactly when the restart was asked for.
 */
export async function restartDeployment(apps: AppsV1Api, namespace: string, name: string, record: Record<string, string> = {}, now = new Date()): Promise<number> {
  const body = restartPatch(record, now);
  const updated = await apps.patchNamespacedDeployment(
    { name, namespace, body, fieldManager: FIELD_MANAGER },
    setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
  );
  return updated.metadata?.generation ?? 0;
}

/** The strategic merge patch of a rollout restart that also sets `record` on the Deployment. */
export function restartPatch(record: Record<string, string>, now = new Date()) {
  // Milliseconds, unlike kubectl's whole seconds: two restarts within one second must still differ,
  // or the second patch changes nothing and no pod restarts.
  return { metadata: { annotations: record }, spec: { template: { metadata: { annotations: { [RESTARTED_AT]: now.toISOString() } } } } };
}

type RolloutState = { done: true } | { done: false; failed?: string; progress: string };

/** `kubectl rollout status` for a Deployment: the controller saw the generation, every replica is updated and available, no old ones are left. */
export function rolloutState(d: V1Deployment, generation: number): RolloutState {
  const status = d.status ?? {};
  const wanted = d.spec?.replicas ?? 1;
  if ((status.observedGeneration ?? 0) < generation) return { done: false, progress: 'waiting for the deployment controller to see the restart' };
  const progressing = status.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') return { done: false, failed: progressing.message ?? 'progress deadline exceeded', progress: '' };
  const updated = status.updatedReplicas ?? 0;
  if (updated < wanted) return { done: false, progress: `${updated} of ${wanted} new replicas updated` };
  if ((status.replicas ?? 0) > updated) return { done: false, progress: `${(status.replicas ?? 0) - updated} old replicas pending termination` };
  if ((status.availableReplicas ?? 0) < updated) return { done: false, progress: `${status.availableReplicas ?? 0} of ${updated} updated replicas available` };
  return { done: true };
}

/** Waits (on a watch) until the rollout of `generation` finished; fails with what it shows otherwise. */
export async function waitForRollout(kubeConfig: KubeConfig, apps: AppsV1Api, namespace: string, name: string, generation: number, deadline: StepDeadline): Promise<void> {
  let last = 'no status yet';
  const check = (d: V1Deployment): RolloutState | undefined => {
    const state = rolloutState(d, generation);
    if (state.done || state.failed) return state;
    last = state.progress;
    return undefined;
  };
  const outcome = await watchUntil<RolloutState>(
    kubeConfig,
    [
      {
        path: `/apis/apps/v1/namespaces/${namespace}/deployments`,
        fieldSelector: `metadata.name=${name}`,
        async list() {
          const d = await apps.readNamespacedDeployment({ name, namespace });
          return { resourceVersion: d.metadata?.resourceVersion ?? '0', result: check(d) };
        },
        onEvent: (_type, object) => check(object as V1Deployment),
      },
    ],
    deadline.waitEndsAt(),
  );
  if (!outcome) {
    throw new UserError(
      `The rollout of Deployment ${namespace}/${name} did not finish within the step's timeout of ${deadline.seconds} s (${last}).`,
      `Check \`kubectl -n ${namespace} rollout status deployment/${name}\` and the pods' events; raise '${deadline.inputName}' if the cluster is just slow.`,
    );
  }
  if (!outcome.done && outcome.failed) {
    throw new UserError(`The rollout of Deployment ${namespace}/${name} failed: ${outcome.failed}.`, `Check \`kubectl -n ${namespace} describe deployment ${name}\` and its pods.`);
  }
}
