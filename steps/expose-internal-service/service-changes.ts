import type { V1Service } from '@kubernetes/client-node';
import { UserError } from '@private-wire/shared/errors';
import type { Change } from '@private-wire/shared/engine/plan';
import { LB_INTERNAL, LB_INTERNAL_SUBNET, LB_IPV4, PLS_CREATE, PLS_NAME, PLS_PREFIX, PLS_PROXY_PROTOCOL, TRUE } from '@private-wire/shared/kubernetes/azure-annotations';
import { kubeStatusCode } from '@private-wire/shared/kubernetes/errors';
import type { KubeClient, KubeObject, ObjectRef } from '@private-wire/shared/kubernetes/kube-client';
import { changedByOthersError, changesByOthers } from '@private-wire/shared/kubernetes/load-balancer';
import { appliedAnnotationKeys } from '@private-wire/shared/kubernetes/managed-fields';
import type { ExposeSettings } from './settings';

export interface ServicePlan {
  changes: Change[];
  /** The Service as read (undefined when it does not exist yet). */
  current?: V1Service;
  /** The IP the ipv4 annotation will pin, if any. */
  pinnedIp?: string;
  /** Whether the planned write can move the load balancer IP (type, internal, subnet or pinned IP). */
  ipMayChange: boolean;
  /** Our annotations as they will be once the plan is applied (what finish checks are still there). */
  annotations: Record<string, string>;
  /** Whether the Service will ask for a Private Link Service. */
  privateLink: boolean;
  warnings: string[];
}

/** Attempts of the apply when the Service changes between our read and our write (409). */
const APPLY_ATTEMPTS = 3;
/** Annotations whose change can give the load balancer another IP. */
const IP_ANNOTATIONS = [LB_INTERNAL, LB_INTERNAL_SUBNET, LB_IPV4];

const short = (key: string) => key.replace('service.beta.kubernetes.io/', '');

/**
 * Server-side apply of only what this step owns: its annotations and `type: LoadBalancer`. The
 * resourceVersion read makes it conditional: a Service changed since is a 409, not overwritten.
 */
async function applyOwnFields(kube: KubeClient, s: ExposeSettings, annotations: Record<string, string>, resourceVersion?: string): Promise<void> {
  const metadata = { name: s.service, namespace: s.namespace, annotations, ...(resourceVersion ? { resourceVersion } : {}) };
  // force: taking `type` (and annotation values) over from whoever set them before is the point.
  await kube.apply({ apiVersion: 'v1', kind: 'Service', metadata, spec: { type: 'LoadBalancer' } }, { force: true });
}

const serviceRef = (s: ExposeSettings): ObjectRef => ({ kind: 'Service', name: s.service, namespace: s.namespace });

async function readService(kube: KubeClient, s: ExposeSettings): Promise<V1Service | undefined> {
  const [service] = await kube.read([serviceRef(s)]);
  return service as V1Service | undefined;
}

/** What our annotations should be on an existing Service, and how that differs from now. Pure. */
export function desiredAnnotations(current: V1Service, s: ExposeSettings) {
  const now = current.metadata?.annotations ?? {};
  const owned = appliedAnnotationKeys(current.metadata);
  const loadBalancerIp = current.spec?.loadBalancerIP || undefined;
  // spec.loadBalancerIP is deprecated: its value moves to the annotation. An IP we pinned earlier
  // stays pinned when the input is later omitted, so re-running without `ip` never moves it.
  const pinned = s.ip ?? loadBalancerIp ?? (owned.has(LB_IPV4) ? now[LB_IPV4] : undefined);
  // An empty `private-link` leaves the Private Link Service as it is: our PLS annotations are
  // applied again unchanged (a server-side apply without them would remove them, and the PLS).
  const kept = s.privateLink === undefined ? Object.fromEntries([...owned].filter((k) => k.startsWith(PLS_PREFIX) && k in now).map((k) => [k, now[k]!])) : {};
  const wanted: Record<string, string> = { ...s.annotations, ...kept, ...(pinned ? { [LB_IPV4]: pinned } : {}) };
  const set = Object.entries(wanted).filter(([k, v]) => now[k] !== v);
  const dropped = [...owned].filter((k) => !(k in wanted) && k in now);
  const retype = current.spec?.type !== 'LoadBalancer';
  const ipMayChange = retype || [...set.map(([k]) => k), ...dropped].some((k) => IP_ANNOTATIONS.includes(k));
  return { now, wanted, set, dropped, retype, pinned, loadBalancerIp, ipMayChange };
}

/**
 * Applies our fields to the Service as it is at write time: on a 409 (it changed since it was
 * read) it is read again and the wanted fields worked out again, never written over blindly.
 */
async function applyAsPlanned(kube: KubeClient, s: ExposeSettings, first: V1Service): Promise<void> {
  let current = first;
  for (let attempt = 1; ; attempt++) {
    const d = desiredAnnotations(current, s);
    if (!d.set.length && !d.dropped.length && !d.retype) return;
    try {
      await applyOwnFields(kube, s, d.wanted, current.metadata?.resourceVersion);
      return;
    } catch (error) {
      if (kubeStatusCode(error) !== 409 || attempt >= APPLY_ATTEMPTS) throw error;
    }
    const again = await readService(kube, s);
    if (!again) throw new UserError(`Service ${s.namespace}/${s.service} was deleted while this step wrote it.`, 'Re-run the step once whoever deletes it is done.');
    current = again;
  }
}

/**
 * Reads the Service and plans the writes that make it an internal LoadBalancer with our
 * annotations; every other field (labels, other annotations, ports, selector, policies) is left
 * to its owners. Nothing is written here.
 */
export async function planService(kube: KubeClient, s: ExposeSettings, showInput: (name: string) => string): Promise<ServicePlan> {
  // One read for both (one run command on a private cluster): the namespace matters only when the Service is missing.
  const [current, namespace] = await kube.read([serviceRef(s), { kind: 'Namespace', name: s.namespace }]);
  return current ? planExistingService(kube, s, current as V1Service, showInput) : planNewService(kube, s, namespace !== undefined, showInput);
}

function planNewService(kube: KubeClient, s: ExposeSettings, namespaceExists: boolean, showInput: (name: string) => string): ServicePlan {
  const resource = `Service ${s.namespace}/${s.service}`;
  if (!s.selector || !s.ports) {
    const missing = [!s.selector && showInput('selector'), !s.ports && showInput('ports')].filter(Boolean).join("' and '");
    throw new UserError(
      `${resource} does not exist, and '${missing}' ${missing.includes("' and '") ? 'are' : 'is'} not given, so it cannot be created.`,
      `Check '${showInput('namespace')}' and '${showInput('service')}', or give '${showInput('selector')}' (e.g. app=backend) and '${showInput('ports')}' (e.g. 80:8080/TCP) to create it.`,
    );
  }
  if (!namespaceExists) {
    throw new UserError(`Namespace '${s.namespace}' (input '${showInput('namespace')}') does not exist.`, 'Create the namespace with the app first, or fix the input.');
  }
  const annotations: Record<string, string> = { ...s.annotations, ...(s.ip ? { [LB_IPV4]: s.ip } : {}) };
  const { selector, ports } = s;
  const change: Change = {
    resource,
    action: 'create',
    detail: `create it (selector ${Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',')}; ports ${ports.map((p) => `${p.port}:${p.targetPort}/${p.protocol}`).join(',')}) on an internal load balancer`,
    after: Object.entries(annotations).map(([k, v]) => `${short(k)}=${v}`).join(', '),
    async apply() {
      // Created as ClusterIP first and switched by the apply below, so no public load
      // balancer is ever requested for it; selector and ports stay with the Update manager,
      // out of our applied config, so later applies never remove them.
      const created = await kube.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: s.service, namespace: s.namespace }, spec: { type: 'ClusterIP', selector, ports } } as KubeObject);
      await applyOwnFields(kube, s, annotations, created.metadata?.resourceVersion);
    },
  };
  return { current: undefined, pinnedIp: s.ip, ipMayChange: true, annotations, privateLink: annotations[PLS_CREATE] === TRUE, warnings: [], changes: [change] };
}

function planExistingService(kube: KubeClient, s: ExposeSettings, current: V1Service, showInput: (name: string) => string): ServicePlan {
  const resource = `Service ${s.namespace}/${s.service}`;
  if (current.spec?.type === 'ExternalName') {
    throw new UserError(`${resource} is an ExternalName Service, which cannot have a load balancer.`, `Point '${showInput('service')}' at the Service that selects the app's pods.`);
  }
  const d = desiredAnnotations(current, s);
  const changes: Change[] = [];
  const warnings: string[] = [];
  if (d.set.length || d.dropped.length || d.retype) {
    const detail = [
      d.retype ? `type ${current.spec?.type ?? 'ClusterIP'} → LoadBalancer` : '',
      d.set.length ? `set ${d.set.map(([k]) => short(k)).join(', ')}` : '',
      d.dropped.length ? `remove ${d.dropped.map(short).join(', ')} (set by an earlier run, no longer wanted)` : '',
    ].filter(Boolean);
    changes.push({
      resource,
      action: 'update',
      detail: `${detail.join('; ')}; other fields unchanged`,
      before: [...d.set.map(([k]) => k), ...d.dropped].filter((k) => k in d.now).map((k) => `${short(k)}=${d.now[k]}`).join(', ') || undefined,
      after: d.set.map(([k, v]) => `${short(k)}=${v}`).join(', ') || undefined,
      apply: () => applyAsPlanned(kube, s, current),
    });
  } else {
    changes.push({ resource, action: 'none', detail: 'already an internal LoadBalancer with these annotations' });
  }
  changes.push(...privateLinkRemoval(s, resource, d.now, d.dropped, warnings));
  if (d.loadBalancerIp) changes.push(loadBalancerIpRemoval(kube, s, resource, d.loadBalancerIp, showInput, warnings));
  const privateLink = d.wanted[PLS_CREATE] === TRUE;
  if (privateLink && d.wanted[PLS_PROXY_PROTOCOL] === TRUE && current.spec?.externalTrafficPolicy === 'Local') {
    warnings.push(
      `${resource} has externalTrafficPolicy: Local and ${short(PLS_PROXY_PROTOCOL)} is on: connections through the Private Link Service carry a PROXY v2 header (the client address is only there), while clients calling the internal load balancer directly send none. The app must accept both, or set externalTrafficPolicy: Cluster.`,
    );
  }
  return { changes, current, pinnedIp: d.pinned, ipMayChange: d.ipMayChange, annotations: d.wanted, privateLink, warnings };
}

/**
 * `private-link: false` removes our azure-pls-create, and cloud-provider-azure then deletes the
 * Private Link Service with every private endpoint connection to it: the plan says so on its own
 * line. One another manager set stays (we only remove what we applied), with a warning.
 */
function privateLinkRemoval(s: ExposeSettings, resource: string, now: Record<string, string>, dropped: string[], warnings: string[]): Change[] {
  if (s.privateLink !== false) return [];
  if (dropped.includes(PLS_CREATE) && now[PLS_CREATE] === TRUE) {
    return [
      {
        resource: `Private Link Service of ${resource}`,
        action: 'delete',
        detail: `private-link is false: cloud-provider-azure deletes the Private Link Service and every private endpoint connection to it once ${short(PLS_CREATE)} is removed`,
        before: now[PLS_NAME] ?? 'pls-<load balancer frontend> (default name)',
      },
    ];
  }
  if (now[PLS_CREATE] === TRUE && !dropped.includes(PLS_CREATE)) {
    warnings.push(`${resource} keeps its Private Link Service: ${short(PLS_CREATE)} was set by another manager, not by this step, so private-link: false does not remove it.`);
  }
  return [];
}

function loadBalancerIpRemoval(kube: KubeClient, s: ExposeSettings, resource: string, loadBalancerIp: string, showInput: (name: string) => string, warnings: string[]): Change {
  if (s.ip && s.ip !== loadBalancerIp) warnings.push(`${resource} had spec.loadBalancerIP ${loadBalancerIp}; input '${showInput('ip')}' (${s.ip}) replaces it.`);
  return {
    resource,
    action: 'update',
    detail: `remove the deprecated spec.loadBalancerIP (now in ${short(LB_IPV4)})`,
    before: loadBalancerIp,
    async apply() {
      // `test` makes this a no-op failure instead of a lost update if someone changed it meanwhile.
      await kube.patch(serviceRef(s), 'json', [
        { op: 'test', path: '/spec/loadBalancerIP', value: loadBalancerIp },
        { op: 'remove', path: '/spec/loadBalancerIP' },
      ]);
    },
  };
}

/**
 * Before the IP is reported: the Service must still carry our annotations as this run applied
 * them, and its load balancer still show that IP. Another run (or person) changing it meanwhile
 * would make the IP stale, so the step fails and says what changed instead.
 */
export async function checkStillAsApplied(kube: KubeClient, s: ExposeSettings, annotations: Record<string, string>, ip: string | undefined): Promise<void> {
  const now = await readService(kube, s);
  if (!now) throw new UserError(`Service ${s.namespace}/${s.service} was deleted after this step wrote it.`, 'Re-run the step once whoever deletes it is done.');
  const changes = changesByOthers(now, annotations, ip);
  if (changes.length) throw changedByOthersError(s.namespace, s.service, changes);
}
