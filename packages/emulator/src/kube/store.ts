import { randomUUID } from 'node:crypto';
import { apiVersionOf, type ResourceDef } from './resources';
import { jsonEqual, type KubeObject } from './types';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: WatchEventType;
  def: ResourceDef;
  /** The object after the change (for DELETED: as it was, with the deletion's resourceVersion). */
  object: KubeObject;
  /** The object before the change (MODIFIED and DELETED). */
  old?: KubeObject;
  rv: number;
}

const resKey = (def: ResourceDef) => `${def.plural}.${def.group}`;
const objKey = (ns: string | undefined, name: string) => `${ns ?? ''}/${name}`;

/**
 * The cluster state: objects by resource type, one global resourceVersion counter (as etcd's
 * revision), and a bounded event history so watches can resume from a resourceVersion (or get
 * 410 Expired when it is older than the history). Returns copies so callers cannot alias state.
 */
export class KubeStore {
  private rv = 0;
  private readonly data = new Map<string, Map<string, KubeObject>>();
  private readonly history: StoreEvent[] = [];
  private readonly listeners = new Set<(e: StoreEvent) => void>();

  constructor(private readonly historyLimit = 2000) {}

  /** The latest resourceVersion handed out. */
  get resourceVersion(): number {
    return this.rv;
  }

  /** The oldest resourceVersion a watch can resume from (older ones are 410 Expired). */
  get oldestResumableVersion(): number {
    return this.history.length ? this.history[0]!.rv - 1 : this.rv;
  }

  get(def: ResourceDef, namespace: string | undefined, name: string): KubeObject | undefined {
    const o = this.data.get(resKey(def))?.get(objKey(def.namespaced ? namespace : undefined, name));
    return o ? structuredClone(o) : undefined;
  }

  /** Objects of a type, in one namespace or all, sorted by namespace then name (as etcd keys sort). */
  list(def: ResourceDef, namespace?: string): KubeObject[] {
    const all = [...(this.data.get(resKey(def))?.values() ?? [])];
    return all
      .filter((o) => !namespace || !def.namespaced || o.metadata.namespace === namespace)
      .sort((a, b) => objKey(a.metadata.namespace, a.metadata.name).localeCompare(objKey(b.metadata.namespace, b.metadata.name)))
      .map((o) => structuredClone(o));
  }

  /** Stores a new object, stamping uid, creationTimestamp, resourceVersion and (for Deployments) generation 1. */
  create(def: ResourceDef, obj: KubeObject, dryRun = false): KubeObject {
    const stored = structuredClone(obj);
    stored.apiVersion = apiVersionOf(def);
    stored.kind = def.kind;
    stored.metadata.uid = randomUUID();
    stored.metadata.creationTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    if (def.hasGeneration) stored.metadata.generation = 1;
    if (dryRun) {
      delete stored.metadata.resourceVersion;
      return stored;
    }
    stored.metadata.resourceVersion = String(++this.rv);
    let bucket = this.data.get(resKey(def));
    if (!bucket) this.data.set(resKey(def), (bucket = new Map()));
    bucket.set(objKey(def.namespaced ? stored.metadata.namespace : undefined, stored.metadata.name), stored);
    this.emit({ type: 'ADDED', def, object: stored, rv: this.rv });
    return structuredClone(stored);
  }

  /**
   * Replaces an existing object. A no-op write (nothing but resourceVersion differs) keeps the
   * resourceVersion and emits nothing, as the real API server does. Deployments get a new
   * generation when their spec changes.
   */
  update(def: ResourceDef, obj: KubeObject, dryRun = false): KubeObject {
    const bucket = this.data.get(resKey(def));
    const k = objKey(def.namespaced ? obj.metadata.namespace : undefined, obj.metadata.name);
    const old = bucket?.get(k);
    if (!bucket || !old) throw new Error(`update of missing ${def.plural} ${k}`);
    const next = structuredClone(obj);
    next.apiVersion = apiVersionOf(def);
    next.kind = def.kind;
    next.metadata.uid = old.metadata.uid;
    next.metadata.creationTimestamp = old.metadata.creationTimestamp;
    next.metadata.resourceVersion = old.metadata.resourceVersion;
    if (def.hasGeneration) {
      next.metadata.generation = (old.metadata.generation ?? 1) + (jsonEqual(old['spec'], next['spec']) ? 0 : 1);
    }
    // A write that changes nothing but managedFields timestamps is no write at all: the API server
    // reverts those timestamps (kubernetes/kubernetes, fieldmanager equality.go:
    // IgnoreManagedFieldsTimestampsTransformer, called by the generic registry's Store.Update).
    if (jsonEqual(withoutManagedFieldTimes(old), withoutManagedFieldTimes(next))) return structuredClone(old);
    if (dryRun) return structuredClone(next);
    next.metadata.resourceVersion = String(++this.rv);
    bucket.set(k, next);
    this.emit({ type: 'MODIFIED', def, object: next, old, rv: this.rv });
    return structuredClone(next);
  }

  delete(def: ResourceDef, namespace: string | undefined, name: string, dryRun = false): KubeObject | undefined {
    const bucket = this.data.get(resKey(def));
    const k = objKey(def.namespaced ? namespace : undefined, name);
    const old = bucket?.get(k);
    if (!bucket || !old) return undefined;
    if (dryRun) return structuredClone(old);
    bucket.delete(k);
    const gone = structuredClone(old);
    gone.metadata.resourceVersion = String(++this.rv);
    this.emit({ type: 'DELETED', def, object: gone, old, rv: this.rv });
    return structuredClone(gone);
  }

  /** Events after `rv`, or undefined when `rv` is older than the retained history. */
  eventsSince(rv: number): StoreEvent[] | undefined {
    if (rv < this.oldestResumableVersion) return undefined;
    return this.history.filter((e) => e.rv > rv);
  }

  /** Subscribes to every change; returns the unsubscribe function. */
  subscribe(listener: (e: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: StoreEvent): void {
    this.history.push(e);
    if (this.history.length > this.historyLimit) this.history.shift();
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch (err) {
        // A failing subscriber (a simulated controller) must not break the write that triggered it.
        console.error('kube store subscriber failed:', err);
      }
    }
  }
}

function withoutManagedFieldTimes(obj: KubeObject): unknown {
  const managedFields = obj.metadata.managedFields?.map((entry) => ({ ...entry, time: '' }));
  return { ...obj, metadata: { ...obj.metadata, ...(managedFields ? { managedFields } : {}) } };
}
