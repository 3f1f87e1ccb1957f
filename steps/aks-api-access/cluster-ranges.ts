// Reads and writes a managed cluster's API server authorized IP ranges without ever losing a
// change made by someone else. AKS has no sub-resource for the ranges: the write is a full-body
// PUT of the managed cluster as just read, conditioned on its eTag (If-Match). AKS answers a stale
// eTag with 412 (https://learn.microsoft.com/azure/aks/use-etags, "Configuration and expected
// behavior"; @azure/arm-containerservice 25.3.0, api-version 2026-04-01, sends the `ifMatch`
// option of managedClusters.createOrUpdate as the `if-match` header and reads the body property
// `eTag`, both generated from azure-rest-api-specs specification/containerservice): the cluster is then read again and the change
// decided again on what is there now. While another operation runs on the cluster AKS answers 409
// OperationNotAllowed ("Another operation (Updating) is in progress", quoted in
// Azure/azure-workload-identity#417): the write is retried with back-off until the step's deadline.
// A 409 with code EtagMismatch has also been reported for a stale eTag (Azure/terraform-azurerm-aks#604),
// so every 409 is followed by a fresh read too.
import { ContainerServiceClient, type ManagedCluster } from '@azure/arm-containerservice';
import { UserError } from '@private-wire/shared/errors';
import { armClientOptions } from '@private-wire/shared/azure/clients';
import type { AzureSession } from '@private-wire/shared/azure/credential';
import { armErrorOf, translateArmError } from '@private-wire/shared/azure/errors';
import { sleep, type StepDeadline } from '@private-wire/shared/engine/deadline';

export interface ClusterRef {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

/** The cluster as read, with what the step decides on. */
export interface RangesSnapshot {
  cluster: ManagedCluster;
  ranges: string[];
  isPrivate: boolean;
}

export interface UpdateOptions {
  deadline: StepDeadline;
  wait: boolean;
  info(message: string): void;
  /** Called once AKS has accepted the write (before waiting for it to finish). */
  onAccepted?(ranges: string[]): void;
}

/** Immediate re-reads after a 412 before giving up on a cluster that keeps changing. */
const MAX_STALE_WRITES = 10;
/** Back-off after a 409: from 2 s, doubling, at most 30 s, with jitter so concurrent jobs spread out. */
const BACKOFF_START_MS = 2000;
const BACKOFF_MAX_MS = 30_000;
/** A progress line while the update runs (AKS updates take minutes). */
const PROGRESS_EVERY_MS = 15_000;

export const clusterLabel = (ref: ClusterRef) => `AKS cluster ${ref.resourceGroup}/${ref.name}`;

export class ClusterRanges {
  private readonly client: ContainerServiceClient;

  constructor(
    private readonly session: AzureSession,
    readonly ref: ClusterRef,
    private readonly name: (kebab: string) => string,
  ) {
    this.client = new ContainerServiceClient(session.credential, ref.subscriptionId, armClientOptions(session));
  }

  private hints() {
    const roles = `${this.session.method} needs Microsoft.ContainerService/managedClusters/read and .../write on the cluster (e.g. the Azure Kubernetes Service Contributor Role).`;
    return {
      ResourceNotFound: `Check '${this.name('cluster-name')}' and '${this.name('cluster-resource-group')}' (and the subscription).`,
      ResourceGroupNotFound: `Check '${this.name('cluster-resource-group')}'.`,
      AuthorizationFailed: roles,
      LinkedAuthorizationFailed: roles,
    };
  }

  async read(): Promise<RangesSnapshot> {
    try {
      const cluster = await this.client.managedClusters.get(this.ref.resourceGroup, this.ref.name, { abortSignal: this.session.deadline.signal });
      const access = cluster.apiServerAccessProfile;
      return { cluster, ranges: [...(access?.authorizedIPRanges ?? [])], isPrivate: access?.enablePrivateCluster === true };
    } catch (error) {
      throw translateArmError(error, { what: `reading ${clusterLabel(this.ref)}`, identity: this.session.method, hints: this.hints() });
    }
  }

  /**
   * Writes the ranges `decide` returns for the cluster as it is now (undefined: nothing to write),
   * re-deciding after every conflict. Returns whether it wrote, and the snapshot it decided on.
   */
  async update(decide: (snapshot: RangesSnapshot) => string[] | undefined, options: UpdateOptions): Promise<{ written: boolean; snapshot: RangesSnapshot }> {
    let stale = 0;
    let backoff = BACKOFF_START_MS;
    for (;;) {
      const snapshot = await this.read();
      const ranges = decide(snapshot);
      if (!ranges) return { written: false, snapshot };
      const outcome = await this.put(snapshot, ranges, options);
      if (outcome === 'written') return { written: true, snapshot: { ...snapshot, ranges } };
      if (outcome === 'stale') {
        if (++stale >= MAX_STALE_WRITES) {
          throw new UserError(`${clusterLabel(this.ref)} kept changing while this step updated its authorized IP ranges (${stale} attempts).`, 'Something else is changing it right now: re-run when that is done.');
        }
        options.info(`${clusterLabel(this.ref)} changed since it was read (its eTag no longer matches): reading it again.`);
        continue;
      }
      const wait = Math.min(backoff, BACKOFF_MAX_MS) * (0.8 + Math.random() * 0.4);
      if (options.deadline.remainingMs() < wait + 1000) {
        throw new UserError(`Another operation kept running on ${clusterLabel(this.ref)} until the step's timeout (${options.deadline.seconds} s).`, `Raise '${this.name('timeout')}', or re-run when the cluster's current operation is done.`);
      }
      options.info(`Another operation is running on ${clusterLabel(this.ref)}: trying again in ${Math.round(wait / 1000)} s.`);
      await sleep(wait, options.deadline.signal);
      backoff *= 2;
    }
  }

  /** One conditional full-body PUT; waits for the operation when asked. */
  private async put(snapshot: RangesSnapshot, ranges: string[], options: UpdateOptions): Promise<'written' | 'stale' | 'busy'> {
    const { cluster } = snapshot;
    const body: ManagedCluster = { ...cluster, apiServerAccessProfile: { ...cluster.apiServerAccessProfile, authorizedIPRanges: ranges } };
    const poller = this.client.managedClusters.createOrUpdate(this.ref.resourceGroup, this.ref.name, body, {
      ifMatch: cluster.eTag ?? '*',
      abortSignal: options.deadline.signal,
      updateIntervalInMs: 2000,
    });
    try {
      await poller.submitted();
    } catch (error) {
      const { status } = armErrorOf(error);
      if (status === 412) return 'stale';
      if (status === 409) return 'busy';
      throw translateArmError(error, { what: `updating the authorized IP ranges of ${clusterLabel(this.ref)}`, identity: this.session.method, hints: this.hints() });
    }
    options.onAccepted?.(ranges);
    if (options.wait) await this.waitFor(poller, options);
    return 'written';
  }

  private async waitFor(poller: PromiseLike<ManagedCluster>, options: UpdateOptions): Promise<void> {
    const started = Date.now();
    options.info(`${clusterLabel(this.ref)} is updating (AKS cluster updates take a few minutes); waiting for it to finish.`);
    const progress = setInterval(() => options.info(`${clusterLabel(this.ref)} is still updating (${Math.round((Date.now() - started) / 1000)} s so far).`), PROGRESS_EVERY_MS);
    progress.unref();
    try {
      const done = await poller;
      options.info(`${clusterLabel(this.ref)} finished updating in ${Math.round((Date.now() - started) / 1000)} s (${done.provisioningState ?? 'Succeeded'}).`);
    } catch (error) {
      throw translateArmError(error, { what: `waiting for the update of ${clusterLabel(this.ref)}`, identity: this.session.method, hints: this.hints() });
    } finally {
      clearInterval(progress);
    }
  }
}
