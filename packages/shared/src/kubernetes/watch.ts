import { Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';

/** One collection to watch, e.g. `/api/v1/namespaces/default/services` with a field selector. */
export interface WatchSource<T> {
  path: string;
  fieldSelector?: string;
  labelSelector?: string;
  /** Where to start; when absent (or after 410 Gone) `list` is called to get a fresh one. */
  resourceVersion?: string;
  /** Reads the current state: a result ends the wait at once, else its resourceVersion starts the watch. */
  list(): Promise<{ resourceVersion: string; result?: T }>;
  /** Each ADDED/MODIFIED/DELETED event; a result ends the wait (it may read more first). */
  onEvent(type: string, object: KubernetesObject): T | undefined | Promise<T | undefined>;
}

/** A watch the API server refused; `code` is what translateKubeError reads for 401/403. */
class WatchFailed extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

type WatchEnd = 'expired' | 'closed';

/** Sources watched until one of them produces a result, something fails, or the deadline passes. */
class WatchRace<T> {
  private readonly controllers = new Set<AbortController>();
  settled = false;
  readonly result: Promise<T | undefined>;
  private resolveResult!: (value: T | undefined) => void;
  private rejectResult!: (error: unknown) => void;

  constructor(
    private readonly kubeConfig: KubeConfig,
    readonly deadline: number,
  ) {
    this.result = new Promise<T | undefined>((resolve, reject) => {
      this.resolveResult = resolve;
      this.rejectResult = reject;
    });
  }

  finish(value: T | undefined, error?: unknown): void {
    if (this.settled) return;
    this.settled = true;
    for (const c of this.controllers) c.abort();
    if (error !== undefined) this.rejectResult(error);
    else this.resolveResult(value);
  }

  /** Lists (when there is no resourceVersion to start from) and watches a source until the race ends. */
  async follow(source: WatchSource<T>): Promise<void> {
    const at = { resourceVersion: source.resourceVersion };
    while (!this.settled && Date.now() < this.deadline) {
      if (at.resourceVersion === undefined) {
        const listed = await source.list();
        if (listed.result !== undefined) return this.finish(listed.result);
        at.resourceVersion = listed.resourceVersion;
      }
      const opened = Date.now();
      if ((await this.watchOnce(source, at)) === 'expired') at.resourceVersion = undefined;
      // A connection that closes at once (server restarting, proxy refusing) must not spin.
      if (!this.settled && Date.now() - opened < 250) await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** One watch connection from `at.resourceVersion` (kept up to date as events arrive) until it ends. */
  private watchOnce(source: WatchSource<T>, at: { resourceVersion?: string }): Promise<WatchEnd> {
    return new Promise<WatchEnd>((resolve, reject) => {
      const timeoutSeconds = Math.max(1, Math.ceil((this.deadline - Date.now()) / 1000));
      const query = { fieldSelector: source.fieldSelector, labelSelector: source.labelSelector, resourceVersion: at.resourceVersion, allowWatchBookmarks: true, timeoutSeconds };
      const onEvent = (type: string, object: KubernetesObject & { code?: number }) => {
        if (this.settled) return;
        // The API server ends a watch from a compacted resourceVersion with a 410 Status.
        if (type === 'ERROR') return resolve(object?.code === 410 ? 'expired' : 'closed');
        at.resourceVersion = object?.metadata?.resourceVersion ?? at.resourceVersion;
        if (type === 'BOOKMARK') return;
        Promise.resolve(source.onEvent(type, object)).then(
          (value) => value !== undefined && this.finish(value),
          (error: unknown) => this.finish(undefined, error),
        );
      };
      const onDone = (error: { statusCode?: number; message?: string; name?: string } | null) => {
        if (!error || this.settled || error.message === 'The operation was aborted.' || error.name === 'AbortError') resolve('closed');
        else if (error.statusCode === 410) resolve('expired');
        else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) reject(new WatchFailed(`watching ${source.path} failed: ${error.message ?? error.statusCode}`, error.statusCode));
        else resolve('closed');
      };
      new Watch(this.kubeConfig).watch(source.path, query, onEvent, onDone).then((controller) => {
        this.controllers.add(controller);
        if (this.settled) controller.abort();
        controller.signal.addEventListener('abort', () => resolve('closed'));
      }, reject);
    });
  }
}

/**
 * Waits on watches rather than polling: returns the first result any source produces, or
 * undefined when the deadline passes. Dropped connections resume from the last resourceVersion
 * seen (bookmarks included); 410 Gone re-lists. Other HTTP errors (401, 403, 404) are thrown, so
 * a denied watch is reported instead of being retried until the timeout.
 */
export async function watchUntil<T>(kubeConfig: KubeConfig, sources: WatchSource<T>[], deadline: number): Promise<T | undefined> {
  const race = new WatchRace<T>(kubeConfig, deadline);
  const timer = setTimeout(() => race.finish(undefined), Math.max(0, deadline - Date.now()));
  for (const source of sources) race.follow(source).catch((error: unknown) => race.finish(undefined, error));
  try {
    return await race.result;
  } finally {
    clearTimeout(timer);
  }
}
