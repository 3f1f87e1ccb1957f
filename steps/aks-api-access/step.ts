import { UserError, errorMessage } from '@private-wire/shared/errors';
import { defineStep, type StepContext } from '@private-wire/shared/engine/step';
import type { Change } from '@private-wire/shared/engine/plan';
import { signInToAzure } from '@private-wire/shared/azure/credential';
import type { Ipv4Cidr } from '@private-wire/shared/net/ipv4';
import { RUNNER_ADDRESS_VARIABLE } from '@private-wire/shared/kubernetes/unreachable';
import { ClusterRanges, clusterLabel, type ClusterRef, type RangesSnapshot } from './cluster-ranges';
import { aksApiAccessMetadata } from './metadata';
import { removeAddedRange, saveAddedRange } from './post';
import { MAX_AUTHORIZED_RANGES, planAddition } from './ranges';
import { detectRunnerRange } from './runner-address';
import { accessSettings, type AccessSettings } from './settings';

/** What plan hands to finish: whether the apply really added the range (someone may have meanwhile). */
interface Outcome {
  added: boolean;
}

function clusterRefOf(settings: AccessSettings, sessionSubscription: string): ClusterRef {
  const { cluster } = settings;
  return { subscriptionId: settings.clusterById ? cluster.subscriptionId : sessionSubscription, resourceGroup: cluster.resourceGroup, name: cluster.names[0]! };
}

function tooMany(ref: ClusterRef, count: number): UserError {
  return new UserError(
    `Adding this runner's range to ${clusterLabel(ref)} would make ${count} authorized IP ranges; AKS allows at most ${MAX_AUTHORIZED_RANGES}.`,
    'Merge existing ranges into wider ones, or run on a self-hosted agent whose address an existing range covers. Nothing was changed.',
  );
}

/** The ranges to write for the cluster as it is now: the runner's added, or undefined when nothing is to be written. */
function additionOn(snapshot: RangesSnapshot, runner: Ipv4Cidr, ref: ClusterRef): string[] | undefined {
  if (snapshot.isPrivate) return undefined;
  const addition = planAddition(snapshot.ranges, runner);
  if (addition.kind === 'too-many') throw tooMany(ref, addition.count);
  return addition.kind === 'add' ? addition.after : undefined;
}

/** The one change: adding the runner's range, re-decided on the cluster as it is when applied. */
function addChange(ctx: StepContext, settings: AccessSettings, access: ClusterRanges, snapshot: RangesSnapshot, runner: Ipv4Cidr, outcome: Outcome): Change {
  const ref = access.ref;
  return {
    resource: clusterLabel(ref),
    action: 'update',
    detail: `add ${runner.canonical} to the API server authorized IP ranges`,
    before: `${snapshot.ranges.length} range(s)`,
    after: `${snapshot.ranges.length + 1} range(s)`,
    apply: async () => {
      const result = await access.update((now) => additionOn(now, runner, ref), {
        deadline: ctx.deadline,
        wait: settings.wait,
        info: (m) => ctx.host.info(m),
        onAccepted: (ranges) => {
          outcome.added = true;
          saveAddedRange(ctx.host, ref, runner.canonical, ranges);
        },
      });
      if (!result.written) ctx.host.info(`${runner.canonical} is already allowed on ${clusterLabel(ref)} (added or covered by someone else meanwhile): nothing written.`);
    },
  };
}

/** A plan without writes: the cluster needs nothing from this runner. */
function nothingToDo(ref: ClusterRef, detail: string, outputs: Record<string, string>) {
  return { changes: [{ resource: clusterLabel(ref), action: 'none' as const, detail }], outputs: { added: 'false', ...outputs }, state: { added: false } };
}

export const step = defineStep({
  metadata: aksApiAccessMetadata,
  settings: (inputs, ctx) => accessSettings(inputs, ctx.host),

  async plan(settings, ctx) {
    const session = await signInToAzure(ctx.host, settings.azure, ctx.deadline);
    const access = new ClusterRanges(session, clusterRefOf(settings, session.subscriptionId), settings.name);
    const ref = access.ref;
    const snapshot = await access.read();
    if (snapshot.isPrivate) {
      ctx.host.info(`${clusterLabel(ref)} is a private cluster: its API server is reachable only from its virtual network, and authorized IP ranges do not apply. Use 'private-cluster: true' on the Kubernetes steps (they then go through the AKS run command API), or run on an agent inside the VNet.`);
      return nothingToDo(ref, 'private cluster: authorized IP ranges do not apply', { private: 'true' });
    }
    if (snapshot.ranges.length === 0) {
      ctx.host.info(`${clusterLabel(ref)} has no API server authorized IP ranges: its API server accepts connections from any address, so there is nothing to open.`);
      return nothingToDo(ref, 'no authorized IP ranges: the API server is open to all', { private: 'false', ...(settings.runnerRange ? { 'runner-ip': settings.runnerRange.canonical } : {}) });
    }
    const runner = settings.runnerRange ?? (await detectRunnerRange(settings.echoUrl, ctx.deadline, settings.name));
    ctx.host.info(`This runner's public address: ${runner.canonical}${settings.runnerRange ? ` (from '${settings.name('runner-ip')}')` : ` (from ${settings.echoUrl.origin})`}.`);
    // Later Kubernetes steps of the job can then say whether the runner is inside the ranges (kubernetes/unreachable.ts).
    ctx.host.exportVariable(RUNNER_ADDRESS_VARIABLE, runner.canonical);
    const addition = planAddition(snapshot.ranges, runner);
    const outputs = { 'runner-ip': runner.canonical, private: 'false' };
    if (addition.kind === 'too-many') throw tooMany(ref, addition.count);
    if (addition.kind === 'covered') return nothingToDo(ref, `${runner.canonical} is already allowed by ${addition.by}`, outputs);
    const outcome: Outcome = { added: false };
    return { changes: [addChange(ctx, settings, access, snapshot, runner, outcome)], outputs, state: outcome };
  },

  async finish(_settings, _ctx, outcome) {
    return { added: String(outcome.added) };
  },

  async post(ctx, inputs) {
    try {
      await removeAddedRange(ctx, accessSettings(inputs, ctx.host));
    } catch (error) {
      // Never silent, never a failed job for a cleanup: the warning says how to finish by hand.
      ctx.warn(error instanceof UserError ? error.toDisplayString() : `Removing this run's authorized IP range failed: ${errorMessage(error)}`);
    }
  },
});
