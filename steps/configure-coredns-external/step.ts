import type { V1ConfigMap, V1Deployment, V1Service } from '@kubernetes/client-node';
import { defineStep, type StepContext } from '@private-wire/shared/engine/step';
import { isWrite, type Change } from '@private-wire/shared/engine/plan';
import { planOnCluster, withKubeErrors } from '@private-wire/shared/kubernetes/cluster-plan';
import type { KubeClient, LoadBalancerIpWait, ObjectRef } from '@private-wire/shared/kubernetes/kube-client';
import { restartPatch } from '@private-wire/shared/kubernetes/rollout';
import { CONFIGMAP, CONFIGMAP_REF, NAMESPACE, planCorednsCustom } from './coredns-custom';
import { LOADED_CONFIG_ANNOTATION, configHash, restartReason } from './coredns-restart';
import { renderK8sExternal } from './corefile';
import { dnsServiceRef, planDnsService } from './dns-service';
import { configureCorednsExternalMetadata as metadata } from './metadata';
import { corednsSettings, type CorednsSettings } from './settings';

const COREDNS_DEPLOYMENT = 'coredns';
const DEPLOYMENT_REF: ObjectRef = { kind: 'Deployment', name: COREDNS_DEPLOYMENT, namespace: NAMESPACE };

/** What finish needs: the DNS Service's load balancer, when the step exposes CoreDNS. */
interface PlanState {
  dnsLoadBalancer?: LoadBalancerIpWait;
}

export const step = defineStep({
  metadata,
  settings: (inputs, ctx) => corednsSettings(inputs, ctx.host),

  plan: (s, ctx) =>
    planOnCluster(ctx, s, async (cluster) => {
      const { kube } = cluster;
      // Everything the plan needs in one read (one run command on a private cluster).
      cluster.doing(`reading ${NAMESPACE}/${CONFIGMAP}, Deployment ${NAMESPACE}/${COREDNS_DEPLOYMENT}${s.exposeDns ? ` and Service ${NAMESPACE}/${s.dnsService}` : ''}`);
      const [configMap, deployment, dnsService] = await kube.read([CONFIGMAP_REF, DEPLOYMENT_REF, ...(s.exposeDns ? [dnsServiceRef(s)] : [])]);
      const configMapChange = planCorednsCustom(kube, configMap as V1ConfigMap | undefined, s, ctx.host.inputName('zone'), ctx.warn);
      const restart = planRestart(kube, deployment as V1Deployment | undefined, s, configMapChange.action !== 'none', ctx);
      const changes = [configMapChange, ...(restart ? [restart] : [])];
      const state: PlanState = {};
      if (s.exposeDns) {
        const service = planDnsService(kube, dnsService as V1Service | undefined, s, (n) => ctx.host.inputName(n));
        changes.push(service.change);
        state.dnsLoadBalancer = kube.loadBalancerIp(NAMESPACE, s.dnsService);
        await state.dnsLoadBalancer.observe({
          current: service.current,
          pinnedIp: service.pinnedIp,
          writes: isWrite(service.change),
          ipMayChange: service.ipMayChange,
          willWait: s.wait && !ctx.dryRun,
        });
      }
      return { changes: withKubeErrors(changes, kube.target), state };
    }),

  async finish(settings, ctx, state) {
    if (!state.dnsLoadBalancer) return {};
    const wait = settings.wait && !ctx.dryRun;
    const ip = await state.dnsLoadBalancer.ip({ wait, deadline: ctx.deadline, host: ctx.host, title: 'Wait for the DNS load balancer IP' });
    if (wait) ctx.host.info(`CoreDNS answers ${settings.zone} on ${ip} (Service ${NAMESPACE}/${settings.dnsService}).`);
    return { 'dns-ip': ip ?? '' };
  },
});

/** The rollout restart that makes CoreDNS load our key, when it has not loaded it yet. */
function planRestart(kube: KubeClient, deployment: V1Deployment | undefined, s: CorednsSettings, configMapChanges: boolean, ctx: StepContext): Change | undefined {
  if (!s.restart) {
    if (configMapChanges) ctx.host.info(`restart is false: CoreDNS's reload plugin picks up the new ${CONFIGMAP} within a few minutes.`);
    return undefined;
  }
  if (!deployment) {
    if (configMapChanges) ctx.warn(`Deployment ${NAMESPACE}/${COREDNS_DEPLOYMENT} was not found, so it is not restarted; restart your cluster DNS to load the new ${CONFIGMAP}.`);
    return undefined;
  }
  const content = renderK8sExternal(s.zone, s.ttl, s.headless);
  const reason = restartReason(deployment, content, configMapChanges);
  if (!reason) return undefined;
  return {
    resource: `Deployment ${NAMESPACE}/${COREDNS_DEPLOYMENT}`,
    action: 'update',
    detail: `rollout restart (${reason}), ${s.wait ? 'then wait for it' : 'without waiting'}`,
    apply: async () => {
      const restarted = await kube.patch(DEPLOYMENT_REF, 'strategic', restartPatch({ [LOADED_CONFIG_ANNOTATION]: configHash(content) }));
      const generation = (restarted.metadata as { generation?: number } | undefined)?.generation ?? 0;
      if (s.wait) await ctx.host.group('Wait for the CoreDNS rollout', () => kube.waitForRollout(NAMESPACE, COREDNS_DEPLOYMENT, generation, ctx.deadline));
    },
  };
}
