import { randomUUID } from 'node:crypto';

/** A resource as ARM returns it. Ids are compared case-insensitively, as ARM does. */
export interface ArmResource {
  id: string;
  name: string;
  type: string;
  location?: string;
  etag?: string;
  tags?: Record<string, string>;
  properties?: Record<string, unknown>;
  [key: string]: unknown;
}

const key = (id: string) => id.replace(/\/+$/, '').toLowerCase();

/**
 * The stand-in's ARM state: every resource by id. Shared by the ARM server and the simulated
 * cloud provider (which creates Private Link Services as AKS does). Counts writes so tests can
 * assert that a re-run made none.
 */
export class ArmStore {
  private readonly resources = new Map<string, ArmResource>();
  /** Writes (put/delete) since start, for "second run makes zero writes" assertions. */
  writes = 0;

  get(id: string): ArmResource | undefined {
    const r = this.resources.get(key(id));
    return r ? structuredClone(r) : undefined;
  }

  has(id: string): boolean {
    return this.resources.has(key(id));
  }

  /** Stores a resource (a copy) with a fresh etag and returns the stored copy. */
  put(resource: ArmResource): ArmResource {
    const stored = structuredClone({ ...resource, etag: `W/"${randomUUID()}"` });
    this.resources.set(key(resource.id), stored);
    this.writes++;
    return structuredClone(stored);
  }

  delete(id: string): boolean {
    const existed = this.resources.delete(key(id));
    if (existed) this.writes++;
    return existed;
  }

  /** Direct children of `parentId` (optionally of one type, e.g. `Microsoft.Network/virtualNetworks/subnets`). */
  children(parentId: string, type?: string): ArmResource[] {
    const prefix = key(parentId) + '/';
    const out: ArmResource[] = [];
    for (const [k, r] of this.resources) {
      if (!k.startsWith(prefix)) continue;
      if (k.slice(prefix.length).split('/').length !== 2) continue;
      if (type && r.type.toLowerCase() !== type.toLowerCase()) continue;
      out.push(structuredClone(r));
    }
    return out;
  }

  /** Every resource (copies), e.g. to walk a subtree. */
  all(): ArmResource[] {
    return [...this.resources.values()].map((r) => structuredClone(r));
  }

  /** Every resource of a type, optionally within a scope (subscription or resource group id). */
  ofType(type: string, scope?: string): ArmResource[] {
    const prefix = scope ? key(scope) + '/' : '';
    return [...this.resources.entries()]
      .filter(([k, r]) => k.startsWith(prefix) && r.type.toLowerCase() === type.toLowerCase())
      .map(([, r]) => structuredClone(r));
  }
}
