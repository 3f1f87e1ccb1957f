import type { CoreV1Api, CoreV1Event, KubeConfig, V1Service } from '@kubernetes/client-node';
import { UserError } from '../errors';
import type { Host } from '../hosts/host';
import type { ClusterConnection } from './connection';
import { translateKubeError } from './errors';
import { ENSURED_LOAD_BALANCER, SYNC_LOAD_BALANCER_FAILED } from './azure-annotations';
import { watchUntil } from './watch';

/** The first load balancer ingress IP of a Service, once cloud-provider-azure has written it. */
export function ingressIp(service: V1Service | undefined): string | undefined {
  return service?.status?.loadBalancer?.ingress?.[0]?.ip || undefined;
}

/** Field selector for a Service's events. */
export function serviceEventsSelector(name: string): string {
  return `involvedObject.kind=Service,involvedObject.name=${name}`;
}

/**
 * The resourceVersion of a Service's events right now. Read it before writing, so a
 * SyncLoadBalancerFailed caused by the write is seen even if it lands before the wait starts,
 * while failures from earlier runs are not blamed on this one.
 */
export async function eventsResourceVersion(core: CoreV1Api, namespace: string, name: string): Promise<string> {
  const list = await core.listNamespacedEvent({ namespace, fieldSelector: serviceEventsSelector(name) });
  return list.metadata?.resourceVersion ?? '0';
}

type Outcome = { ip: string } | { failure: string };

export interface LoadBalancerWait {
  namespace: string;
  name: string;
  timeoutSeconds: number;
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
}

/**
 * Waits (on watches, not polling) until cloud-provider-azure writes the Service's load balancer
 * IP. A SyncLoadBalancerFailed Warning for the Service fails at once with the provider's
 * message; on timeout the error says what the Service and its latest events show.
 */
export async function waitForLoadBalancerIp(kubeConfig: KubeConfig, core: CoreV1Api, wait: LoadBalancerWait): Promise<string> {
  const { namespace, name } = wait;
  let uid: string | undefined;
  let ensured = !wait.afterWrite;
  let lastIp: string | undefined;
  const fromService = (s: V1Service): Outcome | undefined => {
    uid = s.metadata?.uid ?? uid;
    const ip = ingressIp(s);
    lastIp = ip ?? lastIp;
    return ip && ensured && (!wait.pinnedIp || ip === wait.pinnedIp) ? { ip } : undefined;
  };
  const fromEvent = async (e: CoreV1Event): Promise<Outcome | undefined> => {
    // A Service deleted and recreated under the same name keeps its old events around.
    if (uid && e.involvedObject?.uid && e.involvedObject.uid !== uid) return undefined;
    if (e.type === 'Warning' && e.reason === SYNC_LOAD_BALANCER_FAILED) return { failure: e.message ?? SYNC_LOAD_BALANCER_FAILED };
    if (e.type === 'Normal' && e.reason === ENSURED_LOAD_BALANCER && !ensured) {
      ensured = true;
      return fromService(await core.readNamespacedService({ name, namespace }));
    }
    return undefined;
  };
  const outcome = await watchUntil<Outcome>(
    kubeConfig,
    [
      {
        path: `/api/v1/namespaces/${namespace}/services`,
        fieldSelector: `metadata.name=${name}`,
        async list() {
          const list = await core.listNamespacedService({ namespace, fieldSelector: `metadata.name=${name}` });
          const s = list.items[0];
          return { resourceVersion: list.metadata?.resourceVersion ?? '0', result: s ? fromService(s) : undefined };
        },
        onEvent: (type, object) => (type === 'DELETED' ? undefined : fromService(object as V1Service)),
      },
      {
        path: `/api/v1/namespaces/${namespace}/events`,
        fieldSelector: serviceEventsSelector(name),
        resourceVersion: wait.eventsSince,
        // Re-listing (first start without eventsSince, or after 410) must not revive old failures.
        list: async () => ({ resourceVersion: await eventsResourceVersion(core, namespace, name) }),
        onEvent: (type, object) => (type === 'DELETED' ? undefined : fromEvent(object as CoreV1Event)),
      },
    ],
    Date.now() + wait.timeoutSeconds * 1000,
  );
  if (outcome && 'ip' in outcome) return outcome.ip;
  if (outcome) {
    throw new UserError(
      `cloud-provider-azure could not set up the load balancer for Service ${namespace}/${name}: ${outcome.failure}`,
      `Fix what the message names (a subnet that does not exist, an IP outside the subnet or already in use, a PLS setting) and re-run; \`kubectl -n ${namespace} describe service ${name}\` shows the events.`,
    );
  }
  const state = lastIp
    ? `cloud-provider-azure did not confirm the change to Service ${namespace}/${name} within ${wait.timeoutSeconds} s; its status still shows ${lastIp}${wait.pinnedIp && wait.pinnedIp !== lastIp ? `, not the pinned ${wait.pinnedIp}` : ''}.`
    : `Service ${namespace}/${name} has no load balancer IP after ${wait.timeoutSeconds} s.`;
  throw new UserError(
    `${state} ${await describeService(core, namespace, name)}`,
    `Check \`kubectl -n ${namespace} describe service ${name}\`; raise 'timeout' if Azure is just slow, or set 'wait' to false.`,
  );
}

/** One paragraph on what a Service and its latest events show, for timeout messages. */
export async function describeService(core: CoreV1Api, namespace: string, name: string): Promise<string> {
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
  private eventsSince?: string;

  constructor(
    private readonly connection: ClusterConnection,
    private readonly core: CoreV1Api,
    readonly namespace: string,
    readonly name: string,
  ) {}

  /** Records what plan found; reads the events version when the step will wait. */
  async observe(current: V1Service | undefined, pinnedIp: string | undefined, writes: boolean, willWait: boolean): Promise<void> {
    this.currentIp = ingressIp(current);
    this.pinnedIp = pinnedIp;
    this.writes = writes;
    if (willWait) this.eventsSince = await eventsResourceVersion(this.core, this.namespace, this.name);
  }

  /** The IP: waited for (in a log group) when `wait`, else the one plan saw, if any. */
  async ip(options: { wait: boolean; timeoutSeconds: number; host: Host; title: string }): Promise<string | undefined> {
    if (!options.wait) return this.currentIp;
    try {
      return await options.host.group(options.title, () =>
        waitForLoadBalancerIp(this.connection.kubeConfig, this.core, {
          namespace: this.namespace,
          name: this.name,
          timeoutSeconds: options.timeoutSeconds,
          eventsSince: this.eventsSince,
          afterWrite: this.writes,
          pinnedIp: this.pinnedIp,
        }),
      );
    } catch (error) {
      throw translateKubeError(error, this.connection, `waiting for the load balancer of Service ${this.namespace}/${this.name}`);
    }
  }
}
