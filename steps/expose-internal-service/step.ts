import { UserError, errorMessage } from '@private-wire/shared/errors';
import { defineStep, type StepContext } from '@private-wire/shared/engine/step';
import { isWrite } from '@private-wire/shared/engine/plan';
import { NoAzureCredential, type AzureSession } from '@private-wire/shared/azure/credential';
import { PLS_NAME, PLS_RESOURCE_GROUP } from '@private-wire/shared/kubernetes/azure-annotations';
import { planOnCluster, withKubeErrors } from '@private-wire/shared/kubernetes/cluster-plan';
import type { KubeClient, LoadBalancerIpWait } from '@private-wire/shared/kubernetes/kube-client';
import { exposeInternalServiceMetadata as metadata } from './metadata';
import { findPrivateLinkService, nodeResourceGroupOf } from './private-link-lookup';
import { checkStillAsApplied, planService } from './service-changes';
import { exposeSettings, type ExposeSettings } from './settings';

/** What plan learned that finish needs. */
interface PlanState {
  loadBalancer: LoadBalancerIpWait;
  kube: KubeClient;
  /** Our annotations as the plan leaves them: finish checks they are still there before reporting. */
  annotations: Record<string, string>;
  privateLink: boolean;
  /** The named cluster's node resource group, read before any write (see clusterNodeResourceGroup). */
  nodeResourceGroup?: string;
  azure: () => Promise<AzureSession>;
}

export const step = defineStep({
  metadata,
  settings: (inputs, ctx) => exposeSettings(inputs, ctx.host),

  plan: (settings, ctx) =>
    planOnCluster(ctx, settings, async (cluster) => {
      cluster.doing(`reading Service ${settings.namespace}/${settings.service}`);
      const { kube } = cluster;
      const planned = await planService(kube, settings, (n) => ctx.host.inputName(n));
      for (const w of planned.warnings) ctx.warn(w);
      const loadBalancer = kube.loadBalancerIp(settings.namespace, settings.service);
      await loadBalancer.observe({
        current: planned.current,
        pinnedIp: planned.pinnedIp,
        writes: planned.changes.some(isWrite),
        ipMayChange: planned.ipMayChange,
        willWait: settings.wait && !ctx.dryRun,
        applied: planned.annotations,
      });
      const nodeResourceGroup = planned.privateLink ? await clusterNodeResourceGroup(settings, ctx, cluster.azure) : undefined;
      const state: PlanState = { loadBalancer, kube, annotations: planned.annotations, privateLink: planned.privateLink, nodeResourceGroup, azure: cluster.azure };
      return { changes: withKubeErrors(planned.changes, kube.target), state };
    }),

  async finish(settings, ctx, state) {
    const wait = settings.wait && !ctx.dryRun;
    const ip = await state.loadBalancer.ip({ wait, deadline: ctx.deadline, host: ctx.host, title: 'Wait for the load balancer IP' });
    // Without waiting, the IP is the one the plan saw; a changed status is then no contradiction.
    if (!ctx.dryRun) await checkStillAsApplied(state.kube, settings, state.annotations, wait ? ip : undefined);
    if (wait) ctx.host.info(`Service ${settings.namespace}/${settings.service} has internal load balancer IP ${ip}.`);
    return { ip: ip ?? '', ...(state.privateLink ? await privateLinkOutputs(settings, ctx, state, ip) : {}) };
  },
});

/**
 * With the AKS cluster named (`cluster-resource-group` + `cluster-name`, also beside a kubeconfig),
 * its node resource group scopes the Private Link Service lookup. Read in plan, so a wrong name fails
 * before any write. Without an Azure sign-in there is no lookup (finish says so).
 */
async function clusterNodeResourceGroup(settings: ExposeSettings, ctx: StepContext, azure: () => Promise<AzureSession>): Promise<string | undefined> {
  const { clusterResourceGroup, clusterName } = settings.cluster;
  if (!clusterResourceGroup || !clusterName) return undefined;
  let session: AzureSession;
  try {
    session = await azure();
  } catch (error) {
    if (error instanceof NoAzureCredential) return undefined;
    throw error;
  }
  const group = await nodeResourceGroupOf(session, { resourceGroup: clusterResourceGroup, name: clusterName, inputName: (n) => ctx.host.inputName(n) });
  ctx.host.info(`AKS cluster ${clusterResourceGroup}/${clusterName} keeps its load balancers in node resource group ${group}.`);
  return group;
}

/**
 * pls-alias / pls-id from ARM. Optional: without an Azure sign-in the Service still gets its PLS
 * (the cloud provider creates it); only these outputs stay empty, with a note why.
 */
async function privateLinkOutputs(settings: ExposeSettings, ctx: StepContext, state: PlanState, ip: string | undefined): Promise<{ 'pls-alias': string; 'pls-id': string }> {
  const { host, warn } = ctx;
  const empty = { 'pls-alias': '', 'pls-id': '' };
  let session: AzureSession;
  try {
    session = await state.azure();
  } catch (error) {
    if (error instanceof NoAzureCredential) {
      host.info('No Azure sign-in is configured, so pls-alias and pls-id are not looked up (the Private Link Service is still created by the cluster).');
    } else {
      warn(`pls-alias and pls-id were not looked up: ${error instanceof UserError ? error.toDisplayString() : errorMessage(error)}`);
    }
    return empty;
  }
  const { annotations } = state;
  const result = await findPrivateLinkService(session, {
    namespace: settings.namespace,
    service: settings.service,
    name: annotations[PLS_NAME],
    resourceGroup: annotations[PLS_RESOURCE_GROUP],
    nodeResourceGroup: state.nodeResourceGroup,
    ip,
    inputName: (n) => host.inputName(n),
  });
  if ('problem' in result) {
    warn(`pls-alias and pls-id are empty: ${result.problem}.`);
    return empty;
  }
  host.info(`Private Link Service ${result.found.id} has alias ${result.found.alias}.`);
  return { 'pls-alias': result.found.alias ?? '', 'pls-id': result.found.id ?? '' };
}
