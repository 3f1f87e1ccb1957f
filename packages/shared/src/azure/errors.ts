import { UserError, errorMessage } from '../errors';

interface ArmErrorLike {
  statusCode?: number;
  code?: string;
  message?: string;
  details?: { error?: { code?: string; message?: string } };
}

/** The ARM error code and message of an SDK error (RestError), if it is one. */
export function armErrorOf(error: unknown): { status?: number; code?: string; message: string } {
  const e = error as ArmErrorLike;
  const code = e?.details?.error?.code ?? e?.code;
  const message = e?.details?.error?.message ?? e?.message ?? errorMessage(error);
  return { status: e?.statusCode, code, message };
}

/** A request aborted by its timeout or the step's deadline (core-rest-pipeline's AbortError). */
export function isAborted(error: unknown): boolean {
  return (error as { name?: string })?.name === 'AbortError';
}

export function isNotFound(error: unknown): boolean {
  return armErrorOf(error).status === 404;
}

/**
 * Turns an ARM failure into what the user must change: what we were doing, as whom, ARM's own
 * code and message, and a hint (per error code when the caller knows one).
 */
export function translateArmError(
  error: unknown,
  context: { what: string; identity: string; hints?: Record<string, string | undefined> },
): Error {
  if (error instanceof UserError) return error;
  if (isAborted(error)) {
    return new UserError(`Azure did not answer in time while ${context.what}.`, "ARM or the network is slow or unreachable from this runner; raise 'timeout' if it is just slow.");
  }
  const { status, code, message } = armErrorOf(error);
  if (status === undefined && !code) return error instanceof Error ? error : new Error(String(error));
  const hint =
    (code && context.hints?.[code]) ??
    (status === 401
      ? 'The sign-in was not accepted by ARM: check the tenant and that the identity exists.'
      : status === 403
        ? `Grant ${context.identity} a role that allows this on the resource (or its resource group).`
        : status === 404
          ? 'Check the resource name, resource group and subscription.'
          : status === 429
            ? 'ARM is throttling requests: re-run later.'
            : undefined);
  return new UserError(`Azure refused ${context.what}${code ? ` (${code})` : ''}: ${message}`, hint);
}
