// Private DNS zones and their A record sets, as azure-rest-api-specs specification/privatedns/
// resource-manager/Microsoft.Network/stable/2024-06-01/privatedns.json defines them:
// - PrivateZones_CreateOrUpdate is long-running (200/201/202) and honours If-Match/If-None-Match;
//   a zone's location is `global` (examples/PrivateZonePut.json).
// - RecordSets_CreateOrUpdate `privateDnsZones/{zone}/{recordType}/{relativeRecordSetName}` answers
//   200 (updated) or 201 (created) at once, with If-Match (the record set's etag) and
//   If-None-Match (`*`: create only); a RecordSet has `etag`, `properties.ttl`, `properties.fqdn`
//   (`<name>.<zone>.`), `isAutoRegistered` and, for A, `aRecords[].ipv4Address`
//   (examples/RecordSetAPut.json), and no provisioningState.
// - virtualNetworkLinks are long-running children of the zone.
// Records can be written without a link: a link only decides which VNets resolve the zone ("To
// resolve the records of a private DNS zone from your virtual network, you must link the virtual
// network with the zone", MicrosoftDocs/azure-docs articles/dns/private-dns-virtual-network-links.md).
import { badRequest } from './errors';
import { defaultResource } from './service';
import type { ArmResource } from './store';
import type { TypeHandler } from './types';

type Props = Record<string, unknown>;
const ZONE = 'Microsoft.Network/privateDnsZones';
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export const privateDnsZones: TypeHandler = {
  type: ZONE,
  asyncPut: true,
  asyncDelete: true,
  etag: true,
  put(_env, r, existing) {
    const resource = defaultResource(r, existing);
    resource.location = 'global';
    resource.properties = { ...resource.properties, numberOfRecordSets: 1, maxNumberOfRecordSets: 25000, numberOfVirtualNetworkLinks: 0 };
    return { resource };
  },
};

/** A record sets of a zone: stored as sent, checked for IPv4 addresses (no source for the error code; ours). */
export const privateDnsARecords: TypeHandler = {
  type: `${ZONE}/A`,
  etag: true,
  noProvisioningState: true,
  put(_env, r, existing) {
    const p = (r.body?.properties ?? {}) as Props;
    const records = Array.isArray(p.aRecords) ? (p.aRecords as Props[]) : [];
    for (const a of records) {
      if (!IPV4.test(String(a.ipv4Address ?? ''))) throw badRequest('BadRequest', `The A record address '${String(a.ipv4Address ?? '')}' is not a valid IPv4 address.`);
    }
    const zone = r.parentId.split('/').pop()!;
    const name = existing?.name ?? r.name.toLowerCase();
    const resource: ArmResource = {
      id: existing?.id ?? `${r.parentId}/A/${name}`,
      name,
      type: `${ZONE}/A`,
      properties: { ...(p.metadata ? { metadata: p.metadata } : {}), ...(p.ttl !== undefined ? { ttl: p.ttl } : {}), fqdn: `${name}.${zone}.`, isAutoRegistered: false, aRecords: records.map((a) => ({ ipv4Address: a.ipv4Address })) },
    };
    return { resource };
  },
};

export const privateDnsVirtualNetworkLinks: TypeHandler = {
  type: `${ZONE}/virtualNetworkLinks`,
  asyncPut: true,
  asyncDelete: true,
  etag: true,
  put(_env, r, existing) {
    const resource = defaultResource(r, existing);
    resource.location = 'global';
    return { resource };
  },
};
