import type { Reply, RequestContext } from '../http';
import type { ArmResource, ArmStore } from './store';
import type { Operations } from './lro';
import type { RunCommands } from './run-command';

/** A Kubernetes API endpoint that AKS credentials point at (provided by the kube stand-in). */
export interface KubeEndpoint {
  server: string;
  caPem: string;
  /** Static token of the cluster admin (admin kubeconfig, local accounts). */
  adminToken: string;
  /** Static token for the non-AAD user kubeconfig; defaults to adminToken. */
  userToken?: string;
  clientCertPem?: string;
  clientKeyPem?: string;
  /** The API server as pods inside the cluster reach it (where the run command's kubectl goes). */
  inClusterServer?: string;
}

export interface ArmEnv {
  store: ArmStore;
  ops: Operations;
  /** Kube endpoint for a cluster, when the kube stand-in is plugged in. */
  kube: (cluster: ArmResource) => KubeEndpoint | undefined;
  /** Tenant of the caller's token. */
  defaultTenantId: string;
  /** How long an update of an existing managed cluster takes (ms); the default operation delay when undefined. */
  clusterUpdateDelayMs?: number;
  /** AKS run command's submitted commands (run-command.ts). */
  runCommands: RunCommands;
}

/** One ARM request for a resource (or a collection/action below one). */
export interface ArmRequest {
  ctx: RequestContext;
  method: string;
  /** Canonical id of the addressed resource (for collections: of the parent). */
  id: string;
  /** Full type, e.g. Microsoft.Network/virtualNetworks/subnets. */
  type: string;
  name: string;
  parentId: string;
  subscriptionId: string;
  resourceGroup: string;
  apiVersion: string;
  body: Record<string, unknown> | undefined;
  /** The body as the client sent it (for a PATCH, `body` is it merged into the stored resource). */
  sent?: Record<string, unknown>;
  /** Caller's token claims (tid/oid/appid). */
  caller: { tenantId: string; objectId: string };
}

export interface PutResult {
  resource: ArmResource;
  /** 200/201 by default from whether it existed. */
  status?: number;
  /** The handler already persisted it (views that write another resource). */
  stored?: boolean;
  /** Side effects once stored (e.g. a connection on a private link target). */
  after?: (stored: ArmResource) => void;
  /** Extra response headers (with `stored`), e.g. an operation's Azure-AsyncOperation and Location. */
  headers?: Record<string, string>;
  /** Answer without a body (with `stored`), as a 202 Accepted does. */
  bodiless?: boolean;
}

/**
 * Behaviour of one resource type. Everything is optional: the service falls back to a plain
 * stored resource (PUT replaces, GET reads, DELETE removes, list = children of that type).
 */
export interface TypeHandler {
  type: string;
  /** PUT (and PATCH when `patch` is absent but `patchMerges`) completes asynchronously with Azure-AsyncOperation. */
  asyncPut?: boolean;
  asyncDelete?: boolean;
  /** Resources without `properties.provisioningState` (e.g. app settings dictionaries). */
  noProvisioningState?: boolean;
  /** Honour If-Match / If-None-Match. */
  etag?: boolean;
  /** PATCH merges the body into the existing resource and goes through `put`. */
  patchMerges?: boolean;
  /** Child resources that may only be created by the platform (e.g. private endpoint connections). */
  noCreate?: boolean;
  get?(env: ArmEnv, r: ArmRequest): ArmResource | undefined;
  list?(env: ArmEnv, parentId: string, r: ArmRequest): ArmResource[] | unknown;
  put?(env: ArmEnv, r: ArmRequest, existing: ArmResource | undefined): PutResult;
  delete?(env: ArmEnv, r: ArmRequest, existing: ArmResource): void;
  /** POST actions by lower-cased name (e.g. `list`, `listclusterusercredential`). */
  actions?: Record<string, (env: ArmEnv, r: ArmRequest) => Reply>;
  /** `list` returns the response body as is (e.g. a bare JSON array, as some Web APIs do). */
  rawList?: boolean;
  /** Methods the type does not support (answered 405). */
  disallow?: string[];
  /** How long this PUT's operation takes (ms), when not the default (e.g. slow cluster updates). */
  operationDelayMs?(env: ArmEnv, existing: ArmResource | undefined): number | undefined;
  /** Answers a request to one resource itself, instead of the stored-resource default (undefined: the default). */
  reply?(env: ArmEnv, r: ArmRequest): Reply | undefined;
  /** Shape a stored resource for output (e.g. assemble child collections, or leave out what the api-version does not define). */
  view?(env: ArmEnv, resource: ArmResource, apiVersion: string): ArmResource;
}
