import { AppsV1Api, CoreV1Api, type V1Deployment } from '@kubernetes/client-node';
import { defineStep, type StepContext } from '../../engine/step';
import { isWrite, type Change } from '../../engine/plan';
import { signInToAzure, type AzureSession } from '../../azure/credential';
import { connectToCluster, type ClusterConnection } from '../../kubernetes/connection';
import { kubeStatusCode, translateKubeError, withKubeErrors } from '../../kubernetes/errors';
import { PendingLoadBalancerIp } from '../../kubernetes/load-balancer';
import { restartDeployment, waitForRollout } from '../../kubernetes/rollout';
import { CONFIGMAP, NAMESPACE, planCorednsCustom } from './coredns-custom';
import { LOADED_CONFIG_ANNOTATION, configHash, restartReason } from './coredns-restart';
import { renderK8sExternal } from './corefile';
import { planDnsService } from './dns-service';
import { configureCorednsExternalMetadata as metadata } from './metadata';
import { corednsSettings, type CorednsSettings } from './settings';

const COREDNS_DEPLOYMENT = 'coredns';

/** What plan learned that finish needs (the engine passes settings to both). */
interface Runtime {
  dnsLoadBalancer?: PendingLoadBalancerIp;
}

export const configureCorednsExternalStep = defineStep({
  metadata,
  settings: (inputs, ctx) => ({ ...corednsSettings(inputs, ctx.host), runtime: {} as Runtime }),

  async plan(settings, ctx) {
    const { runtime: rt, ...s } = settings;
    let session: Promise<AzureSession> | undefined;
    const connection = await connectToCluster(ctx, s.cluster, () => (session ??= signInToAzure(ctx.host, s.azure, ctx.deadline)));
    const core = connection.api(CoreV1Api);
    const apps = connection.api(AppsV1Api);
    let step = `reading ${NAMESPACE}/${CONFIGMAP}`;
    try {
      const changes: Change[] = [];
      const configMap = await planCorednsCustom(core, s, ctx.host.inputName('zone'), ctx.warn);
      changes.push(configMap);

      step = `reading Deployment ${NAMESPACE}/${COREDNS_DEPLOYMENT}`;
      const restart = await planRestart(apps, s, configMap.action !== 'none', ctx, connection);
      if (restart) changes.push(restart);

      if (s.exposeDns) {
        step = `reading Service ${NAMESPACE}/${s.dnsService}`;
        const service = await planDnsService(core, s, (n) => ctx.host.inputName(n));
        changes.push(service.change);
        rt.dnsLoadBalancer = new PendingLoadBalancerIp(connection, core, NAMESPACE, s.dnsService);
        await rt.dnsLoadBalancer.observe({
          current: service.current,
          pinnedIp: service.pinnedIp,
          writes: isWrite(service.change),
          ipMayChange: service.ipMayChange,
          willWait: s.wait && !ctx.dryRun,
        });
      }
      return {
        changes: changes.map((c) => (c.apply ? { ...c, apply: withKubeErrors(c.apply, connection, `updating ${c.resource}`) } : c)),
      };
    } catch (error) {
      throw translateKubeError(error, connection, step);
    }
  },

  async finish(settings, ctx): Promise<Record<string, string>> {
    const { runtime: rt } = settings;
    if (!settings.exposeDns) return {};
    const wait = settings.wait && !ctx.dryRun;
    const ip = await rt.dnsLoadBalancer!.ip({ wait, deadline: ctx.deadline, host: ctx.host, title: 'Wait for the DNS load balancer IP' });
    if (wait) {
      ctx.host.info(`CoreDNS answers ${settings.zone} on ${ip} (Service ${NAMESPACE}/${settings.dnsService}).`);
    }
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

async function readDeployment(apps: AppsV1Api): Promise<V1Deployment | undefined> {
  try {
    return await apps.readNamespacedDeployment({ name: COREDNS_DEPLOYMENT, namespace: NAMESPACE });
  } catch (error) {
    if (kubeStatusCode(error) === 404) return undefined;
    throw error;
  }
}

