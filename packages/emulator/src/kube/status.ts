import { qualifiedName, type ResourceDef } from './resources';

/**
 * `metav1.Status` failures with the reasons, codes and messages the real API server uses,
 * so clients that branch on `reason` (client-go's IsConflict, kubectl's messages) behave the same.
 */
export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: { name?: string; group?: string; kind?: string; uid?: string; causes?: { reason?: string; message: string; field?: string }[]; retryAfterSeconds?: number };
  code: number;
}

export class KubeError extends Error {
  constructor(
    readonly status: StatusBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(status.message);
  }
}

const failure = (code: number, reason: string, message: string, details?: StatusBody['details']): StatusBody => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message,
  reason,
  ...(details ? { details } : {}),
  code,
});

const detailsFor = (def: ResourceDef, name?: string) => ({
  ...(name !== undefined ? { name } : {}),
  ...(def.group ? { group: def.group } : {}),
  kind: def.plural,
});

export const notFound = (def: ResourceDef, name: string) =>
  new KubeError(failure(404, 'NotFound', `${qualifiedName(def)} "${name}" not found`, detailsFor(def, name)));

export const alreadyExists = (def: ResourceDef, name: string) =>
  new KubeError(failure(409, 'AlreadyExists', `${qualifiedName(def)} "${name}" already exists`, detailsFor(def, name)));

/** The optimistic-concurrency failure of an update with a stale resourceVersion. */
export const conflict = (def: ResourceDef, name: string) =>
  new KubeError(
    failure(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualifiedName(def)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      detailsFor(def, name),
    ),
  );

export const invalid = (def: ResourceDef, name: string, causes: { field: string; message: string; reason?: string }[]) =>
  new KubeError(
    failure(
      422,
      'Invalid',
      `${def.kind}${def.group ? '.' + def.group : ''} "${name}" is invalid: ${causes.map((c) => `${c.field}: ${c.message}`).join(', ')}`,
      { ...detailsFor(def, name), kind: def.kind, causes: causes.map((c) => ({ reason: c.reason ?? 'FieldValueInvalid', message: c.message, field: c.field })) },
    ),
  );

export const badRequest = (message: string) => new KubeError(failure(400, 'BadRequest', message));

export const unsupportedMediaType = (contentType: string) =>
  new KubeError(failure(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json; got ${contentType}`));

export const methodNotAllowed = (method: string) =>
  new KubeError(failure(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource (${method})`));

export const pathNotFound = () => new KubeError(failure(404, 'NotFound', 'the server could not find the requested resource'));

export const unauthorized = () => new KubeError(failure(401, 'Unauthorized', 'Unauthorized'));

/** RBAC's denial, worded as the authorizer words it (user, verb, resource, group, scope). */
export function forbidden(user: string, verb: string, def: ResourceDef, namespace: string | undefined, name?: string, subresource?: string) {
  const res = subresource ? `${def.plural}/${subresource}` : def.plural;
  const subject = name ? `${qualifiedName(def)} "${name}"` : qualifiedName(def);
  const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
  return new KubeError(
    failure(403, 'Forbidden', `${subject} is forbidden: User "${user}" cannot ${verb} resource "${res}" in API group "${def.group}" ${scope}`, detailsFor(def, name)),
  );
}

export function forbiddenPath(user: string, path: string) {
  return new KubeError(failure(403, 'Forbidden', `forbidden: User "${user}" cannot get path "${path}"`));
}

export const tooManyRequests = (retryAfterSeconds: number) =>
  new KubeError(failure(429, 'TooManyRequests', 'Too many requests, please try again later.', { retryAfterSeconds }), {
    'Retry-After': String(retryAfterSeconds),
  });

export const internalError = (message = 'Internal error occurred: injected fault') =>
  new KubeError(failure(500, 'InternalError', message, { causes: [{ message }] }));

export const serviceUnavailable = () => new KubeError(failure(503, 'ServiceUnavailable', 'the server is currently unable to handle the request'));

/** 410 on a watch from a resourceVersion older than the stand-in's history window. */
export const expired = (requested: string, oldest: number) =>
  failure(410, 'Expired', `too old resource version: ${requested} (${oldest})`);

/** Server-side apply conflict, worded as the apiserver's fieldmanager words it. */
export function applyConflict(conflicts: { manager: string; path: string }[]) {
  const causes = conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${c.manager}`, field: c.path }));
  let message: string;
  if (conflicts.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${conflicts[0]!.manager}: ${conflicts[0]!.path}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), c.path]);
    const lines: string[] = [];
    for (const m of [...byManager.keys()].sort()) {
      lines.push(`conflicts with ${m}:`);
      for (const p of byManager.get(m)!) lines.push(`- ${p}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return new KubeError(failure(409, 'Conflict', message, { causes }));
}

export const success = (def: ResourceDef, name: string, uid?: string): StatusBody => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Success',
  details: { ...detailsFor(def, name), ...(uid ? { uid } : {}) },
  code: 200,
});
