import type { V1Service, V1ServicePort } from '@kubernetes/client-node';
import { UserError } from '@private-wire/shared/errors';
import type { Change } from '@private-wire/shared/engine/plan';
import { LB_INTERNAL, LB_INTERNAL_SUBNET, LB_IPV4, TRUE } from '@private-wire/shared/kubernetes/azure-annotations';
import type { KubeClient, ObjectRef } from '@private-wire/shared/kubernetes/kube-client';
import { FIELD_MANAGER, appliedAnnotationKeys } from '@private-wire/shared/kubernetes/managed-fields';
import type { CorednsSettings } from './settings';

const NAMESPACE = 'kube-system';
const MANAGED_BY = 'app.kubernetes.io/managed-by';
/** CoreDNS pods' label on AKS (the kube-dns Service selects them the same way). */
const SELECTOR = { 'k8s-app': 'kube-dns' };
const PORTS: V1ServicePort[] = [
  { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 as unknown as V1ServicePort['targetPort'] },
  { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 as unknown as V1ServicePort['targetPort'] },
];

export interface DnsServicePlan {
  change: Change;
  current?: V1Service;
  /** The IP the ipv4 annotation will pin, if any. */
  pinnedIp?: string;
  /** Whether the planned write can move the load balancer IP (type, internal, subnet or pinned IP). */
  ipMayChange: boolean;
}

const portKey = (p: V1ServicePort) => `${p.name}/${p.port}/${p.protocol ?? 'TCP'}/${String(p.targetPort ?? p.port)}`;

/**
 * Plans our own DNS Service: a LoadBalancer on an internal load balancer selecting the CoreDNS
 * pods, TCP and UDP 53. AKS's kube-dns Service is never touched. We own the whole object, so
 * server-side apply carries all of it; a Service by that name that is not ours is refused.
 */
export const dnsServiceRef = (s: CorednsSettings): ObjectRef => ({ kind: 'Service', name: s.dnsService, namespace: NAMESPACE });

/** Plans the DNS Service from `current`, as read (undefined: it does not exist). */
export function planDnsService(kube: KubeClient, read: V1Service | undefined, s: CorednsSettings, shown: (n: string) => string): DnsServicePlan {
  const resource = `Service ${NAMESPACE}/${s.dnsService}`;
  const current = checkOwnService(read, s, shown);
  const owned = appliedAnnotationKeys(current?.metadata);
  const now = current?.metadata?.annotations ?? {};
  // As for app Services: an IP pinned earlier stays pinned when dns-ip is later omitted.
  const pinned = s.dnsIp ?? (owned.has(LB_IPV4) ? now[LB_IPV4] : undefined);
  const annotations: Record<string, string> = { [LB_INTERNAL]: TRUE };
  if (s.dnsSubnet) annotations[LB_INTERNAL_SUBNET] = s.dnsSubnet;
  if (pinned) annotations[LB_IPV4] = pinned;
  const body = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: s.dnsService, namespace: NAMESPACE, labels: { [MANAGED_BY]: FIELD_MANAGER }, annotations },
    spec: { type: 'LoadBalancer', selector: SELECTOR, ports: PORTS },
  };
  // We own the whole object: the apply carries all of it.
  const apply = async () => {
    await kube.apply(body, { force: true });
  };
  if (!current) {
    const after = Object.entries(annotations).map(([k, v]) => `${short(k)}=${v}`).join(', ');
    return { pinnedIp: pinned, ipMayChange: true, change: { resource, action: 'create', detail: 'internal LoadBalancer for CoreDNS (k8s-app=kube-dns), TCP and UDP 53', after, apply } };
  }
  const { differences, ipMayChange } = differencesFrom(current, annotations, owned);
  if (differences.length === 0) return { current, pinnedIp: pinned, ipMayChange: false, change: { resource, action: 'none', detail: 'internal LoadBalancer for CoreDNS as wanted' } };
  return { current, pinnedIp: pinned, ipMayChange, change: { resource, action: 'update', detail: differences.join('; '), apply } };
}

const short = (k: string) => k.replace('service.beta.kubernetes.io/', '');

/** Our DNS Service, if it exists; one by that name that is not ours is refused. */
function checkOwnService(current: V1Service | undefined, s: CorednsSettings, shown: (n: string) => string): V1Service | undefined {
  if (current && current.metadata?.labels?.[MANAGED_BY] !== FIELD_MANAGER) {
    throw new UserError(
      `Input '${shown('dns-service')}' is '${s.dnsService}', but Service ${NAMESPACE}/${s.dnsService} already exists and is not managed by private-wire.`,
      `Give '${shown('dns-service')}' a name of its own (default kube-dns-internal), or delete that Service if it is a leftover.`,
    );
  }
  return current;
}

/** How the Service differs from what we want (in words), and whether that can move its IP. */
function differencesFrom(current: V1Service, annotations: Record<string, string>, owned: Set<string>): { differences: string[]; ipMayChange: boolean } {
  const now = current.metadata?.annotations ?? {};
  const differences: string[] = [];
  const changedKeys: string[] = [];
  for (const [k, v] of Object.entries(annotations)) {
    if (now[k] === v) continue;
    differences.push(`${short(k)} ${now[k] ?? '—'} → ${v}`);
    changedKeys.push(k);
  }
  for (const k of owned) {
    if (k in annotations || !(k in now)) continue;
    differences.push(`remove ${short(k)}`);
    changedKeys.push(k);
  }
  const retype = current.spec?.type !== 'LoadBalancer';
  if (retype) differences.push(`type ${current.spec?.type} → LoadBalancer`);
  if (Object.entries(SELECTOR).some(([k, v]) => current.spec?.selector?.[k] !== v)) differences.push('selector → k8s-app=kube-dns');
  const have = new Set((current.spec?.ports ?? []).map(portKey));
  if (PORTS.some((p) => !have.has(portKey(p))) || have.size !== PORTS.length) differences.push('ports → 53/UDP, 53/TCP');
  return { differences, ipMayChange: retype || changedKeys.some((k) => [LB_INTERNAL, LB_INTERNAL_SUBNET, LB_IPV4].includes(k)) };
}
