import type { ServerResponse } from 'node:http';
import { matchesFields, matchesLabels, type FieldRequirement, type LabelRequirement } from './selectors';
import { apiVersionOf, type ResourceDef } from './resources';
import { expired } from './status';
import type { KubeStore, StoreEvent } from './store';
import type { KubeObject } from './types';

export interface WatchRequest {
  def: ResourceDef;
  namespace?: string;
  labels: LabelRequirement[];
  fields: FieldRequirement[];
  resourceVersion?: string;
  allowBookmarks: boolean;
  sendInitialEvents: boolean;
  timeoutSeconds?: number;
  bookmarkIntervalMs: number;
  /** Close the connection abruptly after this many events (the `drop-watch` fault). */
  dropAfter?: number;
}

/**
 * One watch stream: newline-delimited `{type, object}` JSON, as the API server writes it.
 * resourceVersion semantics: unset or "0" starts with ADDED for every current object; a
 * specific version replays later changes from the history (410 Expired ERROR when too old);
 * objects moving in or out of the selector are sent as ADDED / DELETED, as the real watch cache does.
 */
export function serveWatch(store: KubeStore, res: ServerResponse, w: WatchRequest, onEnd: () => void): void {
  const matches = (o: KubeObject | undefined) =>
    !!o && (!w.def.namespaced || !w.namespace || o.metadata.namespace === w.namespace) && matchesLabels(w.labels, o.metadata.labels) && matchesFields(w.fields, o);
  let sent = 0;
  let closed = false;
  const timers: NodeJS.Timeout[] = [];
  const write = (type: string, object: unknown) => {
    if (closed) return;
    const drop = type !== 'BOOKMARK' && w.dropAfter !== undefined && ++sent >= w.dropAfter;
    // A dropped connection, not a clean end (no final chunk): clients must notice and re-watch.
    res.write(JSON.stringify({ type, object }) + '\n', drop ? () => res.socket?.destroy() : undefined);
    if (drop) close();
  };
  const bookmark = (annotations?: Record<string, string>) =>
    write('BOOKMARK', { kind: w.def.kind, apiVersion: apiVersionOf(w.def), metadata: { resourceVersion: String(store.resourceVersion), ...(annotations ? { annotations } : {}) } });
  const onEvent = (e: StoreEvent) => {
    if (e.def !== w.def) return;
    const now = matches(e.object);
    const before = e.type === 'MODIFIED' ? matches(e.old) : now;
    if (e.type === 'MODIFIED' && now && !before) write('ADDED', e.object);
    else if (e.type === 'MODIFIED' && !now && before) write('DELETED', e.object);
    else if (now) write(e.type, e.object);
  };
  const close = () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    for (const t of timers) clearTimeout(t);
    onEnd();
  };

  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  const unsubscribe = store.subscribe(onEvent);
  res.on('close', close);

  const rv = w.resourceVersion;
  if (w.dropAfter === 0) {
    close();
    res.socket?.destroy();
    return;
  }
  if (!rv || rv === '0' || w.sendInitialEvents) {
    for (const o of store.list(w.def, w.namespace)) if (matches(o)) write('ADDED', o);
    if (w.sendInitialEvents && w.allowBookmarks) bookmark({ 'k8s.io/initial-events-end': 'true' });
  } else {
    const events = store.eventsSince(Number(rv));
    if (!events || !/^\d+$/.test(rv)) {
      write('ERROR', expired(rv, store.oldestResumableVersion));
      close();
      res.end();
      return;
    }
    for (const e of events) onEvent(e);
  }
  if (w.allowBookmarks) {
    const tick = () => {
      bookmark();
      timers.push(setTimeout(tick, w.bookmarkIntervalMs));
    };
    timers.push(setTimeout(tick, w.bookmarkIntervalMs));
  }
  if (w.timeoutSeconds !== undefined) {
    timers.push(
      setTimeout(() => {
        close();
        res.end();
      }, w.timeoutSeconds * 1000),
    );
  }
}
