// Reads what the cluster-side findings need from the Kubernetes API (GETs only): the Service and
// kube-system/coredns-custom. It reaches the cluster exactly as the other Kubernetes steps do
// (shared kubernetes/cluster-plan.ts: the kubeconfig input, a service connection, or the AKS
// cluster named by cluster-resource-group + cluster-name; the AKS run command for a private
// cluster; credential plugins only when allowed). When the API server cannot be read, the result
// says why, and the findings report those checks as not checked instead of failing the step.
import type { V1ConfigMap, V1Service } from '@kubernetes/client-node';
import type { StepContext } from '@private-wire/shared/engine/step';
import { errorMessage, UserError } from '@private-wire/shared/errors';
import { LB_INTERNAL } from '@private-wire/shared/kubernetes/azure-annotations';
import { planOnCluster } from '@private-wire/shared/kubernetes/cluster-plan';
import { translateKubeError } from '@private-wire/shared/kubernetes/errors';
import type { ObjectRef } from '@private-wire/shared/kubernetes/kube-client';
import type { CheckSettings } from './settings';
import type { KubeView, ServiceView } from './world';

const COREDNS_CUSTOM: ObjectRef = { kind: 'ConfigMap', name: 'coredns-custom', namespace: 'kube-system' };

/**
 * A Service as the findings need it (Kubernetes core/v1 Service: spec.type, spec.clusterIP,
 * spec.ports, status.loadBalancer.ingress[].ip; the annotation cloud-provider-azure reads as
 * "internal": the value `true`, kubernetes-sigs/cloud-provider-azure pkg/consts ServiceAnnotationLoadBalancerInternal).
 */
export function serviceView(svc: V1Service): ServiceView {
  return {
    type: svc.spec?.type ?? 'ClusterIP',
    internal: svc.metadata?.annotations?.[LB_INTERNAL] === 'true',
    clusterIP: svc.spec?.clusterIP && svc.spec.clusterIP !== 'None' ? svc.spec.clusterIP : undefined,
    loadBalancerIps: (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip).filter((x): x is string => !!x),
    ports: (svc.spec?.ports ?? []).map((p) => ({ port: p.port, protocol: p.protocol ?? 'TCP' })),
  };
}

/** Undefined when nothing on the cluster is to be checked (no `service`, no `zone`). */
export async function readKube(s: CheckSettings, ctx: StepContext): Promise<KubeView | undefined> {
  if (!s.service && !s.zone) return undefined;
  const refs: ObjectRef[] = [COREDNS_CUSTOM, ...(s.service ? [{ kind: 'Service' as const, name: s.service.name, namespace: s.service.namespace }] : [])];
  return planOnCluster(ctx, { cluster: s.kube, azure: s.azure }, async ({ kube }) => {
    try {
      const [cm, svc] = await kube.read(refs);
      return { read: true, corednsCustom: cm ? ((cm as V1ConfigMap).data ?? {}) : undefined, service: svc ? serviceView(svc as V1Service) : undefined };
    } catch (error) {
      // Only failures of the reads themselves become "not checked": a bad connection input fails the step.
      const e = translateKubeError(error, kube.target, 'reading the Service and coredns-custom');
      return { read: false, reason: e instanceof UserError ? `${e.message}${e.hint ? ` ${e.hint}` : ''}` : errorMessage(e) };
    }
  });
}
