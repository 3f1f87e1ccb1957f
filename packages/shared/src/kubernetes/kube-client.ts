// The Kubernetes operations the steps use, behind one small interface with two implementations:
// straight to the API server with client-node (DirectKubeClient, here), or through the AKS run
// command running kubectl inside a private cluster (RunCommandKubeClient, run-command-client.ts).
// Step logic reads, plans and writes through it without knowing which one it has.
import { AppsV1Api, CoreV1Api, PatchStrategy, setHeaderOptions, type KubernetesObject, type V1Service } from '@kubernetes/client-node';
import type { Host } from '../hosts/host';
import type { StepDeadline } from '../engine/deadline';
import type { ClusterConnection } from './connection';
import { readIfExists } from './errors';
import type { KubeKind, ObjectRef, PatchType } from './kubectl';
import { PendingLoadBalancerIp } from './load-balancer';
import { FIELD_MANAGER } from './managed-fields';
import { waitForRollout } from './rollout';

export type { KubeKind, ObjectRef, PatchType } from './kubectl';

/** Any object as the API server returns it (typed by the caller, e.g. `as V1Service`). */
export type KubeObject = KubernetesObject & Record<string, unknown>;

/** Where requests go and as whom, for messages (the fields translateKubeError names). */
export type KubeTarget = Pick<ClusterConnection, 'server' | 'source' | 'identity' | 'unreachableHint'>;

/** What a step's plan learned about a Service, so its finish can wait for the load balancer IP. */
export interface LoadBalancerPlan {
  current?: V1Service;
  pinnedIp?: string;
  writes: boolean;
  ipMayChange: boolean;
  willWait: boolean;
  applied?: Record<string, string>;
}

/** A Service's load balancer IP: recorded at plan, waited for (bounded by the step's deadline) at finish. */
export interface LoadBalancerIpWait {
  observe(plan: LoadBalancerPlan): Promise<void>;
  ip(options: { wait: boolean; deadline: StepDeadline; host: Host; title: string }): Promise<string | undefined>;
}

export interface KubeClient {
  readonly target: KubeTarget;
  /** Reads the objects in one go (one run command); undefined for one that does not exist. */
  read(refs: readonly ObjectRef[]): Promise<(KubeObject | undefined)[]>;
  /** Creates the object with our field manager; 409 AlreadyExists if it exists. */
  create(object: KubeObject): Promise<KubeObject>;
  /** Server-side apply with our field manager; a metadata.resourceVersion makes it conditional (409 when stale). */
  apply(object: KubeObject, options: { force: boolean }): Promise<KubeObject>;
  patch(ref: ObjectRef, type: PatchType, body: unknown): Promise<KubeObject>;
  /** Waiting for a Service's load balancer IP, the way this client can. */
  loadBalancerIp(namespace: string, name: string): LoadBalancerIpWait;
  /** Waits, bounded by the step's deadline, until a Deployment's rollout of `generation` finished. */
  waitForRollout(namespace: string, name: string, generation: number, deadline: StepDeadline): Promise<void>;
}

/** The reference to an object, from its kind and metadata. */
export function refOf(object: KubeObject): ObjectRef {
  return { kind: object.kind as KubeKind, name: object.metadata?.name ?? '', namespace: object.metadata?.namespace };
}

const CONTENT_TYPES: Record<PatchType, PatchStrategy> = { json: PatchStrategy.JsonPatch, merge: PatchStrategy.MergePatch, strategic: PatchStrategy.StrategicMergePatch };

/** Straight to the API server, with client-node clients bounded by the step's deadline. */
export class DirectKubeClient implements KubeClient {
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;

  constructor(private readonly connection: ClusterConnection) {
    this.core = connection.api(CoreV1Api);
    this.apps = connection.api(AppsV1Api);
  }

  get target(): KubeTarget {
    return this.connection;
  }

  async read(refs: readonly ObjectRef[]): Promise<(KubeObject | undefined)[]> {
    const found: (KubeObject | undefined)[] = [];
    for (const ref of refs) found.push((await readIfExists(() => this.readOne(ref))) as KubeObject | undefined);
    return found;
  }

  private readOne({ kind, name, namespace = 'default' }: ObjectRef): Promise<unknown> {
    switch (kind) {
      case 'Service':
        return this.core.readNamespacedService({ name, namespace });
      case 'Namespace':
        return this.core.readNamespace({ name });
      case 'ConfigMap':
        return this.core.readNamespacedConfigMap({ name, namespace });
      case 'Deployment':
        return this.apps.readNamespacedDeployment({ name, namespace });
    }
  }

  async create(object: KubeObject): Promise<KubeObject> {
    const namespace = object.metadata?.namespace ?? 'default';
    const body = object as never;
    if (object.kind === 'Service') return (await this.core.createNamespacedService({ namespace, body, fieldManager: FIELD_MANAGER })) as KubeObject;
    if (object.kind === 'ConfigMap') return (await this.core.createNamespacedConfigMap({ namespace, body, fieldManager: FIELD_MANAGER })) as KubeObject;
    throw new Error(`creating a ${object.kind} is not supported`);
  }

  async apply(object: KubeObject, options: { force: boolean }): Promise<KubeObject> {
    if (object.kind !== 'Service') throw new Error(`applying a ${object.kind} is not supported`);
    const { name, namespace = 'default' } = refOf(object);
    return (await this.core.patchNamespacedService({ name, namespace, body: object, fieldManager: FIELD_MANAGER, force: options.force }, setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply))) as KubeObject;
  }

  async patch({ kind, name, namespace = 'default' }: ObjectRef, type: PatchType, body: unknown): Promise<KubeObject> {
    const options = setHeaderOptions('Content-Type', CONTENT_TYPES[type]);
    const request = { name, namespace, body: body as object, fieldManager: FIELD_MANAGER };
    if (kind === 'Service') return (await this.core.patchNamespacedService(request, options)) as KubeObject;
    if (kind === 'ConfigMap') return (await this.core.patchNamespacedConfigMap(request, options)) as KubeObject;
    if (kind === 'Deployment') return (await this.apps.patchNamespacedDeployment(request, options)) as KubeObject;
    throw new Error(`patching a ${kind} is not supported`);
  }

  loadBalancerIp(namespace: string, name: string): LoadBalancerIpWait {
    return new PendingLoadBalancerIp(this.connection, this.core, namespace, name);
  }

  waitForRollout(namespace: string, name: string, generation: number, deadline: StepDeadline): Promise<void> {
    return waitForRollout(this.connection.kubeConfig, this.apps, namespace, name, generation, deadline);
  }
}
