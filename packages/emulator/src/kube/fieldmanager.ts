import { childPath, itemKey, listSchema } from './schema';
import { applyConflict } from './status';
import { isObject, jsonEqual, type KubeObject, type ManagedFieldsEntry } from './types';

/**
 * Server-side apply's field ownership, kept in `metadata.managedFields` (FieldsV1) like the real
 * API server: each manager owns a set of field paths; leaves are scalar fields, atomic lists and
 * map entries, and keyed list items (Service ports by port+protocol) are nodes of their own.
 * What is simplified: ownership is per manager+operation, there is no per-version conversion and
 * status changes made by the stand-in's controllers are not tracked.
 */
type Seg = { f: string } | { k: Record<string, unknown> };
type FieldPath = Seg[];

const enc = (p: FieldPath) => JSON.stringify(p);
const dec = (s: string) => JSON.parse(s) as FieldPath;

/** `.spec.ports[port=80,protocol="TCP"].targetPort`, as structured-merge-diff prints paths. */
export function pathString(p: FieldPath): string {
  return p
    .map((s) =>
      'f' in s
        ? `.${s.f}`
        : `[${Object.entries(s.k)
            .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
            .join(',')}]`,
    )
    .join('');
}

/** Fields the server owns itself; never part of a manager's set. */
const TOP_IGNORED = new Set(['apiVersion', 'kind', 'status']);
const META_IGNORED = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'deletionTimestamp', 'selfLink']);

/** Every owned path (leaves and keyed list items) present in `obj`. */
export function fieldSet(obj: KubeObject): Set<string> {
  const out = new Set<string>();
  const walk = (v: Record<string, unknown>, segs: FieldPath, path: string) => {
    for (const [k, val] of Object.entries(v)) {
      if (val === undefined) continue;
      if (segs.length === 0 && TOP_IGNORED.has(k)) continue;
      if (segs.length === 1 && 'f' in segs[0]! && segs[0].f === 'metadata' && META_IGNORED.has(k)) continue;
      const p: FieldPath = [...segs, { f: k }];
      const cp = childPath(path, k);
      const schema = listSchema(cp);
      if (isObject(val) && Object.keys(val).length > 0) walk(val, p, cp);
      else if (Array.isArray(val) && schema && schema.ssaKeys.length > 0 && val.every(isObject)) {
        for (const item of val) {
          const ip: FieldPath = [...p, { k: itemKey(item, schema.ssaKeys, schema.keyDefaults) }];
          out.add(enc(ip));
          walk(item as Record<string, unknown>, ip, cp);
        }
      } else out.add(enc(p));
    }
  };
  walk(obj as unknown as Record<string, unknown>, [], '');
  return out;
}

function valueAt(obj: unknown, p: FieldPath): unknown {
  let cur: unknown = obj;
  let path = '';
  for (const s of p) {
    if ('f' in s) {
      cur = isObject(cur) ? cur[s.f] : undefined;
      path = childPath(path, s.f);
    } else {
      const schema = listSchema(path);
      cur = Array.isArray(cur) ? cur.find((item) => jsonEqual(itemKey(item, Object.keys(s.k), schema?.keyDefaults), s.k)) : undefined;
    }
    if (cur === undefined) return undefined;
  }
  return cur;
}

function removeAt(obj: unknown, p: FieldPath): void {
  const parent = valueAt(obj, p.slice(0, -1));
  const last = p[p.length - 1]!;
  if ('f' in last) {
    if (isObject(parent)) delete parent[last.f];
  } else if (Array.isArray(parent)) {
    const path = p.filter((s): s is { f: string } => 'f' in s).map((s) => s.f).join('.');
    const schema = listSchema(path);
    const i = parent.findIndex((item) => jsonEqual(itemKey(item, Object.keys(last.k), schema?.keyDefaults), last.k));
    if (i >= 0) parent.splice(i, 1);
  }
}

/** Merges an applied configuration into the live object: maps recurse, keyed lists merge by key, the rest replaces. */
function mergeApplied(live: unknown, applied: unknown, path: string): unknown {
  if (isObject(applied)) {
    const out: Record<string, unknown> = isObject(live) ? { ...live } : {};
    for (const [k, v] of Object.entries(applied)) out[k] = mergeApplied(out[k], v, childPath(path, k));
    return out;
  }
  const schema = listSchema(path);
  if (Array.isArray(applied) && Array.isArray(live) && schema && schema.ssaKeys.length > 0) {
    const out = [...live];
    for (const item of applied) {
      const key = itemKey(item, schema.ssaKeys, schema.keyDefaults);
      const i = out.findIndex((o) => jsonEqual(itemKey(o, schema.ssaKeys, schema.keyDefaults), key));
      if (i >= 0) out[i] = mergeApplied(out[i], item, path);
      else out.push(structuredClone(item));
    }
    return out;
  }
  return structuredClone(applied);
}

// ---------------------------------------------------------------- FieldsV1 encoding

function toFieldsV1(paths: Set<string>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const s of [...paths].sort()) {
    let node = root;
    for (const seg of dec(s)) {
      const k = 'f' in seg ? `f:${seg.f}` : `k:${JSON.stringify(seg.k)}`;
      node = (node[k] ??= 'k' in seg ? { '.': {} } : {}) as Record<string, unknown>;
    }
  }
  return root;
}

function fromFieldsV1(fields: Record<string, unknown>): Set<string> {
  const out = new Set<string>();
  const walk = (node: Record<string, unknown>, segs: FieldPath) => {
    const keys = Object.keys(node).filter((k) => k !== '.');
    if (segs.length && (keys.length === 0 || '.' in node)) out.add(enc(segs));
    for (const k of keys) {
      const child = node[k] as Record<string, unknown>;
      if (k.startsWith('f:')) walk(child, [...segs, { f: k.slice(2) }]);
      else if (k.startsWith('k:')) walk(child, [...segs, { k: JSON.parse(k.slice(2)) as Record<string, unknown> }]);
    }
  };
  walk(fields, []);
  return out;
}

interface Owner {
  entry: ManagedFieldsEntry;
  set: Set<string>;
}

const owners = (obj: KubeObject | undefined): Owner[] =>
  (obj?.metadata.managedFields ?? []).map((entry) => ({ entry, set: fromFieldsV1(entry.fieldsV1 ?? {}) }));

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

function writeOwners(obj: KubeObject, list: Owner[]): void {
  const kept = list.filter((o) => o.set.size > 0).map((o) => ({ ...o.entry, fieldsV1: toFieldsV1(o.set) }));
  if (kept.length) obj.metadata.managedFields = kept;
  else delete obj.metadata.managedFields;
}

/** How a conflicting manager is named in the message (`"x"` or `"x" using v1 at <time>` for updaters). */
const printManager = (e: ManagedFieldsEntry) => {
  let s = JSON.stringify(e.manager);
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === 'Update') s += ` using ${e.apiVersion} at ${e.time}`;
  return s;
};

/**
 * Server-side apply of `applied` by `manager` onto `live` (undefined when creating). Returns the
 * new object with managedFields updated, or throws the 409 Conflict when another manager owns a
 * field whose value would change and `force` is false.
 */
export function serverSideApply(live: KubeObject | undefined, applied: KubeObject, manager: string, force: boolean, apiVersion: string): KubeObject {
  const mine = fieldSet(applied);
  const list = owners(live);
  const base = live ? structuredClone(live) : ({ metadata: {} } as KubeObject);
  const conflicts: { manager: string; path: string }[] = [];
  for (const o of list) {
    if (o.entry.manager === manager) continue;
    for (const p of mine) {
      if (!o.set.has(p)) continue;
      const fp = dec(p);
      if ('k' in fp[fp.length - 1]!) continue;
      if (jsonEqual(valueAt(applied, fp), valueAt(base, fp))) continue;
      if (force) o.set.delete(p);
      else conflicts.push({ manager: printManager(o.entry), path: pathString(fp) });
    }
  }
  if (conflicts.length) throw applyConflict(conflicts);

  let self = list.find((o) => o.entry.manager === manager && o.entry.operation === 'Apply');
  const previously = self?.set ?? new Set<string>();
  const others = list.filter((o) => o !== self);
  const ownedByOthers = (p: string) => others.some((o) => [...o.set].some((q) => q === p || (q.startsWith(p.slice(0, -1)) && q.length > p.length)));
  // Fields this manager applied before but no longer does are removed unless someone else owns them.
  for (const p of [...previously].filter((p) => !mine.has(p)).sort((a, b) => b.length - a.length)) {
    if (!ownedByOthers(p)) removeAt(base, dec(p));
  }
  const merged = mergeApplied(base, applied, '') as KubeObject;
  merged.metadata = { ...(merged.metadata ?? {}), ...(live ? { managedFields: live.metadata.managedFields } : {}) };
  if (!self) {
    self = { entry: { manager, operation: 'Apply', apiVersion, time: now(), fieldsType: 'FieldsV1', fieldsV1: {} }, set: new Set() };
    list.push(self);
  }
  self.set = mine;
  self.entry = { ...self.entry, time: now() };
  writeOwners(merged, list);
  return merged;
}

/**
 * Records a non-apply write (create, update, patch) by `manager`: the fields it changed become
 * its own (operation Update) and are taken away from everyone else, as the real field manager does.
 */
export function recordUpdate(old: KubeObject | undefined, next: KubeObject, manager: string, apiVersion: string): void {
  const list = owners(old);
  const before = old ? fieldSet(old) : new Set<string>();
  const after = fieldSet(next);
  const changed = [...after].filter((p) => !before.has(p) || !jsonEqual(valueAt(old, dec(p)), valueAt(next, dec(p))));
  const gone = [...before].filter((p) => !after.has(p));
  for (const o of list) for (const p of [...changed, ...gone]) o.set.delete(p);
  if (changed.length) {
    let self = list.find((o) => o.entry.manager === manager && o.entry.operation === 'Update' && !o.entry.subresource);
    if (!self) {
      self = { entry: { manager, operation: 'Update', apiVersion, time: now(), fieldsType: 'FieldsV1', fieldsV1: {} }, set: new Set() };
      list.push(self);
    }
    for (const p of changed) self.set.add(p);
    self.entry = { ...self.entry, time: now() };
  }
  writeOwners(next, list);
}
