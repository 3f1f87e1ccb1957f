import { randomUUID } from 'node:crypto';
import { json, type Reply } from '../http';

/**
 * An Entra ID (AADSTS) error in the body shape login.microsoftonline.com uses, which MSAL
 * (Node and Python) parse: `error`, `error_description` starting with the AADSTS code,
 * `error_codes`, trace/correlation ids and timestamp.
 */
export function aadError(status: number, error: string, code: number, message: string): Reply {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  return json(status, {
    error,
    error_description: `AADSTS${code}: ${message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
  });
}
