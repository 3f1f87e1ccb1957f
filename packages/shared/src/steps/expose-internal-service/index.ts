import { CoreV1Api } from '@kubernetes/client-node';
import { UserError, errorMessage } from '../../errors';
import { defineStep, type StepContext } from '../../engine/step';
import { isWrite } from '../../engine/plan';
import { signInToAzure, type AzureSession } from '../../azure/credential';
import { PLS_NAME, PLS_RESOURCE_GROUP } from '../../kubernetes/azure-annotations';
import { connectToCluster } from '../../kubernetes/connection';
import { translateKubeError, withKubeErrors } from '../../kubernetes/errors';
import { PendingLoadBalancerIp } from '../../kubernetes/load-balancer';
import { exposeInternalServiceMetadata as metadata } from './metadata';
import { findPrivateLinkService } from './private-link-lookup';
import { checkStillAsApplied, planService } from './service-changes';
import { exposeSettings, type ExposeSettings } from './settings';

/** What plan learned that finish needs (the engine passes settings to both). */
interface Runtime {
  session?: Promise<AzureSession>;
  loadBalancer?: PendingLoadBalancerIp;
  core?: CoreV1Api;
  /** Our annotations as the plan leaves them: finish checks they are still there before reporting. */
  annotations?: Record<string, string>;
  privateLink?: boolean;
}

export const exposeInternalServiceStep = defineStep({
  metadata,
  settings: (inputs, ctx) => ({ ...exposeSettings(inputs, ctx.host), runtime: {} as Runtime }),

  async plan(settings, ctx) {
    const { runtime: rt } = settings;
    const azure = () => (rt.session ??= signInToAzure(ctx.host, settings.azure, ctx.deadline));
    const connection = await connectToCluster(ctx, settings.cluster, azure);
    const core = (rt.core = connection.api(CoreV1Api));
    const loadBalancer = (rt.loadBalancer = new PendingLoadBalancerIp(connection, core, settings.namespace, settings.service));
    const what = `reading Service ${settings.namespace}/${settings.service}`;
    try {
      const planned = await planService(core, settings, (n) => ctx.host.inputName(n));
      for (const w of planned.warnings) ctx.warn(w);
      rt.annotations = planned.annotations;
      rt.privateLink = planned.privateLink;
      const writes = planned.changes.some(isWrite);
      await loadBalancer.observe({
        current: planned.current,
        pinnedIp: planned.pinnedIp,
        writes,
        ipMayChange: planned.ipMayChange,
        willWait: settings.wait && !ctx.dryRun,
        applied: planned.annotations,
      });
      return { changes: planned.changes.map((c) => (c.apply ? { ...c, apply: withKubeErrors(c.apply, connection, `updating ${c.resource}`) } : c)) };
    } catch (error) {
      throw translateKubeError(error, connection, what);
    }
  },

  async finish(settings, ctx) {
    const { runtime: rt } = settings;
    const outputs: Record<string, string> = {};
    const wait = settings.wait && !ctx.dryRun;
    const ip = await rt.loadBalancer!.ip({ wait, deadline: ctx.deadline, host: ctx.host, title: 'Wait for the load balancer IP' });
    // Without waiting, the IP is the one the plan saw; a changed status is then no contradiction.
    if (!ctx.dryRun) await checkStillAsApplied(rt.core!, settings, rt.annotations ?? {}, wait ? ip : undefined);
    if (wait) {
      ctx.host.info(`Service ${settings.namespace}/${settings.service} has internal load balancer IP ${ip}.`);
    }
    outputs.ip = ip ?? '';
    if (rt.privateLink) Object.assign(outputs, await privateLinkOutputs(settings, ctx));
    return outputs;
  },
});

/**
 * pls-alias / pls-id from ARM. Optional: without an Azure sign-in the Service still gets its PLS
 * (the cloud provider creates it); only these outputs stay empty, with a note why.
 */
async function privateLinkOutputs(settings: ExposeSettings & { runtime: Runtime }, ctx: StepContext): Promise<Record<string, string>> {
  const { host, warn } = ctx;
  const empty = { 'pls-alias': '', 'pls-id': '' };
  const notConfigured = 'No Azure sign-in is configured, so pls-alias and pls-id are not looked up (the Private Link Service is still created by the cluster).';
  if (!settings.runtime.session && host.kind === 'azure-pipelines' && !host.getServiceConnection('azure-subscription')) {
    host.info(notConfigured);
    return empty;
  }
  let session: AzureSession;
  try {
    session = await (settings.runtime.session ??= signInToAzure(host, settings.azure, ctx.deadline));
  } catch (error) {
    if (error instanceof UserError && error.message.startsWith('No Azure credential')) {
      host.info(notConfigured);
    } else {
      warn(`pls-alias and pls-id were not looked up: ${error instanceof UserError ? error.toDisplayString() : errorMessage(error)}`);
    }
    return empty;
  }
  const annotations = settings.runtime.annotations ?? {};
  const result = await findPrivateLinkService(session, {
    namespace: settings.namespace,
    service: settings.service,
    name: annotations[PLS_NAME],
    resourceGroup: annotations[PLS_RESOURCE_GROUP],
    clusterName: settings.cluster.clusterName,
  });
  if ('problem' in result) {
    warn(`pls-alias and pls-id are empty: ${result.problem}.`);
    return empty;
  }
  host.info(`Private Link Service ${result.found.id} has alias ${result.found.alias}.`);
  return { 'pls-alias': result.found.alias ?? '', 'pls-id': result.found.id ?? '' };
}
