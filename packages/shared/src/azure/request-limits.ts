import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import type { StepDeadline } from '../engine/deadline';
import { proxyRoutes } from '../net/proxy-routes';

/**
 * Bounds every attempt of every ARM and Entra ID request: at most REQUEST_TIMEOUT_MS and never past
 * the step's deadline (core-rest-pipeline aborts a request at `request.timeout` or when its
 * `abortSignal` fires). Added per retry, so each attempt gets the time that is left.
 */
function requestLimitPolicy(deadline: StepDeadline): PipelinePolicy {
  return {
    name: 'privateWireRequestLimit',
    sendRequest(request, next) {
      request.timeout = deadline.requestTimeoutMs();
      // The pipeline types the signal as AbortSignalLike; the SDKs pass real AbortSignals.
      request.abortSignal = request.abortSignal ? AbortSignal.any([request.abortSignal as AbortSignal, deadline.signal]) : deadline.signal;
      return next(request);
    },
  };
}

/**
 * Sends every attempt the way the process's proxy decision says (net/proxy.ts), in place of
 * core-rest-pipeline's own reading of HTTPS_PROXY/NO_PROXY. Its proxyPolicy runs earlier in the
 * pipeline (createPipelineFromOptions adds it before any policy a client adds) and only sets
 * `request.agent`, which the Node HTTP client uses when set (ts-http-runtime nodeHttpClient:
 * `request.agent ?? this.getOrCreateAgent(...)`); so this policy's agent, or none for a direct
 * connection, is the one used. Per retry, so a redirect to another host is decided again.
 */
function proxyRoutingPolicy(): PipelinePolicy {
  return {
    name: 'privateWireProxyRouting',
    sendRequest(request, next) {
      request.agent = proxyRoutes().agentFor(request.url);
      return next(request);
    },
  };
}

/** Client options (SDK clients and @azure/identity credentials alike) that add the policies above. */
export function boundedRequests(deadline: StepDeadline) {
  return {
    additionalPolicies: [
      { policy: requestLimitPolicy(deadline), position: 'perRetry' as const },
      { policy: proxyRoutingPolicy(), position: 'perRetry' as const },
    ],
  };
}
