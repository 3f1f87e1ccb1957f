import { AppsV1Api, CoreV1Api, type V1Deployment } from '@kubernetes/client-node';
import { defineStep, type StepContext } from '@private-wire/shared/engine/step';
import { isWrite, type Change } from '@private-wire/shared/engine/plan';
import { planOnCluster, withKubeErrors } from '@private-wire/shared/kubernetes/cluster-plan';
import type { ClusterConnection } from '@private-wire/shared/kubernetes/connection';
import { readIfExists } from '@private-wire/shared/kubernetes/errors';
import { PendingLoadBalancerIp } from '@private-wire/shared/kubernetes/load-balancer';
import { restartDeployment, waitForRollout } from '@private-wire/shared/kubernetes/rollout';
import { CONFIGMAP, NAMESPACE, planCorednsCustom } from './coredns-custom';
import { LOADED_CONFIG_ANNOTATION, configHash, restartReason } from './coredns-restart';
import { renderK8sExternal } from './corefile';
import { planDnsService } from './dns-service';
import { configureCorednsExternalMetadata as metadata } from './metadata';
import { corednsSettings, type CorednsSettings } from './settings';

const COREDNS_DEPLOYMENT = 'coredns';

/** What finish needs: the DNS Service's load balancer, when the step exposes CoreDNS. */
interface PlanState {
  dnsLoadBalancer?: PendingLoadBalancerIp;
}

export const step = defineStep({
  metadata,
  settings: (inputs, ctx) => corednsSettings(inputs, ctx.host),

  plan: (s, ctx) =>
    planOnCluster(ctx, s, async (cluster) => {
      const core = cluster.api(CoreV1Api);
      const apps = cluster.api(AppsV1Api);
      cluster.doing(`reading ${NAMESPACE}/${CONFIGMAP}`);
      const configMap = await planCorednsCustom(core, s, ctx.host.inputName('zone'), ctx.warn);
      cluster.doing(`reading Deployment ${NAMESPACE}/${COREDNS_DEPLOYMENT}`);
      const restart = await planRestart(apps, s, configMap.action !== 'none', ctx, cluster.connection);
      const changes = [configMap, ...(restart ? [restart] : [])];
      const state: PlanState = {};
      if (s.exposeDns) {
        cluster.doing(`reading Service ${NAMESPACE}/${s.dnsService}`);
        const service = await planDnsService(core, s, (n) => ctx.host.inputName(n));
        changes.push(service.change);
        state.dnsLoadBalancer = new PendingLoadBalancerIp(cluster.connection, core, NAMESPACE, s.dnsService);
        await state.dnsLoadBalancer.observe({
          current: service.current,
          pinnedIp: service.pinnedIp,
          writes: isWrite(service.change),
          ipMayChange: service.ipMayChange,
          willWait: s.wait && !ctx.dryRun,
        });
      }
      return { changes: withKubeErrors(changes, cluster.connection), state };
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
async function planRestart(apps: AppsV1Api, s: CorednsSettings, configMapChanges: boolean, ctx: StepContext, connection: ClusterConnection): Promise<Change | undefined> {
  if (!s.restart) {
    if (configMapChanges) ctx.host.info(`restart is false: CoreDNS's reload plugin picks up the new ${CONFIGMAP} within a few minutes.`);
    return undefined;
  }
  const deployment = await readDeployment(apps);
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
      const generation = await restartDeployment(apps, NAMESPACE, COREDNS_DEPLOYMENT, { [LOADED_CONFIG_ANNOTATION]: configHash(content) });
      if (s.wait) {
        await ctx.host.group('Wait for the CoreDNS rollout', () => waitForRollout(connection.kubeConfig, apps, NAMESPACE, COREDNS_DEPLOYMENT, generation, ctx.deadline));
      }
    },
  };
}

function readDeployment(apps: AppsV1Api): Promise<V1Deployment | undefined> {
  return readIfExists(() => apps.readNamespacedDeployment({ name: COREDNS_DEPLOYMENT, namespace: NAMESPACE }));
}

