/**
 * The resource types the stand-in serves, with the discovery facts kubectl and client-node
 * read (plural, kind, scope, verbs, short names). One table drives routing and discovery.
 */
export interface ResourceDef {
  /** '' for the core group. */
  group: '' | 'apps';
  version: 'v1';
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  /** Has a `/status` subresource whose writes are separate from spec writes. */
  hasStatus: boolean;
  /** Bumps metadata.generation on spec changes (as the real registry does for Deployments). */
  hasGeneration: boolean;
  /** DELETE answers with the deleted object (true) or a Success Status (false), as the real registry strategy does. */
  returnsDeletedObject: boolean;
  categories?: string[];
}

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const RESOURCES: ResourceDef[] = [
  { group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', singular: 'namespace', namespaced: false, shortNames: ['ns'], hasStatus: true, hasGeneration: false, returnsDeletedObject: true },
  { group: '', version: 'v1', kind: 'Service', plural: 'services', singular: 'service', namespaced: true, shortNames: ['svc'], hasStatus: true, hasGeneration: false, returnsDeletedObject: true, categories: ['all'] },
  { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', singular: 'configmap', namespaced: true, shortNames: ['cm'], hasStatus: false, hasGeneration: false, returnsDeletedObject: false },
  { group: '', version: 'v1', kind: 'Event', plural: 'events', singular: 'event', namespaced: true, shortNames: ['ev'], hasStatus: false, hasGeneration: false, returnsDeletedObject: false },
  { group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', singular: 'deployment', namespaced: true, shortNames: ['deploy'], hasStatus: true, hasGeneration: true, returnsDeletedObject: false, categories: ['all'] },
];

export const apiVersionOf = (def: ResourceDef) => (def.group ? `${def.group}/${def.version}` : def.version);

/** `services` or `deployments.apps`: how the API server names a resource in error messages. */
export const qualifiedName = (def: ResourceDef) => (def.group ? `${def.plural}.${def.group}` : def.plural);

export function findResource(group: string, version: string, plural: string): ResourceDef | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.plural === plural);
}

export function resourceByKind(kind: string): ResourceDef | undefined {
  return RESOURCES.find((r) => r.kind === kind);
}

/** The APIResourceList for one group/version, subresources included, as `/api/v1` or `/apis/apps/v1` serve it. */
export function apiResourceList(group: string, version: string) {
  const defs = RESOURCES.filter((r) => r.group === group && r.version === version);
  const resources: Record<string, unknown>[] = [];
  for (const d of defs) {
    resources.push({
      name: d.plural,
      singularName: d.singular,
      namespaced: d.namespaced,
      kind: d.kind,
      verbs: VERBS,
      ...(d.shortNames ? { shortNames: d.shortNames } : {}),
      ...(d.categories ? { categories: d.categories } : {}),
    });
    if (d.hasStatus) {
      resources.push({ name: `${d.plural}/status`, singularName: '', namespaced: d.namespaced, kind: d.kind, verbs: ['get', 'patch', 'update'] });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}

const byPlural = (plural: string) => RESOURCES.find((r) => r.plural === plural)!;
export const NAMESPACES = byPlural('namespaces');
export const SERVICES = byPlural('services');
export const CONFIGMAPS = byPlural('configmaps');
export const EVENTS = byPlural('events');
export const DEPLOYMENTS = byPlural('deployments');
