import { UserError, errorMessage } from '../errors';
import type { ClusterConnection } from './connection';

interface KubeErrorLike {
  code?: number | string;
  body?: unknown;
  message?: string;
  cause?: { code?: string };
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ECONNRESET', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

function statusOf(error: KubeErrorLike): { code?: number; message?: string; reason?: string } {
  const code = typeof error.code === 'number' ? error.code : undefined;
  let body = error.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      /* not JSON */
    }
  }
  const status = body as { message?: string; reason?: string; code?: number } | undefined;
  return { code: code ?? status?.code, message: status?.message, reason: status?.reason };
}

/** The HTTP status of a Kubernetes API error, if it is one. */
export function kubeStatusCode(error: unknown): number | undefined {
  return statusOf(error as KubeErrorLike).code;
}

/** The object a read returns, or undefined when the API server says it does not exist (404). */
export async function readIfExists<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (kubeStatusCode(error) === 404) return undefined;
    throw error;
  }
}

/** An aborted request: the per-request timeout or the step's deadline fired before an answer. */
function isAbort(error: unknown): boolean {
  const e = error as { name?: string; type?: string };
  return e?.name === 'AbortError' || e?.type === 'aborted' || e?.type === 'request-timeout' || /network timeout|operation was aborted/i.test(errorMessage(error));
}

/**
 * Turns a Kubernetes API failure into what the user must change: an unreachable API server
 * (authorized IP ranges, private clusters), a request that got no answer in time, a rejected or
 * expired credential, a denied verb, or the API server's own refusal in its own words (never the
 * client's raw `HTTP-Code: … Headers: …` dump).
 */
export function translateKubeError(error: unknown, connection: Pick<ClusterConnection, 'server' | 'source' | 'identity' | 'unreachableHint'>, what: string): Error {
  if (error instanceof UserError) return error;
  const e = error as KubeErrorLike;
  const netCode = (e.cause?.code ?? (typeof e.code === 'string' ? e.code : undefined)) as string | undefined;
  const text = errorMessage(error);
  // A firewall in front of the API server (authorized IP ranges) drops connections, which time out;
  // a private cluster's name does not resolve or its address is unreachable: both get the diagnosis.
  if (isAbort(error)) {
    return new UserError(
      `The Kubernetes API server at ${connection.server} did not answer in time while ${what}.`,
      `It may be overloaded, or unreachable from this runner: ${connection.unreachableHint()} Raise 'timeout' if it is just slow.`,
    );
  }
  if ((netCode && UNREACHABLE.has(netCode)) || /ECONNREFUSED|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH|ECONNRESET|socket hang up/.test(text)) {
    return new UserError(
      `The Kubernetes API server at ${connection.server} cannot be reached while ${what} (${netCode ?? text}).`,
      connection.unreachableHint(),
    );
  }
  const status = statusOf(e);
  if (status.code === 401) {
    return new UserError(
      `The Kubernetes API server rejected the credentials from ${connection.source} while ${what} (401 Unauthorized).`,
      'The token or certificate is invalid or expired: fetch fresh credentials (e.g. re-run azure/aks-set-context) or give a new kubeconfig.',
    );
  }
  if (status.code === 403) {
    return new UserError(
      `${connection.identity} is not allowed to do this on the cluster while ${what}: ${status.message ?? 'Forbidden'}.`,
      'Grant it a Kubernetes role (or an Azure RBAC for Kubernetes role) that allows this verb on this resource, or use admin credentials.',
    );
  }
  if (status.code !== undefined) {
    const busy = status.code === 429 || status.code >= 500;
    return new UserError(
      `The Kubernetes API server answered ${status.code}${status.reason ? ` ${status.reason}` : ''} while ${what}${status.message ? `: ${status.message}` : ''}.`,
      busy ? 'It is overloaded or failing and kept answering so after retries: re-run later, and check the control plane\'s health.' : 'Check the resource and the inputs named above.',
    );
  }
  return error instanceof Error ? error : new Error(text);
}
