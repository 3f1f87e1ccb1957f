// The A record in a private DNS zone, over the shared raw ARM client (no private DNS SDK is
// bundled): RecordSets_Get / RecordSets_CreateOrUpdate `privateDnsZones/{zone}/A/{name}` at
// api-version 2024-06-01 (azure-rest-api-specs specification/privatedns/resource-manager/
// Microsoft.Network/stable/2024-06-01/privatedns.json). The PUT answers 200/201 at once and takes
// If-Match (the record set's etag) and If-None-Match (`*`: create only); a conflict is 412.
import { UserError } from '@private-wire/shared/errors';
import type { AzureSession } from '@private-wire/shared/azure/credential';
import { armErrorOf, isNotFound, translateArmError } from '@private-wire/shared/azure/errors';
import { formatResourceId, type ResourceId } from '@private-wire/shared/azure/resource-id';
import { RawArm } from '@private-wire/shared/azure/raw-arm';
import { recordChange, type ARecordSet } from './dns-record';

export const PRIVATE_DNS_API_VERSION = '2024-06-01';
/** TTL of a record this step creates. Ours: no source prescribes one; short, so a new IP is seen within minutes. */
const NEW_RECORD_TTL = 300;
const ATTEMPTS = 3;

export interface RecordTarget {
  session: AzureSession;
  zone: ResourceId;
  record: string;
  /** For messages. */
  label: string;
  zoneInput: string;
}

const raw = (t: RecordTarget) => new RawArm(t.session, t.zone.subscriptionId);
const recordPath = (t: RecordTarget) => `${formatResourceId(t.zone)}/A/${t.record}`;

/** The zone must exist; returns the VNets linked to it (records resolve only there). */
export async function readZoneLinks(t: RecordTarget): Promise<string[]> {
  const zonePath = formatResourceId(t.zone);
  try {
    await raw(t).get(zonePath, PRIVATE_DNS_API_VERSION);
    const links = (await raw(t).get(`${zonePath}/virtualNetworkLinks`, PRIVATE_DNS_API_VERSION)) as { value?: { properties?: { virtualNetwork?: { id?: string } } }[] };
    return (links.value ?? []).map((l) => l.properties?.virtualNetwork?.id ?? '').filter(Boolean);
  } catch (error) {
    if (isNotFound(error)) {
      throw new UserError(`Input '${t.zoneInput}' is '${t.zone.names[0]}', but resource group '${t.zone.resourceGroup}' has no private DNS zone of that name.`, `Create the zone first, or check '${t.zoneInput}' and its resource group.`);
    }
    throw translateArmError(error, { what: `reading private DNS zone ${t.zone.names[0]}`, identity: t.session.method });
  }
}

export async function readRecord(t: RecordTarget): Promise<ARecordSet | undefined> {
  try {
    const r = (await raw(t).get(recordPath(t), PRIVATE_DNS_API_VERSION)) as { etag?: string; properties?: { ttl?: number; metadata?: Record<string, string>; aRecords?: { ipv4Address?: string }[] } };
    return { etag: r.etag, ttl: r.properties?.ttl, metadata: r.properties?.metadata, addresses: (r.properties?.aRecords ?? []).map((a) => a.ipv4Address ?? '') };
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw translateArmError(error, { what: `reading A record ${t.label}`, identity: t.session.method });
  }
}

/**
 * Points the record at `ip` when it does not already: created with If-None-Match: *, updated with
 * If-Match: its etag (keeping its TTL and metadata; a PUT replaces the record set). A 412 means
 * someone changed it between our read and our write: read again and decide again.
 */
export async function pointRecordAt(t: RecordTarget, ip: string): Promise<void> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const current = await readRecord(t);
    const change = recordChange(current, ip);
    if (change.action === 'none') return;
    const properties = { ...(current?.metadata ? { metadata: current.metadata } : {}), ttl: current?.ttl ?? NEW_RECORD_TTL, aRecords: [{ ipv4Address: ip }] };
    const headers: Record<string, string> = change.action === 'create' ? { 'If-None-Match': '*' } : { 'If-Match': change.etag ?? '*' };
    try {
      await raw(t).put(recordPath(t), PRIVATE_DNS_API_VERSION, { properties }, headers);
      return;
    } catch (error) {
      if (armErrorOf(error).status !== 412) throw translateArmError(error, { what: `writing A record ${t.label}`, identity: t.session.method });
    }
  }
  throw new UserError(`A record ${t.label} kept changing while this step tried to write it (${ATTEMPTS} attempts).`, 'Something else is writing it right now: re-run when that is done.');
}
