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

/**
 * Waits on watches rather than polling: returns the first result any source produces, or
 * undefined when the deadline passes. Dropped connections resume from the last resourceVersion
 * seen (bookmarks included); 410 Gone re-lists. Other HTTP errors (401, 403, 404) are thrown, so
 * a denied watch is reported instead of being retried until the timeout.
 */
export async function watchUntil<T>(kubeConfig: KubeConfig, sources: WatchSource<T>[], deadline: number): Promise<T | undefined> {
  const controllers = new Set<AbortController>();
  let settled = false;
  let resolveResult!: (value: T | undefined) => void;
  let rejectResult!: (error: unknown) => void;
  const result = new Promise<T | undefined>((resolve, reject) => {
    resolveResult = resolve;
    rejectResult = reject;
  });
  const finish = (value: T | undefined, error?: unknown) => {
    if (settled) return;
    settled = true;
    for (const c of controllers) c.abort();
    if (error !== undefined) rejectResult(error);
    else resolveResult(value);
  };
  const timer = setTimeout(() => finish(undefined), Math.max(0, deadline - Date.now()));

  const follow = async (source: WatchSource<T>) => {
    let resourceVersion = source.resourceVersion;
    while (!settled && Date.now() < deadline) {
      if (resourceVersion === undefined) {
        const listed = await source.list();
        if (listed.result !== undefined) return finish(listed.result);
        resourceVersion = listed.resourceVersion;
      }
      const opened = Date.now();
      const outcome = await new Promise<'expired' | 'closed'>((resolve, reject) => {
        const timeoutSeconds = Math.max(1, Math.ceil((deadline - Date.now()) / 1000));
        new Watch(kubeConfig)
          .watch(
            source.path,
            { fieldSelector: source.fieldSelector, labelSelector: source.labelSelector, resourceVersion, allowWatchBookmarks: true, timeoutSeconds },
            (type: string, object: KubernetesObject & { code?: number }) => {
              if (settled) return;
              if (type === 'ERROR') {
                // The API server ends a watch from a compacted resourceVersion with a 410 Status.
                resolve(object?.code === 410 ? 'expired' : 'closed');
                return;
              }
              resourceVersion = object?.metadata?.resourceVersion ?? resourceVersion;
              if (type === 'BOOKMARK') return;
              Promise.resolve(source.onEvent(type, object)).then(
                (value) => value !== undefined && finish(value),
                (error: unknown) => finish(undefined, error),
              );
            },
            (error: { statusCode?: number; message?: string } | null) => {
              if (!error || settled || error.message === 'The operation was aborted.' || (error as { name?: string }).name === 'AbortError') resolve('closed');
              else if (error.statusCode === 410) resolve('expired');
              else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) reject(new WatchFailed(`watching ${source.path} failed: ${error.message ?? error.statusCode}`, error.statusCode));
              else resolve('closed');
            },
          )
          .then((controller) => {
            controllers.add(controller);
            if (settled) controller.abort();
            controller.signal.addEventListener('abort', () => resolve('closed'));
          }, reject);
      });
      if (outcome === 'expired') resourceVersion = undefined;
      // A connection that closes at once (server restarting, proxy refusing) must not spin.
      if (!settled && Date.now() - opened < 250) await new Promise((r) => setTimeout(r, 250));
    }
  };

  for (const source of sources) follow(source).catch((error: unknown) => finish(undefined, error));
  try {
    return await result;
  } finally {
    clearTimeout(timer);
  }
}
