import { PatchStrategy, setHeaderOptions, type CoreV1Api, type V1Service } from '@kubernetes/client-node';
import { UserError } from '../../errors';
import type { Change } from '../../engine/plan';
import { LB_IPV4, PLS_PROXY_PROTOCOL } from '../../kubernetes/azure-annotations';
import { kubeStatusCode } from '../../kubernetes/errors';
import { FIELD_MANAGER, appliedAnnotationKeys } from '../../kubernetes/managed-fields';
import type { ExposeSettings } from './settings';

export interface ServicePlan {
  changes: Change[];
  /** The Service as read (undefined when it does not exist yet). */
  current?: V1Service;
  /** The IP the ipv4 annotation will pin, if any. */
  pinnedIp?: string;
  warnings: string[];
}

/** Server-side apply of only what this step owns: its annotations and `type: LoadBalancer`. */
async function applyOwnFields(core: CoreV1Api, s: ExposeSettings, annotations: Record<string, string>): Promise<void> {
  const body = { apiVersion: 'v1', kind: 'Service', metadata: { name: s.service, namespace: s.namespace, annotations }, spec: { type: 'LoadBalancer' } };
  // force: taking `type` (and annotation values) over from whoever set them before is the point.
  await core.patchNamespacedService(
    { name: s.service, namespace: s.namespace, body, fieldManager: FIELD_MANAGER, force: true },
    setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
  );
}

const short = (key: string) => key.replace('service.beta.kubernetes.io/', '');

/**
 * Reads the Service and plans the writes that make it an internal LoadBalancer with our
 * annotations; every other field (labels, other annotations, ports, selector, policies) is left
 * to its owners. Nothing is written here.
 */
export async function planService(core: CoreV1Api, s: ExposeSettings, showInput: (name: string) => string): Promise<ServicePlan> {
  const resource = `Service ${s.namespace}/${s.service}`;
  let current: V1Service | undefined;
  try {
    current = await core.readNamespacedService({ name: s.service, namespace: s.namespace });
  } catch (error) {
    if (kubeStatusCode(error) !== 404) throw error;
  }

  if (!current) {
    if (!s.selector || !s.ports) {
      const missing = [!s.selector && showInput('selector'), !s.ports && showInput('ports')].filter(Boolean).join("' and '");
      throw new UserError(
        `${resource} does not exist, and '${missing}' ${missing.includes("' and '") ? 'are' : 'is'} not given, so it cannot be created.`,
        `Check '${showInput('namespace')}' and '${showInput('service')}', or give '${showInput('selector')}' (e.g. app=backend) and '${showInput('ports')}' (e.g. 80:8080/TCP) to create it.`,
      );
    }
    try {
      await core.readNamespace({ name: s.namespace });
    } catch (error) {
      if (kubeStatusCode(error) !== 404) throw error;
      throw new UserError(`Namespace '${s.namespace}' (input '${showInput('namespace')}') does not exist.`, 'Create the namespace with the app first, or fix the input.');
    }
    const annotations = { ...s.annotations, ...(s.ip ? { [LB_IPV4]: s.ip } : {}) };
    const { selector, ports } = s;
    return {
      current,
      pinnedIp: s.ip,
      warnings: [],
      changes: [
        {
          resource,
          action: 'create',
          detail: `create it (selector ${Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',')}; ports ${ports.map((p) => `${p.port}:${p.targetPort}/${p.protocol}`).join(',')}) on an internal load balancer`,
          after: Object.entries(annotations).map(([k, v]) => `${short(k)}=${v}`).join(', '),
          async apply() {
            // Created as ClusterIP first and switched by the apply below, so no public load
            // balancer is ever requested for it; selector and ports stay with the Update manager,
            // out of our applied config, so later applies never remove them.
            await core.createNamespacedService({
              namespace: s.namespace,
              body: { metadata: { name: s.service, namespace: s.namespace }, spec: { type: 'ClusterIP', selector, ports } },
              fieldManager: FIELD_MANAGER,
            });
            await applyOwnFields(core, s, annotations);
          },
        },
      ],
    };
  }

  if (current.spec?.type === 'ExternalName') {
    throw new UserError(`${resource} is an ExternalName Service, which cannot have a load balancer.`, `Point '${showInput('service')}' at the Service that selects the app's pods.`);
  }
  const now = current.metadata?.annotations ?? {};
  const owned = appliedAnnotationKeys(current.metadata);
  const loadBalancerIp = current.spec?.loadBalancerIP || undefined;
  // spec.loadBalancerIP is deprecated: its value moves to the annotation. An IP we pinned earlier
  // stays pinned when the input is later omitted, so re-running without `ip` never moves it.
  const pinned = s.ip ?? loadBalancerIp ?? (owned.has(LB_IPV4) ? now[LB_IPV4] : undefined);
  const wanted = { ...s.annotations, ...(pinned ? { [LB_IPV4]: pinned } : {}) };
  const set = Object.entries(wanted).filter(([k, v]) => now[k] !== v);
  const dropped = [...owned].filter((k) => !(k in wanted) && k in now);
  const retype = current.spec?.type !== 'LoadBalancer';

  const changes: Change[] = [];
  const warnings: string[] = [];
  if (set.length || dropped.length || retype) {
    const detail = [
      retype ? `type ${current.spec?.type ?? 'ClusterIP'} → LoadBalancer` : '',
      set.length ? `set ${set.map(([k]) => short(k)).join(', ')}` : '',
      dropped.length ? `remove ${dropped.map(short).join(', ')} (set by an earlier run, no longer wanted)` : '',
    ].filter(Boolean);
    changes.push({
      resource,
      action: 'update',
      detail: `${detail.join('; ')}; other fields unchanged`,
      before: [...set.map(([k]) => k), ...dropped].filter((k) => k in now).map((k) => `${short(k)}=${now[k]}`).join(', ') || undefined,
      after: set.map(([k, v]) => `${short(k)}=${v}`).join(', ') || undefined,
      apply: () => applyOwnFields(core, s, wanted),
    });
  } else {
    changes.push({ resource, action: 'none', detail: 'already an internal LoadBalancer with these annotations' });
  }
  if (loadBalancerIp) {
    if (s.ip && s.ip !== loadBalancerIp) warnings.push(`${resource} had spec.loadBalancerIP ${loadBalancerIp}; input '${showInput('ip')}' (${s.ip}) replaces it.`);
    changes.push({
      resource,
      action: 'update',
      detail: `remove the deprecated spec.loadBalancerIP (now in ${short(LB_IPV4)})`,
      before: loadBalancerIp,
      async apply() {
        // `test` makes this a no-op failure instead of a lost update if someone changed it meanwhile.
        await core.patchNamespacedService(
          {
            name: s.service,
            namespace: s.namespace,
            body: [
              { op: 'test', path: '/spec/loadBalancerIP', value: loadBalancerIp },
              { op: 'remove', path: '/spec/loadBalancerIP' },
            ],
            fieldManager: FIELD_MANAGER,
          },
          setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
        );
      },
    });
  }
  if (s.privateLink && s.proxyProtocol && current.spec?.externalTrafficPolicy === 'Local') {
    warnings.push(
      `${resource} has externalTrafficPolicy: Local and ${short(PLS_PROXY_PROTOCOL)} is on: connections through the Private Link Service carry a PROXY v2 header (the client address is only there), while clients calling the internal load balancer directly send none. The app must accept both, or set externalTrafficPolicy: Cluster.`,
    );
  }
  return { changes, current, pinnedIp: pinned, warnings };
}
