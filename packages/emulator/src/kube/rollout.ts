import { DEPLOYMENTS } from './resources';
import type { KubeStore, StoreEvent } from './store';
import type { KubeObject } from './types';
export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';
const REVISION = 'deployment.kubernetes.io/revision';

type Rec = Record<string, unknown>;
const key = (o: KubeObject) => `${o.metadata.namespace}/${o.metadata.name}`;
const restartedAt = (o: KubeObject | undefined) =>
  ((((o?.['spec'] as Rec)?.['template'] as Rec)?.['metadata'] as Rec)?.['annotations'] as Record<string, string> | undefined)?.[RESTARTED_AT];

/**
 * The deployment controller, reduced to what "wait for rollout" observes: after a spec change
 * bumps metadata.generation, it reports the new generation with one replica still unavailable,
 * then (after the same delay) the rollout as complete. `kubectl rollout status` and client
 * watches therefore see the real sequence. No pods or ReplicaSets exist.
 */
export class RolloutController {
  private readonly restarts = new Map<string, number>();
  private readonly completed = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly listeners = new Set<(deployment: KubeObject) => void>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: KubeStore,
    private readonly delayMs: number,
  ) {
    this.unsubscribe = store.subscribe((e) => this.onEvent(e));
  }

  /** How many times `kubectl rollout restart` (a restartedAt change) hit this Deployment. */
  restartCount(namespace: string, name: string): number {
    return this.restarts.get(`${namespace}/${name}`) ?? 0;
  }

  /** How many rollouts of this Deployment ran to completion. */
  completedRollouts(namespace: string, name: string): number {
    return this.completed.get(`${namespace}/${name}`) ?? 0;
  }

  /** Called with the Deployment whenever a rollout completes (new pods would now be serving). */
  onRolloutComplete(listener: (deployment: KubeObject) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stop(): void {
    this.unsubscribe();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private onEvent(e: StoreEvent): void {
    if (e.def !== DEPLOYMENTS) return;
    const k = key(e.object);
    if (e.type === 'DELETED') {
      clearTimeout(this.timers.get(k));
      this.timers.delete(k);
      return;
    }
    if (e.type === 'MODIFIED' && restartedAt(e.object) !== restartedAt(e.old)) this.restarts.set(k, this.restartCount(e.object.metadata.namespace!, e.object.metadata.name) + 1);
    const status = (e.object['status'] ?? {}) as Rec;
    if (status['observedGeneration'] !== e.object.metadata.generation) this.schedule(k, e.object.metadata.namespace!, e.object.metadata.name, 1);
  }

  private schedule(k: string, ns: string, name: string, phase: 1 | 2): void {
    clearTimeout(this.timers.get(k));
    const t = setTimeout(() => {
      this.timers.delete(k);
      this.step(ns, name, phase);
    }, this.delayMs);
    t.unref?.();
    this.timers.set(k, t);
  }

  private step(ns: string, name: string, phase: 1 | 2): void {
    const d = this.store.get(DEPLOYMENTS, ns, name);
    if (!d) return;
    const replicas = Number(((d['spec'] ?? {}) as Rec)['replicas'] ?? 1);
    const generation = d.metadata.generation ?? 1;
    const old = (d['status'] ?? {}) as Rec;
    // Already reported (e.g. a seeded Deployment marked ready before this timer fired).
    if (phase === 1 && old['observedGeneration'] === generation) return;
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const rsName = `${name}-${((generation * 2654435761) >>> 0).toString(16).padStart(8, '0').slice(0, 9)}`;
    const annotations = { ...(d.metadata.annotations ?? {}) };
    // A new generation is a new ReplicaSet revision (scaling would not be, but our steps never scale).
    if (old['observedGeneration'] !== generation) annotations[REVISION] = String(Number(annotations[REVISION] ?? 0) + 1);
    const finishing = phase === 2 || replicas === 0;
    const available = finishing ? replicas : replicas - 1;
    const status: Rec = {
      observedGeneration: generation,
      replicas,
      updatedReplicas: replicas,
      readyReplicas: available,
      availableReplicas: available,
      ...(available < replicas ? { unavailableReplicas: replicas - available } : {}),
      conditions: [
        available > 0 || replicas === 0
          ? { type: 'Available', status: 'True', lastUpdateTime: now, lastTransitionTime: now, reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
          : { type: 'Available', status: 'False', lastUpdateTime: now, lastTransitionTime: now, reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' },
        finishing
          ? { type: 'Progressing', status: 'True', lastUpdateTime: now, lastTransitionTime: now, reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${rsName}" has successfully progressed.` }
          : { type: 'Progressing', status: 'True', lastUpdateTime: now, lastTransitionTime: now, reason: 'ReplicaSetUpdated', message: `ReplicaSet "${rsName}" is progressing.` },
      ],
    };
    const written = this.store.update(DEPLOYMENTS, { ...d, metadata: { ...d.metadata, annotations }, status });
    if (!finishing) {
      this.schedule(`${ns}/${name}`, ns, name, 2);
      return;
    }
    const k = `${ns}/${name}`;
    this.completed.set(k, this.completedRollouts(ns, name) + 1);
    for (const l of [...this.listeners]) l(written);
  }
}
