/**
 * The slice of the Kubernetes OpenAPI schema the patch and apply engines need: which lists are
 * maps keyed by some fields. Paths are field names with list items elided (`spec.ports`).
 * Strategic merge patch uses the Go struct's single `patchMergeKey`; server-side apply uses the
 * `listMapKey`s. They differ for Service ports (`port` vs `port`+`protocol`), which is why a
 * strategic merge patch of `53/UDP` can clobber `53/TCP` on a real cluster — mirrored here.
 */
interface ListSchema {
  smpKey?: string;
  ssaKeys: string[];
  /** Defaults applied to key fields before comparing (protocol is TCP when unset). */
  keyDefaults?: Record<string, unknown>;
}

const PROTOCOL = { protocol: 'TCP' };

const LISTS: Record<string, ListSchema> = {
  'spec.ports': { smpKey: 'port', ssaKeys: ['port', 'protocol'], keyDefaults: PROTOCOL },
  'spec.template.spec.containers': { smpKey: 'name', ssaKeys: ['name'] },
  'spec.template.spec.initContainers': { smpKey: 'name', ssaKeys: ['name'] },
  'spec.template.spec.containers.env': { smpKey: 'name', ssaKeys: ['name'] },
  'spec.template.spec.initContainers.env': { smpKey: 'name', ssaKeys: ['name'] },
  'spec.template.spec.containers.ports': { smpKey: 'containerPort', ssaKeys: ['containerPort', 'protocol'], keyDefaults: PROTOCOL },
  'spec.template.spec.containers.volumeMounts': { smpKey: 'mountPath', ssaKeys: ['mountPath'] },
  'spec.template.spec.volumes': { smpKey: 'name', ssaKeys: ['name'] },
  'metadata.ownerReferences': { smpKey: 'uid', ssaKeys: ['uid'] },
  'status.conditions': { smpKey: 'type', ssaKeys: ['type'] },
  'status.loadBalancer.ingress': { ssaKeys: [] },
};

/** Lists of scalars that merge as sets under strategic merge patch. */
const SET_LISTS = new Set(['metadata.finalizers']);

export const listSchema = (path: string): ListSchema | undefined => LISTS[path];
export const isSetList = (path: string) => SET_LISTS.has(path);

export const childPath = (path: string, field: string) => (path ? `${path}.${field}` : field);

/** The key of a list item for `keys`, with defaults filled in, as a canonical object. */
export function itemKey(item: unknown, keys: string[], defaults: Record<string, unknown> = {}): Record<string, unknown> {
  const src = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = src[k] ?? defaults[k];
  return out;
}
