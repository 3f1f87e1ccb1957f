import { bearer, json, parseJson, type Reply, type RequestContext } from '../http';
import type { VerifyResult } from '../entra/tokens';
import { ArmError, badRequest, groupNotFound, notFound, requestId, subscriptionNotFound } from './errors';
import { RunCommands } from './run-command';
import { Operations } from './lro';
import type { ArmResource, ArmStore } from './store';
import type { ArmEnv, ArmRequest, KubeEndpoint, TypeHandler } from './types';
import { deepMerge } from './merge';

export interface ArmServiceOptions {
  store: ArmStore;
  /** Validates a bearer token for ARM (signature, expiry, audience). */
  verifyToken: (token: string) => VerifyResult;
  handlers: TypeHandler[];
  defaultTenantId: string;
  /** Delay before long-running operations complete (ms). */
  provisioningDelayMs?: number;
  /** Retry-After on LRO responses, in seconds. */
  lroRetryAfterSeconds?: number;
  /** Page size of list responses (nextLink beyond it). */
  pageSize?: number;
  /** How long an AKS run command waits before it runs (ms). */
  runCommandDelayMs?: number;
  /**
   * What `/metadata/endpoints` says about signing in, for the base URL the client addressed
   * (default: the stand-in's own authority and URL, then public ARM's audience).
   */
  signIn?: (base: string) => { loginEndpoint: string; audiences: string[]; graphEndpoint?: string };
}

const API_VERSION = /^\d{4}-\d{2}-\d{2}(-[a-z0-9]+)*$/i;

/**
 * Azure Resource Manager: routing of `/subscriptions/...` paths to resource type handlers, with
 * what ARM does around every provider: api-version, bearer auth, ResourceGroupNotFound,
 * If-Match, async operations, `{value, nextLink}` paging and x-ms-request-id.
 */
export class ArmService {
  readonly ops: Operations;
  readonly runCommands: RunCommands;
  private readonly handlers = new Map<string, TypeHandler>();
  private kubeProvider: (cluster: ArmResource) => KubeEndpoint | undefined = () => undefined;
  pageSize: number;
  /** How long an update of an existing AKS cluster takes (ms); the default operation delay when undefined. Tests change it at will. */
  clusterUpdateDelayMs?: number;

  constructor(private readonly o: ArmServiceOptions) {
    this.ops = new Operations(o.provisioningDelayMs ?? 20, o.lroRetryAfterSeconds ?? 0);
    this.pageSize = o.pageSize ?? 100;
    this.runCommands = new RunCommands(o.runCommandDelayMs);
    for (const h of o.handlers) this.handlers.set(h.type.toLowerCase(), h);
  }

  /** Plugs in the Kubernetes API that AKS credentials point at. */
  setKube(provider: KubeEndpoint | ((cluster: ArmResource) => KubeEndpoint | undefined)): void {
    this.kubeProvider = typeof provider === 'function' ? provider : () => provider;
  }

  private get env(): ArmEnv {
    return { store: this.o.store, ops: this.ops, kube: (c) => this.kubeProvider(c), defaultTenantId: this.o.defaultTenantId, clusterUpdateDelayMs: this.clusterUpdateDelayMs, runCommands: this.runCommands };
  }

  /** Whether a path belongs to ARM (the rest of the server's paths are Entra/OIDC). */
  static owns(path: string): boolean {
    return /^\/(subscriptions|tenants|providers|metadata)(\/|$)/i.test(path);
  }

  handle(ctx: RequestContext): Reply {
    const rid = requestId();
    let reply: Reply;
    try {
      reply = this.route(ctx);
    } catch (e) {
      if (e instanceof ArmError) reply = e.toReply();
      else if (e instanceof SyntaxError) reply = badRequest('InvalidRequestContent', `The request content was invalid and could not be deserialized: '${e.message}'.`).toReply();
      else throw e;
    }
    reply.headers = { 'x-ms-request-id': rid, 'x-ms-correlation-request-id': rid, 'x-ms-routing-request-id': `LOCAL:${rid}`, ...reply.headers };
    return reply;
  }

  private route(ctx: RequestContext): Reply {
    const seg = ctx.path.split('/').filter(Boolean).map(decodeURIComponent);
    const apiVersion = ctx.url.searchParams.get('api-version');
    if (!apiVersion) {
      throw new ArmError(400, 'MissingApiVersionParameter', "The api-version query parameter (?api-version=) is required for all requests.");
    }
    if (!API_VERSION.test(apiVersion)) {
      throw new ArmError(400, 'InvalidApiVersionParameter', `The api-version '${apiVersion}' is invalid. The supported versions are '2022-12-01,2021-04-01,2020-01-01'.`);
    }
    const head = seg[0]?.toLowerCase();
    if (head === 'metadata' && seg[1]?.toLowerCase() === 'endpoints') return this.metadata(ctx, apiVersion);
    const caller = this.authenticate(ctx);

    if (head === 'tenants' && seg.length === 1) return this.tenants(caller.tenantId);
    if (head !== 'subscriptions') throw new ArmError(404, 'NotFound', `No route registered for '${ctx.path}'.`);
    if (seg.length === 1) return this.page(ctx, this.subscriptions().filter((s) => String(s.tenantId).toLowerCase() === caller.tenantId.toLowerCase()));
    const sub = seg[1]!;
    const subscription = this.o.store.get(`/subscriptions/${sub}`);
    if (!subscription) throw subscriptionNotFound(sub);
    if (seg.length === 2) return ctx.method === 'GET' ? json(200, this.subscriptionView(subscription)) : this.methodNotAllowed(ctx);
    const kind = seg[2]!.toLowerCase();

    if (kind === 'providers') {
      const ns = seg[3];
      if (!ns) throw new ArmError(404, 'NotFound', 'Provider listing is not emulated.');
      // LRO status: /subscriptions/{s}/providers/{ns}/locations/{loc}/operations|operationResults/{id}
      if (seg[4]?.toLowerCase() === 'locations' && seg.length === 8) return this.operation(ctx, seg[6]!.toLowerCase(), seg[7]!);
      if (seg.length === 5 && ctx.method === 'GET') {
        return this.page(ctx, this.o.store.ofType(`${ns}/${seg[4]}`, `/subscriptions/${sub}`).map((r) => this.view(r, apiVersion)));
      }
      // A subscription-level action below a proxy path, e.g. POST .../providers/Microsoft.Network/locations/{loc}/checkPrivateLinkServiceVisibility.
      if (seg.length === 7 && ctx.method === 'POST') return this.subscriptionAction(ctx, caller, subscription.subscriptionId as string, seg, apiVersion);
      throw new ArmError(404, 'NotFound', `No route registered for '${ctx.path}'.`);
    }
    if (kind !== 'resourcegroups') throw new ArmError(404, 'NotFound', `No route registered for '${ctx.path}'.`);
    const subId = `/subscriptions/${subscription.subscriptionId as string}`;
    if (seg.length === 3) {
      if (ctx.method !== 'GET') return this.methodNotAllowed(ctx);
      return this.page(ctx, this.o.store.children(subId, 'Microsoft.Resources/resourceGroups'));
    }
    const rg = seg[3]!;
    const rgId = `${subId}/resourceGroups/${rg}`;
    if (seg.length === 4) return this.resourceGroup(ctx, rgId, rg);
    const group = this.o.store.get(rgId);
    if (!group) throw groupNotFound(rg);
    if (seg[4]!.toLowerCase() !== 'providers' || seg.length < 7) {
      if (seg[4]!.toLowerCase() === 'resources' && seg.length === 5) {
        const prefix = `${group.id}/providers/`.toLowerCase();
        return this.page(ctx, this.o.store.all().filter((r) => r.id.toLowerCase().startsWith(prefix)));
      }
      throw new ArmError(404, 'NotFound', `No route registered for '${ctx.path}'.`);
    }
    const ns = seg[5]!;
    const rest = seg.slice(6);
    const providerPrefix = `${group.id}/providers/${ns}`;
    const even = rest.length % 2 === 0;
    const pathSegs = even ? rest : rest.slice(0, -1);
    const last = even ? undefined : rest[rest.length - 1]!;
    const typeOf = (parts: string[]) => [ns, ...parts.filter((_, i) => i % 2 === 0)].join('/');
    const body = ['PUT', 'PATCH', 'POST'].includes(ctx.method) ? (parseJson(ctx.body) as Record<string, unknown> | undefined) : undefined;

    const req = (parts: string[]): ArmRequest => ({
      ctx,
      method: ctx.method,
      id: parts.length ? `${providerPrefix}/${parts.join('/')}` : providerPrefix,
      type: typeOf(parts),
      name: parts[parts.length - 1] ?? '',
      parentId: parts.length > 2 ? `${providerPrefix}/${parts.slice(0, -2).join('/')}` : group.id,
      subscriptionId: subscription.subscriptionId as string,
      resourceGroup: group.name,
      apiVersion,
      body,
      sent: body,
      caller,
    });

    if (!even) {
      // A collection (GET) or an action (POST) below the resource named by pathSegs.
      if (ctx.method === 'POST' && pathSegs.length > 0) {
        const r = req(pathSegs);
        const handler = this.handler(r.type);
        const action = handler?.actions?.[last!.toLowerCase()];
        if (!action) throw new ArmError(404, 'NotFound', `The action '${last}' on '${r.type}' is not supported.`);
        this.requireResource(r, handler);
        return action(this.env, r);
      }
      if (ctx.method !== 'GET') return this.methodNotAllowed(ctx);
      const parent = pathSegs.length ? req(pathSegs) : undefined;
      if (parent) this.requireResource(parent, this.handler(parent.type));
      const childType = typeOf([...pathSegs, last!]);
      const parentId = parent?.id ?? providerPrefix;
      const handler = this.handler(childType);
      const listed = handler?.list
        ? handler.list(this.env, parentId, req([...pathSegs, last!, '_']))
        : this.o.store.children(parentId, childType);
      if (handler?.rawList) return json(200, listed);
      return this.page(ctx, (listed as ArmResource[]).map((r) => this.view(r, apiVersion)));
    }
    return this.resource(req(rest));
  }

  /** POST /subscriptions/{s}/providers/{ns}/{type}/{name}/{action}: the type's handler answers it (404 otherwise). */
  private subscriptionAction(ctx: RequestContext, caller: ArmRequest['caller'], subscriptionId: string, seg: string[], apiVersion: string): Reply {
    const type = `${seg[3]}/${seg[4]}`;
    const action = this.handler(type)?.actions?.[seg[6]!.toLowerCase()];
    if (!action) throw new ArmError(404, 'NotFound', `No route registered for '${ctx.path}'.`);
    const body = parseJson(ctx.body) as Record<string, unknown> | undefined;
    const id = `/subscriptions/${subscriptionId}/providers/${seg[3]}/${seg[4]}/${seg[5]}`;
    return action(this.env, { ctx, method: 'POST', id, type, name: seg[5]!, parentId: `/subscriptions/${subscriptionId}`, subscriptionId, resourceGroup: '', apiVersion, body, sent: body, caller });
  }

  private handler(type: string): TypeHandler | undefined {
    return this.handlers.get(type.toLowerCase());
  }

  /** A stored resource as the caller's api-version shows it. */
  private view(r: ArmResource, apiVersion: string): ArmResource {
    const h = this.handler(r.type);
    return h?.view ? h.view(this.env, r, apiVersion) : r;
  }

  private read(r: ArmRequest, h: TypeHandler | undefined): ArmResource | undefined {
    return h?.get ? h.get(this.env, r) : this.o.store.get(r.id);
  }

  /** The resource (or its parent chain) must exist, with ARM's not-found error otherwise. */
  private requireResource(r: ArmRequest, h: TypeHandler | undefined): ArmResource {
    const found = this.read(r, h);
    if (!found) throw this.missing(r);
    return found;
  }

  private missing(r: ArmRequest): ArmError {
    const depth = r.type.split('/').length;
    if (depth <= 2) return notFound(r.type, r.name, r.resourceGroup);
    return new ArmError(404, 'NotFound', `Resource ${r.id} not found.`);
  }

  private resource(r: ArmRequest): Reply {
    const h = this.handler(r.type);
    if (h?.disallow?.includes(r.method)) return this.methodNotAllowed(r.ctx);
    // The parent of a child resource must exist (ARM: ParentResourceNotFound).
    if (r.type.split('/').length > 2 && r.method !== 'GET') {
      const parentReq: ArmRequest = { ...r, id: r.parentId, type: r.type.split('/').slice(0, -1).join('/'), name: r.parentId.split('/').pop()! };
      if (!this.read(parentReq, this.handler(parentReq.type))) {
        const t = r.type.split('/').slice(1).join('/');
        throw new ArmError(404, 'ParentResourceNotFound', `Failed to perform '${r.method === 'DELETE' ? 'delete' : 'write'}' on resource(s) of type '${t}', because the parent resource '${r.parentId}' could not be found.`);
      }
    }
    const custom = h?.reply?.(this.env, r);
    if (custom) return custom;
    const existing = this.read(r, h);
    switch (r.method) {
      case 'GET': {
        if (!existing) throw this.missing(r);
        return json(200, this.view(existing, r.apiVersion), existing.etag ? { etag: existing.etag } : undefined);
      }
      case 'HEAD':
        return json(existing ? 204 : 404);
      case 'PUT':
      case 'PATCH':
        return this.write(r, h, existing);
      case 'DELETE':
        return this.remove(r, h, existing);
      default:
        return this.methodNotAllowed(r.ctx);
    }
  }

  private checkPreconditions(r: ArmRequest, existing: ArmResource | undefined): void {
    const ifMatch = r.ctx.req.headers['if-match'];
    const ifNoneMatch = r.ctx.req.headers['if-none-match'];
    const fail = (detail: string) =>
      new ArmError(412, 'PreconditionFailed', `Operation failed because the resource's current ETag does not satisfy the request precondition: ${detail}`);
    if (typeof ifMatch === 'string' && ifMatch) {
      if (!existing) throw fail(`If-Match '${ifMatch}' but the resource does not exist.`);
      if (ifMatch !== '*' && ifMatch !== existing.etag) throw fail(`If-Match '${ifMatch}' does not match the current ETag '${existing.etag ?? ''}'.`);
    }
    if (ifNoneMatch === '*' && existing) throw fail("If-None-Match '*' but the resource already exists.");
  }

  private write(r: ArmRequest, h: TypeHandler | undefined, existing: ArmResource | undefined): Reply {
    if (h?.etag) this.checkPreconditions(r, existing);
    if (!r.body || typeof r.body !== 'object') throw badRequest('InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
    if (r.method === 'PATCH') {
      if (!h?.patchMerges) return this.methodNotAllowed(r.ctx);
      if (!existing) throw this.missing(r);
      r = { ...r, body: deepMerge(existing as Record<string, unknown>, r.body) };
    }
    if (!existing && h?.noCreate) throw this.missing(r);
    const result = h?.put ? h.put(this.env, r, existing) : { resource: defaultResource(r, existing) };
    const status = result.status ?? (existing ? 200 : 201);
    if (result.stored) {
      return json(status, result.bodiless ? undefined : result.resource, { ...result.headers, ...(result.resource.etag ? { etag: result.resource.etag } : {}) });
    }
    let resource = result.resource;
    let headers: Record<string, string> = {};
    if (h?.asyncPut) {
      resource = withState(resource, existing ? 'Updating' : 'Creating');
      headers = this.o_ops_start(r, resource, 'put', () => {
        const cur = this.o.store.get(r.id);
        if (cur) this.o.store.put(withState(cur, 'Succeeded'));
      }, h.operationDelayMs?.(this.env, existing));
    } else if (!h?.noProvisioningState) {
      resource = withState(resource, 'Succeeded', true);
    }
    const stored = this.o.store.put(resource);
    result.after?.(stored);
    const out = this.view(stored, r.apiVersion);
    return json(status, out, { ...headers, ...(stored.etag ? { etag: stored.etag } : {}) });
  }

  private remove(r: ArmRequest, h: TypeHandler | undefined, existing: ArmResource | undefined): Reply {
    if (!existing) return json(204);
    if (h?.etag) this.checkPreconditions(r, existing);
    const doDelete = () => {
      if (h?.delete) h.delete(this.env, r, existing);
      else this.deleteTree(existing.id);
    };
    if (h?.asyncDelete) {
      // Validate up front (in-use checks throw here), then finish later as ARM does.
      h.delete?.(this.env, { ...r, method: 'VALIDATE_DELETE' }, existing);
      if (existing.properties) this.o.store.put(withState(existing, 'Deleting'));
      const headers = this.o_ops_start(r, existing, 'delete', doDelete);
      return json(202, undefined, headers);
    }
    doDelete();
    return json(200);
  }

  /** Deletes a resource and everything below it. */
  deleteTree(id: string): void {
    const prefix = id.toLowerCase() + '/';
    for (const child of this.o.store.all()) if (child.id.toLowerCase().startsWith(prefix)) this.o.store.delete(child.id);
    this.o.store.delete(id);
  }

  private o_ops_start(r: ArmRequest, resource: ArmResource, kind: 'put' | 'delete', complete: () => void, delayMs?: number): Record<string, string> {
    return this.ops.start(
      r.ctx.base,
      { subscriptionId: r.subscriptionId, namespace: r.type.split('/')[0]!, location: String(resource.location ?? this.topLocation(r) ?? 'global'), apiVersion: r.apiVersion },
      complete,
      kind,
      delayMs,
    );
  }

  private topLocation(r: ArmRequest): string | undefined {
    const parts = r.id.split('/');
    const top = parts.slice(0, 9).join('/');
    return this.o.store.get(top)?.location;
  }

  private operation(ctx: RequestContext, kind: string, id: string): Reply {
    const status = this.ops.status(id);
    if (!status) throw new ArmError(404, 'NotFound', `Operation ${id} not found.`);
    if (kind === 'operationresults') {
      if (!this.ops.isDone(id)) return json(202, undefined, { location: ctx.url.toString().replace(/^http:/, 'https:'), 'retry-after': String(this.ops.retryAfterSeconds) });
      return json(204);
    }
    return json(200, status);
  }

  private authenticate(ctx: RequestContext): { tenantId: string; objectId: string } {
    const token = bearer(ctx.req);
    const challenge = (error: string) => ({ 'www-authenticate': `Bearer authorization_uri="${ctx.base}/${this.o.defaultTenantId}", error="invalid_token", error_description="${error}"` });
    if (!token) {
      const e = new ArmError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.");
      throw Object.assign(e, { toReply: () => ({ ...ArmError.prototype.toReply.call(e), headers: challenge('The authentication failed because of missing Authorization header.') }) });
    }
    const v = this.o.verifyToken(token);
    if (!v.ok) {
      const code = v.code === 'expired' ? 'ExpiredAuthenticationToken' : v.code === 'audience' ? 'InvalidAuthenticationTokenAudience' : 'InvalidAuthenticationToken';
      const e = new ArmError(401, code, v.message);
      throw Object.assign(e, { toReply: () => ({ ...ArmError.prototype.toReply.call(e), headers: challenge(v.message) }) });
    }
    return { tenantId: String(v.claims.tid), objectId: String(v.claims.oid) };
  }

  private methodNotAllowed(ctx: RequestContext): Reply {
    return json(405, { error: { code: 'MethodNotAllowed', message: `The requested resource does not support http method '${ctx.method}'.` } });
  }

  private page(ctx: RequestContext, items: unknown[]): Reply {
    const skip = Number(ctx.url.searchParams.get('$skiptoken') ?? 0) || 0;
    const value = items.slice(skip, skip + this.pageSize);
    let nextLink: string | undefined;
    if (skip + this.pageSize < items.length) {
      const next = new URL(ctx.url.toString());
      next.searchParams.set('$skiptoken', String(skip + this.pageSize));
      nextLink = `${ctx.base}${next.pathname}${next.search}`;
    }
    return json(200, nextLink ? { value, nextLink } : { value });
  }

  private subscriptions(): ArmResource[] {
    return this.o.store.ofType('Microsoft.Resources/subscriptions').map((s) => this.subscriptionView(s));
  }

  private subscriptionView(s: ArmResource): ArmResource {
    const { name: _name, type: _type, etag: _etag, properties: _p, ...rest } = s;
    return rest as ArmResource;
  }

  private tenants(tenantId: string): Reply {
    const ids = new Set([tenantId, ...this.o.store.ofType('Microsoft.Resources/subscriptions').map((s) => String(s.tenantId))]);
    return json(200, {
      value: [...ids].map((t) => ({ id: `/tenants/${t}`, tenantId: t, tenantCategory: 'Home', displayName: 'private-wire emulator', defaultDomain: 'emulator.onmicrosoft.com', domains: ['emulator.onmicrosoft.com'], tenantType: 'AAD' })),
    });
  }

  private resourceGroup(ctx: RequestContext, id: string, name: string): Reply {
    const existing = this.o.store.get(id);
    switch (ctx.method) {
      case 'GET':
        if (!existing) throw groupNotFound(name);
        return json(200, existing);
      case 'HEAD':
        return json(existing ? 204 : 404);
      case 'PUT': {
        const body = parseJson(ctx.body) as { location?: string; tags?: Record<string, string> } | undefined;
        if (!body?.location) throw badRequest('LocationRequired', 'The location property is required for this definition.');
        if (existing && existing.location?.toLowerCase() !== body.location.toLowerCase()) {
          throw new ArmError(409, 'InvalidResourceGroupLocation', `Invalid resource group location '${body.location}'. The Resource group already exists in location '${existing.location}' in resource group '${existing.name}'. A resource group can be created only in one location.`);
        }
        const stored = this.o.store.put({
          id: existing?.id ?? id,
          name: existing?.name ?? name,
          type: 'Microsoft.Resources/resourceGroups',
          location: body.location,
          ...(body.tags ? { tags: body.tags } : {}),
          properties: { provisioningState: 'Succeeded' },
        });
        const { etag: _e, ...out } = stored;
        return json(existing ? 200 : 201, out);
      }
      case 'DELETE': {
        if (!existing) throw groupNotFound(name);
        this.deleteTree(existing.id);
        return json(200);
      }
      default:
        return this.methodNotAllowed(ctx);
    }
  }

  /**
   * `GET /metadata/endpoints?api-version=2015-01-01`, anonymous, in the shape Azure Stack Hub
   * documents (https://learn.microsoft.com/azure-stack/user/azure-stack-rest-api-use) and its
   * clients read (microsoft/azure-pipelines-tasks-common-packages azure-arm-rest/azure-arm-endpoint.ts
   * `_updateAzureStackData`, Azure/msrestazure-for-python msrestazure/azure_cloud.py):
   * `authentication.loginEndpoint` is the authority, `authentication.audiences[0]` ARM's token
   * audience. azure-rest-api-specs has no schema for it. Public ARM answers newer api-versions in
   * another shape, which the stand-in does not serve: it refuses them rather than answer wrongly.
   */
  private metadata(ctx: RequestContext, apiVersion: string): Reply {
    if (apiVersion !== '2015-01-01') {
      throw new ArmError(400, 'InvalidApiVersionParameter', `The api-version '${apiVersion}' is invalid. The supported versions are '2015-01-01'.`);
    }
    const signIn = this.o.signIn?.(ctx.base) ?? { loginEndpoint: `${ctx.base}/`, audiences: [`${ctx.base}/`, 'https://management.azure.com/'] };
    return json(200, {
      galleryEndpoint: `${ctx.base}/`,
      graphEndpoint: signIn.graphEndpoint ?? 'https://graph.windows.net/',
      portalEndpoint: `${ctx.base}/`,
      authentication: { loginEndpoint: signIn.loginEndpoint, audiences: signIn.audiences },
    });
  }
}

/** A plain resource from a PUT body: ARM PUT replaces, keeping only what the caller sent. */
export function defaultResource(r: ArmRequest, existing: ArmResource | undefined): ArmResource {
  const b = r.body ?? {};
  const out: ArmResource = {
    id: existing?.id ?? r.id,
    name: existing?.name ?? r.name,
    type: existing?.type ?? r.type,
    properties: { ...(b.properties as Record<string, unknown> | undefined) },
  };
  const location = (b.location as string | undefined) ?? existing?.location;
  if (location) out.location = location;
  for (const k of ['tags', 'sku', 'kind', 'identity', 'extendedLocation'] as const) if (b[k] !== undefined) (out as Record<string, unknown>)[k] = b[k];
  return out;
}

function withState(r: ArmResource, state: string, onlyIfProperties = false): ArmResource {
  if (onlyIfProperties && !r.properties) return r;
  return { ...r, properties: { ...r.properties, provisioningState: state } };
}
