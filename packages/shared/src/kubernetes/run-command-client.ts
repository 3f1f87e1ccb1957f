// Kubernetes reads and writes through the AKS run command: each batch of kubectl calls is one run
// command (10–60 s in Azure), objects to write travel in its context as files, and the output is
// split back into each call's answer (kubectl.ts). Secrets are never read, so the output has none.
import type { CoreV1Event, V1Service } from '@kubernetes/client-node';
import { UserError } from '../errors';
import type { Host } from '../hosts/host';
import type { StepDeadline } from '../engine/deadline';
import { ENSURED_LOAD_BALANCER, SYNC_LOAD_BALANCER_FAILED } from './azure-annotations';
import { applyArgs, callError, callLine, createArgs, getArgs, parseObject, patchArgs, shellQuote, splitCalls, type CallResult, type ObjectRef, type PatchType } from './kubectl';
import type { KubeClient, KubeObject, KubeTarget, LoadBalancerIpWait, LoadBalancerPlan } from './kube-client';
import { changedByOthersError, changesByOthers, ingressIp } from './load-balancer';
import { runInCluster, type RunCommandCluster } from './run-command';

const OBJECT_FILE = 'object.json';
const PATCH_FILE = 'patch.json';

export class RunCommandKubeClient implements KubeClient {
  readonly target: KubeTarget;

  constructor(
    private readonly cluster: RunCommandCluster,
    private readonly host: Host,
  ) {
    const named = `AKS cluster ${cluster.resourceGroup}/${cluster.name}`;
    this.target = {
      server: `${named} (through the AKS run command)`,
      source: `the AKS run command on ${named}`,
      identity: cluster.session.method,
      // kubectl runs inside the cluster, so the API server is reachable; what failed is its own network.
      unreachableHint: () => 'kubectl inside the cluster could not reach its API server: check the cluster\'s health (az aks show) and retry.',
    };
  }

  /** Runs the kubectl calls as one run command; every call's result, in order. */
  async run(calls: readonly string[][], files: Record<string, string> = {}, rawLines: string[] = []): Promise<CallResult[]> {
    const lines = calls.map(callLine);
    const command = [...lines.slice(0, 1), ...rawLines, ...lines.slice(1)].join('; ');
    this.host.info(`AKS run command in ${this.cluster.resourceGroup}/${this.cluster.name}: ${calls.map((c) => `kubectl ${c.map(shellQuote).join(' ')}`).join('; ')}`);
    const { exitCode, logs } = await runInCluster(this.cluster, command, files);
    const results = splitCalls(logs);
    if (results.length !== calls.length) {
      const tail = logs.trim().split('\n').slice(-3).join(' ').slice(0, 500);
      throw new UserError(
        `The AKS run command in cluster ${this.cluster.resourceGroup}/${this.cluster.name} stopped after ${results.length} of ${calls.length} kubectl calls (exit code ${exitCode})${tail ? `: ${tail}` : ''}.`,
        'The command pod needs kubectl (AKS provides it); re-run, and check the cluster\'s health if it keeps failing.',
      );
    }
    return results;
  }

  async read(refs: readonly ObjectRef[]): Promise<(KubeObject | undefined)[]> {
    if (!refs.length) return [];
    const results = await this.run(refs.map(getArgs));
    return results.map((r) => {
      if (r.exitCode !== 0) throw callError(r);
      return parseObject<KubeObject>(r.output);
    });
  }

  async create(object: KubeObject): Promise<KubeObject> {
    return objectOf(await this.run([createArgs(OBJECT_FILE)], { [OBJECT_FILE]: JSON.stringify(object) }));
  }

  async apply(object: KubeObject, options: { force: boolean }): Promise<KubeObject> {
    return objectOf(await this.run([applyArgs(OBJECT_FILE, options.force)], { [OBJECT_FILE]: JSON.stringify(object) }));
  }

  async patch(ref: ObjectRef, type: PatchType, body: unknown): Promise<KubeObject> {
    return objectOf(await this.run([patchArgs(ref, type, PATCH_FILE)], { [PATCH_FILE]: JSON.stringify(body) }));
  }

  loadBalancerIp(namespace: string, name: string): LoadBalancerIpWait {
    return new RunCommandLoadBalancerIp(this, namespace, name);
  }

  /** `kubectl rollout status` inside the cluster, bounded by what is left of the step's timeout. */
  async waitForRollout(namespace: string, name: string, _generation: number, deadline: StepDeadline): Promise<void> {
    const seconds = inClusterWaitSeconds(deadline);
    const [status] = await this.run([['rollout', 'status', `deployment.apps/${name}`, '-n', namespace, `--timeout=${seconds}s`]]);
    if (status!.exitCode === 0) return;
    throw new UserError(
      `The rollout of Deployment ${namespace}/${name} did not finish within ${seconds} s inside the cluster (run command): ${status!.output.trim().split('\n').pop() ?? ''}`,
      `Check the Deployment's pods (kubectl -n ${namespace} describe deployment ${name}, through az aks command invoke); raise '${deadline.inputName}' if the cluster is just slow.`,
    );
  }
}

/** How long an in-cluster wait may take: what is left of the step's timeout, less room for the run command's own start and polling (up to a minute in Azure). */
function inClusterWaitSeconds(deadline: StepDeadline): number {
  const remaining = Math.floor(deadline.remainingMs() / 1000);
  return Math.max(1, remaining - Math.min(60, Math.floor(remaining / 2)));
}

function objectOf([result]: CallResult[]): KubeObject {
  if (!result || result.exitCode !== 0) throw callError(result ?? { exitCode: 1, output: '' });
  return parseObject<KubeObject>(result.output) ?? ({} as KubeObject);
}

/** How long a write that can move the IP gets to show a new one before the old one counts (the provider kept it). */
const SETTLE_SECONDS = 20;

/**
 * The load balancer IP waited for inside the cluster: `kubectl wait --for=jsonpath=…` bounded by
 * what is left of the step's timeout (less a margin for the run command itself), then the Service
 * and its events read in the same command, so a provider failure is reported in its own words.
 */
class RunCommandLoadBalancerIp implements LoadBalancerIpWait {
  private plan?: LoadBalancerPlan;

  constructor(
    private readonly client: RunCommandKubeClient,
    readonly namespace: string,
    readonly name: string,
  ) {}

  async observe(plan: LoadBalancerPlan): Promise<void> {
    this.plan = plan;
  }

  async ip(options: { wait: boolean; deadline: StepDeadline; host: Host; title: string }): Promise<string | undefined> {
    const plan = this.plan;
    if (!options.wait) return ingressIp(plan?.current);
    return options.host.group(options.title, () => this.waitForIp(options.deadline));
  }

  private async waitForIp(deadline: StepDeadline): Promise<string> {
    const { namespace, name } = this;
    const plan = this.plan ?? { writes: false, ipMayChange: false, willWait: true };
    const seconds = inClusterWaitSeconds(deadline);
    const { calls, settle } = waitCalls(namespace, name, seconds, plan);
    const [waited, read, events] = await this.client.run(calls, {}, settle);
    if (read!.exitCode !== 0) throw callError(read!);
    const service = parseObject<V1Service>(read!.output);
    if (!service) throw new UserError(`Service ${namespace}/${name} was deleted while this step waited for its load balancer IP.`, 'Re-run the step once whoever deletes it is done.');
    const changed = plan.applied ? changesByOthers(service, plan.applied) : [];
    if (changed.length) throw changedByOthersError(namespace, name, changed);
    const ip = ingressIp(service);
    if (waited!.exitCode === 0 && ip && (!plan.pinnedIp || ip === plan.pinnedIp)) return ip;
    const failure = providerFailure(events!.exitCode === 0 ? (parseObject<{ items?: CoreV1Event[] }>(events!.output)?.items ?? []) : [], service);
    if (failure) {
      throw new UserError(
        `cloud-provider-azure could not set up the load balancer for Service ${namespace}/${name}: ${failure}`,
        `Fix what the message names (a subnet that does not exist, an IP outside the subnet or already in use, a PLS setting) and re-run.`,
      );
    }
    throw new UserError(
      `Service ${namespace}/${name} has ${ip ? `load balancer IP ${ip}, not the pinned ${plan.pinnedIp}` : 'no load balancer IP'} after waiting ${seconds} s inside the cluster (run command).`,
      `Raise 'timeout' if the load balancer is just slow; \`kubectl -n ${namespace} describe service ${name}\` (through az aks command invoke) shows its events.`,
    );
  }
}

/**
 * The calls of the wait: kubectl wait for the IP (the pinned one, if any), then the Service and its
 * events. After a write that can move the IP, a shell loop first gives the old IP up to
 * SETTLE_SECONDS to change (cloud-provider-azure patches the status once it reconciled the change).
 */
export function waitCalls(namespace: string, name: string, seconds: number, plan: Pick<LoadBalancerPlan, 'pinnedIp' | 'ipMayChange' | 'writes' | 'current'>): { calls: string[][]; settle: string[] } {
  const path = '{.status.loadBalancer.ingress[0].ip}';
  const wait = ['wait', `--for=jsonpath=${path}${plan.pinnedIp ? `=${plan.pinnedIp}` : ''}`, `service/${name}`, '-n', namespace, `--timeout=${seconds}s`];
  const events = ['get', 'events', '-n', namespace, '--field-selector', `involvedObject.kind=Service,involvedObject.name=${name}`, '-o', 'json'];
  const previous = ingressIp(plan.current);
  const settle =
    plan.writes && plan.ipMayChange && previous && !plan.pinnedIp
      ? [`i=0; while [ "$(kubectl get service ${shellQuote(name)} -n ${shellQuote(namespace)} -o jsonpath=${shellQuote(path)} 2>/dev/null)" = ${shellQuote(previous)} ] && [ $i -lt ${Math.min(SETTLE_SECONDS, seconds)} ]; do sleep 1; i=$((i+1)); done`]
      : [];
  return { calls: [wait, getArgs({ kind: 'Service', namespace, name }), events], settle };
}

/** The provider's failure message, when its latest word on this Service is SyncLoadBalancerFailed. */
export function providerFailure(events: readonly CoreV1Event[], service: V1Service): string | undefined {
  const uid = service.metadata?.uid;
  const time = (e: CoreV1Event) => new Date((e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? 0) as string | Date).getTime();
  const latest = events
    .filter((e) => !uid || !e.involvedObject?.uid || e.involvedObject.uid === uid)
    .filter((e) => e.reason === SYNC_LOAD_BALANCER_FAILED || e.reason === ENSURED_LOAD_BALANCER)
    .sort((a, b) => time(a) - time(b))
    .pop();
  return latest?.reason === SYNC_LOAD_BALANCER_FAILED && latest.type === 'Warning' ? (latest.message ?? SYNC_LOAD_BALANCER_FAILED) : undefined;
}
