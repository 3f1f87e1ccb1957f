// The endpoint's one connection as ARM shows it, and what its state means for the step.
import type { PrivateEndpoint, PrivateLinkServiceConnection } from '@azure/arm-network';
import { UserError } from '@private-wire/shared/errors';

export interface EndpointConnection {
  connection?: PrivateLinkServiceConnection;
  manual: boolean;
  /** Pending, Approved, Rejected, Disconnected (as the provider set it). */
  status: string;
  /** The provider's message with its decision. */
  description: string;
  nicId?: string;
}

/**
 * The connection of an endpoint: automatic ones are in `privateLinkServiceConnections`, manual ones
 * in `manualPrivateLinkServiceConnections` (azure-rest-api-specs network stable/2025-05-01
 * privateEndpoint.json PrivateEndpointProperties); its state is the provider's
 * (`privateLinkServiceConnectionState`, read-only there).
 */
export function endpointConnection(pe: PrivateEndpoint): EndpointConnection {
  const auto = pe.privateLinkServiceConnections ?? [];
  const manual = pe.manualPrivateLinkServiceConnections ?? [];
  const connection = auto[0] ?? manual[0];
  const state = connection?.privateLinkServiceConnectionState;
  return { connection, manual: auto.length === 0 && manual.length > 0, status: state?.status ?? '', description: state?.description ?? '', nicId: pe.networkInterfaces?.[0]?.id };
}

/** Whether the step can still end well (Pending may turn Approved), and the failure when not. */
export function stateProblem(c: Pick<EndpointConnection, 'status' | 'description'>, endpoint: string): UserError | undefined {
  const said = c.description ? `: "${c.description}"` : ' (without a message)';
  if (/^rejected$/i.test(c.status)) {
    return new UserError(`The provider rejected private endpoint ${endpoint}'s connection${said}.`, 'Ask the provider why; a new request needs the endpoint deleted first (a rejected connection cannot be asked again).');
  }
  if (/^disconnected$/i.test(c.status)) {
    return new UserError(`Private endpoint ${endpoint} is Disconnected from its target${said}.`, 'The provider removed the connection or the target: delete the endpoint and run the step again to request a new one.');
  }
  return undefined;
}

export const isPending = (status: string) => /^pending$/i.test(status);
