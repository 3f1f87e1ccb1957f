import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import type { StepDeadline } from '../engine/deadline';

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

/** Client options (SDK clients and @azure/identity credentials alike) that add the policy above. */
export function boundedRequests(deadline: StepDeadline) {
  return { additionalPolicies: [{ policy: requestLimitPolicy(deadline), position: 'perRetry' as const }] };
}
