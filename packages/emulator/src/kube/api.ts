import { parse as parseYaml } from 'yaml';
import { recordUpdate, serverSideApply } from './fieldmanager';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch, PatchError } from './patch';
import { Registry } from './registry';
import { apiVersionOf, NAMESPACES, RESOURCES, type ResourceDef } from './resources';
import { alreadyExists, badRequest, conflict, KubeError, notFound, success, unsupportedMediaType } from './status';
import type { KubeStore } from './store';
import { isObject, type KubeObject } from './types';
import { randomBytes } from 'node:crypto';


export interface WriteOptions {
  dryRun?: boolean;
  /** The field manager (query `fieldManager`, else the user agent's product name). */
  manager: string;
  subresource?: string;
}

export const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
] as const;
export type PatchType = (typeof PATCH_TYPES)[number];

/**
 * The API server's object operations without HTTP: create, replace, patch (all four content
 * types), server-side apply, delete. The HTTP layer and the seeding helpers both go through here,
 * so seeded objects get the same defaults and managedFields as ones created by clients.
 */
export class KubeApi {
  readonly registry: Registry;

  constructor(
    readonly store: KubeStore,
    serviceCidr: string,
  ) {
    this.registry = new Registry(store, { serviceCidr });
  }

  get(def: ResourceDef, namespace: string | undefined, name: string): KubeObject {
    const o = this.store.get(def, namespace, name);
    if (!o) throw notFound(def, name);
    return o;
  }

  private requireNamespace(def: ResourceDef, namespace: string | undefined): void {
    if (def.namespaced && (!namespace || !this.store.get(NAMESPACES, undefined, namespace))) throw notFound(NAMESPACES, namespace ?? '');
  }

  create(def: ResourceDef, namespace: string | undefined, body: unknown, opts: WriteOptions): KubeObject {
    const obj = this.asObject(def, body);
    if (def.namespaced) {
      if (obj.metadata.namespace && obj.metadata.namespace !== namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      obj.metadata.namespace = namespace;
    } else delete obj.metadata.namespace;
    if (!obj.metadata.name && obj.metadata.generateName) obj.metadata.name = obj.metadata.generateName + randomBytes(3).toString('hex').slice(0, 5);
    this.requireNamespace(def, namespace);
    this.registry.prepareCreate(def, obj);
    if (this.store.get(def, namespace, obj.metadata.name)) throw alreadyExists(def, obj.metadata.name);
    delete obj.metadata.managedFields;
    delete obj.metadata.resourceVersion;
    recordUpdate(undefined, obj, opts.manager, apiVersionOf(def));
    return this.store.create(def, obj, opts.dryRun);
  }

  /** PUT: a stale `metadata.resourceVersion` is the optimistic-concurrency 409; an absent one is an unconditional update. */
  replace(def: ResourceDef, namespace: string | undefined, name: string, body: unknown, opts: WriteOptions): KubeObject {
    const obj = this.asObject(def, body);
    if (obj.metadata.name !== name) throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
    if (def.namespaced) {
      if (obj.metadata.namespace && obj.metadata.namespace !== namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      obj.metadata.namespace = namespace;
    }
    const old = this.get(def, namespace, name);
    return this.update(def, old, obj, opts);
  }

  patch(def: ResourceDef, namespace: string | undefined, name: string, contentType: string, raw: string, opts: WriteOptions & { force?: boolean }): { object: KubeObject; created: boolean } {
    const type = PATCH_TYPES.find((t) => contentType.split(';')[0]!.trim() === t);
    if (!type) throw unsupportedMediaType(contentType);
    if (type === 'application/apply-patch+yaml') return this.apply(def, namespace, name, raw, opts);
    const old = this.get(def, namespace, name);
    const patch = parseJson(raw);
    let patched: unknown;
    try {
      if (type === 'application/json-patch+json') patched = applyJsonPatch(old, patch);
      else if (type === 'application/merge-patch+json') patched = applyMergePatch(old, patch);
      else patched = applyStrategicMergePatch(old, patch);
    } catch (e) {
      if (e instanceof PatchError) {
        throw new KubeError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: e.message, reason: 'Invalid', code: 422 });
      }
      throw e;
    }
    const obj = this.asObject(def, patched);
    if (obj.metadata.name !== name) throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
    obj.metadata.namespace = old.metadata.namespace;
    return { object: this.update(def, old, obj, opts), created: false };
  }

  /** Server-side apply: creates the object when missing, otherwise merges with field ownership. */
  apply(def: ResourceDef, namespace: string | undefined, name: string, raw: string, opts: WriteOptions & { force?: boolean }): { object: KubeObject; created: boolean } {
    if (!opts.manager) throw badRequest('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
    let parsed: unknown;
    try {
      parsed = parseYaml(raw);
    } catch (e) {
      throw badRequest(`error decoding YAML: ${(e as Error).message}`);
    }
    const applied = this.asObject(def, parsed);
    if (applied['apiVersion'] !== apiVersionOf(def)) {
      throw badRequest(`the API version in the data (${String(applied['apiVersion'] ?? '')}) does not match the expected API version (${apiVersionOf(def)})`);
    }
    if (applied['kind'] !== def.kind) throw badRequest(`the kind in the data (${String(applied['kind'] ?? '')}) does not match the expected kind (${def.kind})`);
    if (applied.metadata.name !== name) throw badRequest(`the name of the object (${applied.metadata.name}) does not match the name on the URL (${name})`);
    if (applied.metadata.managedFields !== undefined) throw badRequest('metadata.managedFields must be nil');
    if (def.namespaced) applied.metadata.namespace = namespace;
    const old = this.store.get(def, namespace, name);
    if (!old) {
      this.requireNamespace(def, namespace);
      const obj = serverSideApply(undefined, applied, opts.manager, !!opts.force, apiVersionOf(def));
      this.registry.prepareCreate(def, obj);
      return { object: this.store.create(def, obj, opts.dryRun), created: true };
    }
    if (applied.metadata.resourceVersion && applied.metadata.resourceVersion !== old.metadata.resourceVersion) throw conflict(def, name);
    const obj = serverSideApply(old, applied, opts.manager, !!opts.force, apiVersionOf(def));
    obj.metadata.resourceVersion = old.metadata.resourceVersion;
    this.registry.prepareUpdate(def, old, obj, opts.subresource);
    return { object: this.store.update(def, obj, opts.dryRun), created: false };
  }

  delete(def: ResourceDef, namespace: string | undefined, name: string, dryRun = false): unknown {
    const old = this.get(def, namespace, name);
    if (def === NAMESPACES && !dryRun) {
      // The namespace controller's cleanup, done at once: everything inside goes with it.
      for (const r of RESOURCES.filter((r) => r.namespaced)) for (const o of this.store.list(r, name)) this.store.delete(r, name, o.metadata.name);
    }
    this.store.delete(def, namespace, name, dryRun);
    if (def === NAMESPACES) return { ...old, status: { phase: 'Terminating' } };
    return def.returnsDeletedObject ? old : success(def, name, old.metadata.uid);
  }

  private update(def: ResourceDef, old: KubeObject, obj: KubeObject, opts: WriteOptions): KubeObject {
    if (obj.metadata.resourceVersion && obj.metadata.resourceVersion !== old.metadata.resourceVersion) throw conflict(def, obj.metadata.name);
    obj.metadata.managedFields = old.metadata.managedFields;
    this.registry.prepareUpdate(def, old, obj, opts.subresource);
    recordUpdate(old, obj, opts.manager, apiVersionOf(def));
    return this.store.update(def, obj, opts.dryRun);
  }

  private asObject(def: ResourceDef, body: unknown): KubeObject {
    if (!isObject(body)) throw badRequest(`Object '${def.kind}' is invalid: body must be a JSON object`);
    const obj = structuredClone(body) as KubeObject;
    if (!isObject(obj.metadata)) obj.metadata = { name: '' };
    if (obj['kind'] !== undefined && obj['kind'] !== def.kind && !(def.kind && obj['kind'] === '')) {
      throw badRequest(`the kind in the data (${String(obj['kind'])}) does not match the expected kind (${def.kind})`);
    }
    return obj;
  }
}

export function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch (e) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
  }
}
