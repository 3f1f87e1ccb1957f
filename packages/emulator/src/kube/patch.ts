import { childPath, isSetList, listSchema } from './schema';
import { isObject, jsonEqual } from './types';

/** Thrown for a patch that cannot be applied; the handler turns it into the API server's Status. */
export class PatchError extends Error {}

const clone = <T>(v: T): T => structuredClone(v);

// ---------------------------------------------------------------- RFC 6902 JSON Patch

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new PatchError(`invalid JSON pointer: ${pointer}`);
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function locate(doc: unknown, tokens: string[]): { parent: unknown; last: string } {
  let cur = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(t)];
    else if (isObject(cur)) cur = cur[t];
    else cur = undefined;
    if (cur === undefined) throw new PatchError(`doc is missing path: /${tokens.join('/')}`);
  }
  return { parent: cur, last: tokens[tokens.length - 1]! };
}

function getAt(doc: unknown, tokens: string[]): unknown {
  let cur = doc;
  for (const t of tokens) {
    if (Array.isArray(cur)) cur = cur[Number(t)];
    else if (isObject(cur)) cur = cur[t];
    else return undefined;
  }
  return cur;
}

function addAt(doc: unknown, tokens: string[], value: unknown, replace: boolean): unknown {
  if (tokens.length === 0) return clone(value);
  const { parent, last } = locate(doc, tokens);
  if (Array.isArray(parent)) {
    const i = last === '-' ? parent.length : Number(last);
    if (!Number.isInteger(i) || i < 0 || i > parent.length || (replace && i >= parent.length)) {
      throw new PatchError(`Unable to access invalid index: ${last}`);
    }
    parent.splice(i, replace ? 1 : 0, clone(value));
  } else if (isObject(parent)) {
    if (replace && !(last in parent)) throw new PatchError(`replace operation does not apply: doc is missing key: /${tokens.join('/')}`);
    parent[last] = clone(value);
  } else throw new PatchError(`doc is missing path: /${tokens.join('/')}`);
  return doc;
}

function removeAt(doc: unknown, tokens: string[]): unknown {
  const { parent, last } = locate(doc, tokens);
  if (Array.isArray(parent)) {
    const i = Number(last);
    if (!Number.isInteger(i) || i < 0 || i >= parent.length) throw new PatchError(`Unable to remove nonexistent index: ${last}`);
    parent.splice(i, 1);
  } else if (isObject(parent) && last in parent) delete parent[last];
  else throw new PatchError(`remove operation does not apply: doc is missing path: /${tokens.join('/')}`);
  return doc;
}

export function applyJsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw new PatchError('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let doc = clone(target);
  for (const op of ops as Record<string, unknown>[]) {
    const path = parsePointer(String(op['path'] ?? ''));
    switch (op['op']) {
      case 'add':
        doc = addAt(doc, path, op['value'], false);
        break;
      case 'replace':
        doc = addAt(doc, path, op['value'], true);
        break;
      case 'remove':
        doc = removeAt(doc, path);
        break;
      case 'move': {
        const from = parsePointer(String(op['from']));
        const v = getAt(doc, from);
        if (v === undefined) throw new PatchError(`move operation does not apply: doc is missing from path: ${String(op['from'])}`);
        doc = addAt(removeAt(doc, from), path, v, false);
        break;
      }
      case 'copy': {
        const v = getAt(doc, parsePointer(String(op['from'])));
        if (v === undefined) throw new PatchError(`copy operation does not apply: doc is missing from path: ${String(op['from'])}`);
        doc = addAt(doc, path, v, false);
        break;
      }
      case 'test':
        if (!jsonEqual(getAt(doc, path), op['value'])) throw new PatchError(`testing value ${String(op['path'])} failed: test failed`);
        break;
      default:
        throw new PatchError(`Unexpected kind: ${String(op['op'])}`);
    }
  }
  return doc;
}

// ---------------------------------------------------------------- RFC 7386 JSON Merge Patch

export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  const out: Record<string, unknown> = isObject(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k], v);
  }
  return out;
}

// ---------------------------------------------------------------- Strategic merge patch

/**
 * Kubernetes' strategic merge patch for the fields our steps touch: maps merge recursively,
 * lists with a `patchMergeKey` merge by key (with `$patch: delete|replace` items), other lists
 * replace; the directives kubectl's client-side apply emits (`$setElementOrder/`, `$retainKeys`,
 * `$deleteFromPrimitiveList/`, `$patch`) are honoured.
 */
export function applyStrategicMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) throw new PatchError('strategic merge patch must be a JSON object');
  return smpMap(isObject(target) ? clone(target) : {}, patch, '');
}

function smpMap(orig: Record<string, unknown>, patch: Record<string, unknown>, path: string): Record<string, unknown> {
  const directive = patch['$patch'];
  if (directive === 'replace') {
    const { $patch: _p, ...rest } = patch;
    return clone(rest);
  }
  if (directive === 'delete') return {};
  const out = orig;
  const orders: [string, unknown[]][] = [];
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys') continue;
    if (k.startsWith('$setElementOrder/')) {
      orders.push([k.slice('$setElementOrder/'.length), Array.isArray(v) ? v : []]);
      continue;
    }
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const f = k.slice('$deleteFromPrimitiveList/'.length);
      const cur = out[f];
      if (Array.isArray(cur) && Array.isArray(v)) out[f] = cur.filter((x) => !v.some((d) => jsonEqual(d, x)));
      continue;
    }
    const p = childPath(path, k);
    if (v === null) delete out[k];
    else if (isObject(v)) out[k] = smpMap(isObject(out[k]) ? (out[k] as Record<string, unknown>) : {}, v, p);
    else if (Array.isArray(v)) out[k] = smpList(Array.isArray(out[k]) ? (out[k] as unknown[]) : [], v, p);
    else out[k] = clone(v);
  }
  const retain = patch['$retainKeys'];
  if (Array.isArray(retain)) for (const k of Object.keys(out)) if (!retain.includes(k)) delete out[k];
  for (const [field, order] of orders) {
    const schema = listSchema(childPath(path, field));
    const cur = out[field];
    if (!schema?.smpKey || !Array.isArray(cur)) continue;
    const key = schema.smpKey;
    const rank = (item: unknown) => {
      const i = order.findIndex((o) => isObject(o) && isObject(item) && jsonEqual(o[key], item[key]));
      return i < 0 ? order.length : i;
    };
    out[field] = [...cur].sort((a, b) => rank(a) - rank(b));
  }
  return out;
}

function smpList(orig: unknown[], patch: unknown[], path: string): unknown[] {
  if (isSetList(path)) return [...orig, ...patch.filter((p) => !orig.some((o) => jsonEqual(o, p)))];
  const schema = listSchema(path);
  if (!schema?.smpKey) return clone(patch);
  const key = schema.smpKey;
  if (patch.some((p) => isObject(p) && p['$patch'] === 'replace')) {
    return clone(patch.filter((p) => !(isObject(p) && p['$patch'] === 'replace')));
  }
  const out = clone(orig);
  for (const item of patch) {
    if (!isObject(item)) continue;
    const idx = out.findIndex((o) => isObject(o) && jsonEqual(o[key], item[key]));
    if (item['$patch'] === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) out[idx] = smpMap(out[idx] as Record<string, unknown>, item, path);
    else out.push(smpMap({}, item, path));
  }
  return out;
}

