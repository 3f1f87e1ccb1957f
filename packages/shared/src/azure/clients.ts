import type { AzureSession } from './credential';
import { boundedRequests } from './request-limits';

/**
 * Options for every ARM SDK client: the session's ARM endpoint and token scope. Classic clients
 * (arm-network) read `endpoint` + `credentialScopes`; generated modular ones read `credentials.scopes`.
 */
export function armClientOptions(session: AzureSession) {
  const endpoint = session.environment.resourceManagerEndpoint.replace(/\/$/, '');
  const scopes = [session.environment.armScope];
  return {
    endpoint,
    credentialScopes: scopes,
    credentials: { scopes },
    userAgentOptions: { userAgentPrefix: 'private-wire' },
    ...boundedRequests(session.deadline),
  };
}
