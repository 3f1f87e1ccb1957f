// After the job: remove exactly the range the main run added (from the state it saved), only if
// it is still there, with the same eTag discipline as the addition. A range that was there before
// the main run is never touched (the main run saved nothing then). A failure is a warning with the
// command to finish by hand, never silent.
import { errorMessage } from '@private-wire/shared/errors';
import type { StepContext } from '@private-wire/shared/engine/step';
import type { Host } from '@private-wire/shared/hosts/host';
import { signInToAzure } from '@private-wire/shared/azure/credential';
import { ClusterRanges, clusterLabel, type ClusterRef, type RangesSnapshot } from './cluster-ranges';
import { planRemoval } from './ranges';
import type { AccessSettings } from './settings';

/** State names (GitHub STATE_<name>; Azure Pipelines task variables VSTS_TASKVARIABLE_<NAME>). */
const STATE = { range: 'addedRange', cluster: 'addedToCluster', ranges: 'rangesAfterAdd' } as const;

type PostContext = Omit<StepContext, 'dryRun'>;

/** Remembers, for the post-job run, the range this run added and where. */
export function saveAddedRange(host: Host, ref: ClusterRef, range: string, rangesAfter: string[]): void {
  host.saveState(STATE.cluster, JSON.stringify(ref));
  host.saveState(STATE.ranges, rangesAfter.join(','));
  host.saveState(STATE.range, range);
}

/** The Azure CLI command that sets the cluster's ranges to `ranges` (`az aks update --api-server-authorized-ip-ranges`). */
export function rangesCommand(ref: ClusterRef, ranges: readonly string[]): string {
  return `az aks update --subscription ${ref.subscriptionId} --resource-group ${ref.resourceGroup} --name ${ref.name} --api-server-authorized-ip-ranges ${ranges.join(',')}`;
}

function savedRef(host: Host): ClusterRef | undefined {
  const text = host.getState(STATE.cluster);
  if (!text) return undefined;
  const ref = JSON.parse(text) as Partial<ClusterRef>;
  return ref.subscriptionId && ref.resourceGroup && ref.name ? (ref as ClusterRef) : undefined;
}

/** The ranges to write for the cluster as it is now (ours removed), or undefined when nothing is to be written. */
function removalOn(ctx: PostContext, ref: ClusterRef, now: RangesSnapshot, range: string): string[] | undefined {
  const removal = planRemoval(now.ranges, range);
  if (removal.kind === 'absent') ctx.host.info(`${range} is no longer in the authorized IP ranges of ${clusterLabel(ref)}: nothing to remove.`);
  if (removal.kind === 'last') {
    ctx.warn(`${range}, added by this run, was left on ${clusterLabel(ref)}: it is now the only authorized IP range, and removing it would open the API server to every address. Set the ranges you want with: ${rangesCommand(ref, ['<your ranges>'])}`);
  }
  return removal.kind === 'remove' ? removal.after : undefined;
}

function failureWarning(ref: ClusterRef, range: string, latest: string[], error: unknown): string {
  const removal = planRemoval(latest, range);
  const how =
    removal.kind === 'remove'
      ? `Remove it by hand (check the current ranges first: az aks show --subscription ${ref.subscriptionId} --resource-group ${ref.resourceGroup} --name ${ref.name} --query apiServerAccessProfile.authorizedIpRanges): ${rangesCommand(ref, removal.after)}`
      : `Check the cluster's ranges and remove ${range} by hand with az aks update --api-server-authorized-ip-ranges (keeping every other range).`;
  return `Could not remove ${range}, added by this run, from the authorized IP ranges of ${clusterLabel(ref)}: ${errorMessage(error)} ${how}`;
}

/** The post-job run: removes the range the main run added, unless `keep`. */
export async function removeAddedRange(ctx: PostContext, settings: AccessSettings): Promise<void> {
  const range = ctx.host.getState(STATE.range);
  const ref = savedRef(ctx.host);
  if (!range || !ref) {
    ctx.host.info('This run added no authorized IP range: nothing to remove after the job.');
    return;
  }
  if (settings.keep) {
    ctx.host.info(`'${settings.name('keep')}' is true: ${range} stays in the authorized IP ranges of ${clusterLabel(ref)}.`);
    return;
  }
  let latest = (ctx.host.getState(STATE.ranges) ?? '').split(',').filter(Boolean);
  try {
    const session = await signInToAzure(ctx.host, settings.azure, ctx.deadline);
    const access = new ClusterRanges(session, ref, settings.name);
    const result = await access.update(
      (now) => {
        latest = now.ranges;
        return removalOn(ctx, ref, now, range);
      },
      { deadline: ctx.deadline, wait: settings.wait, info: (m) => ctx.host.info(m) },
    );
    if (result.written) ctx.host.info(`Removed ${range} from the authorized IP ranges of ${clusterLabel(ref)}.`);
  } catch (error) {
    ctx.warn(failureWarning(ref, range, latest, error));
  }
}
