// The optional A record for the endpoint's IP in a private DNS zone: input rules and what to write.
import { UserError } from '@private-wire/shared/errors';

const LABEL = /^(?!-)[A-Za-z0-9_-]{1,63}(?<!-)$/;

/** A private DNS zone name: two or more labels, at most 253 characters, no trailing dot. */
export function checkZoneName(zone: string, input: string): void {
  const labels = zone.split('.');
  if (zone.length > 253 || labels.length < 2 || !labels.every((l) => LABEL.test(l))) {
    throw new UserError(
      `Input '${input}' is '${zone}', which is not a private DNS zone name.`,
      "Give the zone's name as Azure shows it (e.g. privatelink.contoso.internal, without a trailing dot), or its resource ID.",
    );
  }
}

/** A record set name relative to the zone: `@` (the apex) or one or more labels. */
export function checkRecordName(name: string, input: string): void {
  if (name === '@') return;
  if (name.length > 253 || !name.split('.').every((l) => LABEL.test(l) || l === '*')) {
    throw new UserError(`Input '${input}' is '${name}', which is not a DNS record name.`, "Give a name relative to the zone, e.g. 'api' for api.<zone>, or '@' for the zone itself.");
  }
}

/** An A record set as read: its etag (for If-Match) and addresses. */
export interface ARecordSet {
  etag?: string;
  ttl?: number;
  addresses: string[];
  metadata?: Record<string, string>;
}

export type RecordChange = { action: 'none' } | { action: 'create' } | { action: 'update'; before: string; etag?: string };

/**
 * What the record needs so that it resolves to `ip` and nothing else: nothing when it already does;
 * a create (If-None-Match: *) when it is missing; otherwise an update conditioned on its etag.
 */
export function recordChange(current: ARecordSet | undefined, ip: string): RecordChange {
  if (!current) return { action: 'create' };
  if (current.addresses.length === 1 && current.addresses[0] === ip) return { action: 'none' };
  return { action: 'update', before: current.addresses.join(', ') || '(no address)', etag: current.etag };
}
