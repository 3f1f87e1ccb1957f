import type { CoreV1Api, CoreV1Event, KubeConfig, V1Service } from '@kubernetes/client-node';
import { UserError } from '../errors';
import type { Host } from '../hosts/host';
import type { StepDeadline } from '../engine/deadline';
import type { ClusterConnection } from './connection';
import { translateKubeError } from './errors';
import { ENSURED_LOAD_BALANCER, SYNC_LOAD_BALANCER_FAILED } from './azure-annotations';
import { watchUntil, type WatchSource } from './watch';

/** The first load balancer ingress IP of a Service, once cloud-provider-azure has written it. */
export function ingressIp(service: V1Service | undefined): string | undefined {
  return service?.status?.loadBalancer?.ingress?.[0]?.ip || undefined;
}

/** Field selector for a Service's events. */
function serviceEventsSelector(name: string): string {
  return `involvedObject.kind=Service,involvedObject.name=${name}`;
}

/**
 * The resourceVersion of a Service's events right now. Read it before writing, so a
 * SyncLoadBalancerFailed caused by the write is seen even if it lands before the wait starts,
 * while failures from earlier runs are not blamed on this one.
 */
async function eventsResourceVersion(core: CoreV1Api, namespace: string, name: string): Promise<string> {
  const list = await core.listNamespacedEvent({ namespace, fieldSelector: serviceEventsSelector(name) });
  return list.metadata?.resourceVersion ?? '0';
}

type Outcome = { ip: string } | { failure: string } | { changed: string[] };

const shortKey = (key: string) => key.replace('service.beta.kubernetes.io/', '');

/**
 * How a Service differs from what a step applied to it: annotations it set that now hold other
 * values (someone else changed them), and, when given, an IP its status no longer shows.
 */
export function changesByOthers(service: V1Service, applied: Record<string, string>, ip?: string): string[] {
  const now = service.metadata?.annotations ?? {};
  const changes = Object.entries(applied)
    .filter(([k, v]) => now[k] !== v)
    .map(([k, v]) => `${shortKey(k)} is now ${now[k] === undefined ? 'removed' : `'${now[k]}'`}, not '${v}'`);
  const current = ingressIp(service);
  if (ip && current !== ip) changes.push(`its load balancer IP is now ${current ?? 'none'}, not ${ip}`);
  return changes;
}

/** The step's answer when another writer changed the Service after this run wrote it. */
export function changedByOthersError(namespace: string, name: string, changes: string[]): UserError {
  return new UserError(
    `Service ${namespace}/${name} was changed by someone else after this step wrote it (${changes.join('; ')}), so the IP this run saw is not reported.`,
    'Another run of this step (or a person) is changing the Service at the same time: let one finish, then re-run.',
  );
}

export interface LoadBalancerWait {
  namespace: string;
  name: string;
  deadline: StepDeadline;
  /** From eventsResourceVersion, read before the write; absent: events from now on. */
  eventsSince?: string;
  /**
   * The step changed the Service: an IP already in its status may be the old one (e.g. before a
   * subnet change), so wait until the provider reports it reconciled the change (an
   * EnsuredLoadBalancer event after eventsSince) and take the IP from a fresh read.
   */
  afterWrite?: boolean;
  /** The IP pinned by annotation: the status must show exactly this one. */
  pinnedIp?: string;
  /**
   * The write can move the IP (type, internal, subnet or pinned IP changed) and the status showed
   * `previousIp` before it: that IP is taken only if the status still shows it once the provider
   * had time to patch it (STATUS_SETTLE_MS after EnsuredLoadBalancer).
   */
  ipMayChange?: boolean;
  previousIp?: string;
  /** The annotations this run applied: a Service whose values change meanwhile ends the wait. */
  applied?: Record<string, string>;
}

/**
 * The service controller records EnsuredLoadBalancer and then patches the Service status, and
 * skips the patch when the status is unchanged (k8s.io/cloud-provider controllers/service
 * controller.go, syncLoadBalancerIfNeeded). Right after the event the status may still show the
 * old IP; a patch that is coming follows within one API call, so this is ample.
 */
const STATUS_SETTLE_MS = 3000;

/** What the Service and its events have shown so far, and what they mean for the wait. */
class LoadBalancerWatch {
  private uid?: string;
  private ensured: boolean;
  lastIp?: string;

  constructor(
    private readonly core: CoreV1Api,
    private readonly wait: LoadBalancerWait,
  ) {
    this.ensured = !wait.afterWrite;
  }

  fromService(s: V1Service, settled = false): Outcome | undefined {
    const { wait } = this;
    this.uid = s.metadata?.uid ?? this.uid;
    const changed = wait.applied ? changesByOthers(s, wait.applied) : [];
    if (changed.length) return { changed };
    const ip = ingressIp(s);
    this.lastIp = ip ?? this.lastIp;
    if (!ip || !this.ensured || (wait.pinnedIp && ip !== wait.pinnedIp)) return undefined;
    // After a write that can move the IP, the old one counts only once the status had time to change.
    if (wait.ipMayChange && ip === wait.previousIp && !settled) return undefined;
    return { ip };
  }

  async fromEvent(e: CoreV1Event): Promise<Outcome | undefined> {
    // A Service deleted and recreated under the same name keeps its old events around.
    if (this.uid && e.involvedObject?.uid && e.involvedObject.uid !== this.uid) return undefined;
    if (e.type === 'Warning' && e.reason === SYNC_LOAD_BALANCER_FAILED) return { failure: e.message ?? SYNC_LOAD_BALANCER_FAILED };
    if (e.type !== 'Normal' || e.reason !== ENSURED_LOAD_BALANCER || this.ensured) return undefined;
    this.ensured = true;
    const now = this.fromService(await this.read());
    if (now || !this.wait.ipMayChange) return now;
    // The Service watch reports the new IP as soon as the status shows it; if the status keeps
    // the old one, the provider had nothing to change.
    await new Promise((resolve) => setTimeout(resolve, STATUS_SETTLE_MS));
    return this.fromService(await this.read(), true);
  }

  private read(): Promise<V1Service> {
    return this.core.readNamespacedService({ name: this.wait.name, namespace: this.wait.namespace });
  }

  /** The Service itself and its events, each watched from where the wait must start. */
  sources(): WatchSource<Outcome>[] {
    const { core } = this;
    const { namespace, name, eventsSince } = this.wait;
    return [
      {
        path: `/api/v1/namespaces/${namespace}/services`,
        fieldSelector: `metadata.name=${name}`,
        list: async () => {
          const list = await core.listNamespacedService({ namespace, fieldSelector: `metadata.name=${name}` });
          const s = list.items[0];
          return { resourceVersion: list.metadata?.resourceVersion ?? '0', result: s ? this.fromService(s) : undefined };
        },
        onEvent: (type, object) => (type === 'DELETED' ? undefined : this.fromService(object as V1Service)),
      },
      {
        path: `/api/v1/namespaces/${namespace}/events`,
        fieldSelector: serviceEventsSelector(name),
        resourceVersion: eventsSince,
        // Re-listing (first start without eventsSince, or after 410) must not revive old failures.
        list: async () => ({ resourceVersion: await eventsResourceVersion(core, namespace, name) }),
        onEvent: (type, object) => (type === 'DELETED' ? undefined : this.fromEvent(object as CoreV1Event)),
      },
    ];
  }
}

/**
 * Waits (on watches, not polling) until cloud-provider-azure writes the Service's load balancer
 * IP. A SyncLoadBalancerFailed Warning for the Service fails at once with the provider's
 * message; on timeout the error says what the Service and its latest events show.
 */
async function waitForLoadBalancerIp(kubeConfig: KubeConfig, core: CoreV1Api, wait: LoadBalancerWait): Promise<string> {
  const { namespace, name } = wait;
  const watch = new LoadBalancerWatch(core, wait);
  const outcome = await watchUntil<Outcome>(kubeConfig, watch.sources(), wait.deadline.waitEndsAt());
  if (outcome && 'ip' in outcome) return outcome.ip;
  if (outcome && 'changed' in outcome) throw changedByOthersError(namespace, name, outcome.changed);
  if (outcome) {
    throw new UserError(
      `cloud-provider-azure could not set up the load balancer for Service ${namespace}/${name}: ${outcome.failure}`,
      `Fix what the message names (a subnet that does not exist, an IP outside the subnet or already in use, a PLS setting) and re-run; \`kubectl -n ${namespace} describe service ${name}\` shows the events.`,
    );
  }
  const { lastIp } = watch;
  const state = lastIp
    ? `cloud-provider-azure did not confirm the change to Service ${namespace}/${name} within the step's timeout of ${wait.deadline.seconds} s; its status still shows ${lastIp}${wait.pinnedIp && wait.pinnedIp !== lastIp ? `, not the pinned ${wait.pinnedIp}` : ''}.`
    : `Service ${namespace}/${name} has no load balancer IP within the step's timeout of ${wait.deadline.seconds} s.`;
  throw new UserError(
    `${state} ${await describeService(core, namespace, name)}`,
    `Check \`kubectl -n ${namespace} describe service ${name}\`; raise '${wait.deadline.inputName}' if Azure is just slow, or set 'wait' to false.`,
  );
}

/** One paragraph on what a Service and its latest events show, for timeout messages. */
async function describeService(core: CoreV1Api, namespace: string, name: string): Promise<string> {
  let service: V1Service | undefined;
  try {
    service = await core.readNamespacedService({ name, namespace });
  } catch {
    return 'The Service cannot be read any more.';
  }
  const annotations = Object.entries(service.metadata?.annotations ?? {})
    .filter(([k]) => k.startsWith('service.beta.kubernetes.io/azure-'))
    .map(([k, v]) => `${k.replace('service.beta.kubernetes.io/', '')}=${v}`);
  const parts = [`It is type ${service.spec?.type ?? 'ClusterIP'}${annotations.length ? ` with ${annotations.join(', ')}` : ' without Azure annotations'}.`];
  let events: CoreV1Event[] = [];
  try {
    events = (await core.listNamespacedEvent({ namespace, fieldSelector: serviceEventsSelector(name) })).items.filter(
      (e) => !e.involvedObject?.uid || e.involvedObject.uid === service?.metadata?.uid,
    );
  } catch {
    /* events are a courtesy here */
  }
  const time = (e: CoreV1Event) => new Date(e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? 0).getTime();
  const latest = events.sort((a, b) => time(a) - time(b)).slice(-3);
  parts.push(
    latest.length
      ? `Latest events: ${latest.map((e) => `${e.type} ${e.reason}: ${e.message}${(e.count ?? 1) > 1 ? ` (x${e.count})` : ''}`).join('; ')}.`
      : 'It has no events: is cloud-provider-azure running (AKS runs it for you; other clusters need it installed)?',
  );
  return parts.join(' ');
}

/**
 * A Service's load balancer as a step's plan saw it, so its finish can wait for the IP: the IP
 * shown now, the pinned one, whether this run writes the Service, and the events version read
 * before any write (so the wait sees failures this run causes and no older ones).
 */
export class PendingLoadBalancerIp {
  private currentIp?: string;
  private pinnedIp?: string;
  private writes = false;
  private ipMayChange = false;
  private applied?: Record<string, string>;
  private eventsSince?: string;

  constructor(
    private readonly connection: ClusterConnection,
    private readonly core: CoreV1Api,
    readonly namespace: string,
    readonly name: string,
  ) {}

  /** Records what plan found; reads the events version when the step will wait. */
  async observe(plan: { current?: V1Service; pinnedIp?: string; writes: boolean; ipMayChange: boolean; willWait: boolean; applied?: Record<string, string> }): Promise<void> {
    this.currentIp = ingressIp(plan.current);
    this.applied = plan.applied;
    this.pinnedIp = plan.pinnedIp;
    this.writes = plan.writes;
    this.ipMayChange = plan.writes && plan.ipMayChange;
    if (plan.willWait) this.eventsSince = await eventsResourceVersion(this.core, this.namespace, this.name);
  }

  /** The IP: waited for (in a log group) when `wait`, else the one plan saw, if any. */
  async ip(options: { wait: boolean; deadline: StepDeadline; host: Host; title: string }): Promise<string | undefined> {
    if (!options.wait) return this.currentIp;
    try {
      return await options.host.group(options.title, () =>
        waitForLoadBalancerIp(this.connection.kubeConfig, this.core, {
          namespace: this.namespace,
          name: this.name,
          deadline: options.deadline,
          eventsSince: this.eventsSince,
          afterWrite: this.writes,
          pinnedIp: this.pinnedIp,
          ipMayChange: this.ipMayChange,
          previousIp: this.currentIp,
          applied: this.applied,
        }),
      );
    } catch (error) {
      throw translateKubeError(error, this.connection, `waiting for the load balancer of Service ${this.namespace}/${this.name}`);
    }
  }
}
