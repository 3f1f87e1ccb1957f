import type { PrivateEndpoint } from '@azure/arm-network';
import { UserError } from '@private-wire/shared/errors';
import { defineStep, type StepContext } from '@private-wire/shared/engine/step';
import type { Change } from '@private-wire/shared/engine/plan';
import { signInToAzure } from '@private-wire/shared/azure/credential';
import { formatResourceId } from '@private-wire/shared/azure/resource-id';
import { endpointConnection, isPending, stateProblem } from './connection-state';
import { pointRecordAt, readRecord, readZoneLinks, type RecordTarget } from './dns-io';
import { recordChange } from './dns-record';
import { checkVisibility, createEndpoint, networkClient, readEndpoint, readNicIp, readVnet, type EndpointWorld } from './endpoint-io';
import { createPrivateEndpointMetadata } from './metadata';
import { endpointSettings, type EndpointSettings } from './settings';
import { describeTarget, sameTarget } from './target';

/** How often a Pending connection is read again while waiting for the provider. */
const APPROVAL_POLL_MS = 2000;

export const step = defineStep({
  metadata: createPrivateEndpointMetadata,
  settings: (inputs, ctx) => endpointSettings(inputs, ctx.host),

  async plan(s, ctx) {
    // Every check below only reads; the first write happens in an apply.
    const world = await readWorld(s, ctx);
    const existing = await readEndpoint(world, s);
    if (existing) checkExisting(existing, s, world);
    const record = s.dns ? await recordTarget(s, world, ctx) : undefined;
    const changes: Change[] = [endpointChange(s, world, existing, ctx)];
    let outputs: Record<string, string> = { 'private-endpoint-id': world.endpointId };
    if (existing) {
      const c = endpointConnection(existing);
      const ip = await readNicIp(world, c.nicId);
      outputs = { ...outputs, ip, status: c.status };
      if (record) changes.push(await recordChangeFor(record, ip));
    } else if (record) {
      changes.push(await newEndpointRecordChange(record, s, world));
    }
    return { changes, outputs, state: world };
  },

  async finish(s, ctx, world) {
    if (ctx.dryRun) return {};
    const pe = await settled(world, s, ctx);
    const c = endpointConnection(pe);
    return { 'private-endpoint-id': world.endpointId, ip: await readNicIp(world, c.nicId), status: c.status };
  },
});

/** Signs in, reads the VNet and subnet, and (for an alias) checks that the service is visible. */
async function readWorld(s: EndpointSettings, ctx: StepContext): Promise<EndpointWorld> {
  const session = await signInToAzure(ctx.host, s.azure, ctx.deadline);
  const abortSignal = ctx.deadline.signal;
  const { vnetId, vnet, subnetId } = await readVnet(s, session, abortSignal);
  const endpointId = `/subscriptions/${session.subscriptionId}/resourceGroups/${s.resourceGroup}/providers/Microsoft.Network/privateEndpoints/${s.name}`;
  const world: EndpointWorld = { session, network: networkClient(session, session.subscriptionId), vnetId, vnet, subnetId, location: vnet.location ?? '', endpointId, abortSignal };
  if (s.target.kind === 'alias') await checkVisibility(world, s.target.alias, s);
  return world;
}

/** An endpoint of that name must be the one asked for: never replaced, never re-pointed. */
function checkExisting(pe: PrivateEndpoint, s: EndpointSettings, w: EndpointWorld): void {
  const c = endpointConnection(pe);
  if (!c.connection || !sameTarget(s.target, s.groupId, c.connection)) {
    const now = c.connection ? `${c.connection.privateLinkServiceId ?? '(none)'}${c.connection.groupIds?.length ? ` (${c.connection.groupIds.join(', ')})` : ''}` : 'nothing';
    throw new UserError(
      `Private endpoint '${s.name}' in resource group '${s.resourceGroup}' already exists and connects to ${now}, not to ${describeTarget(s.target)}${s.groupId ? ` (${s.groupId})` : ''}.`,
      `This step never replaces an endpoint: choose another '${s.names.name}', or delete ${w.endpointId} first if it is no longer used.`,
    );
  }
  if (!sameSubnet(pe.subnet?.id, w.subnetId)) {
    throw new UserError(`Private endpoint '${s.name}' already exists in subnet ${pe.subnet?.id}, not in ${w.subnetId}.`, `An endpoint cannot move: set '${s.names.vnet}' and '${s.names.subnet}' to its subnet, or choose another '${s.names.name}'.`);
  }
  const problem = stateProblem(c, w.endpointId);
  if (problem) throw problem;
}

const sameSubnet = (a: string | undefined, b: string) => (a ?? '').toLowerCase() === b.toLowerCase();

function endpointChange(s: EndpointSettings, w: EndpointWorld, existing: PrivateEndpoint | undefined, ctx: StepContext): Change {
  const resource = `private endpoint ${s.resourceGroup}/${s.name}`;
  if (existing) {
    const c = endpointConnection(existing);
    if (c.manual !== (s.approval === 'manual')) ctx.warn(`Private endpoint '${s.name}' was requested ${c.manual ? 'manually' : 'with automatic approval'}; '${s.names.approval}' is ignored for an existing endpoint.`);
    return { resource, action: 'none', detail: `connects to ${describeTarget(s.target)}; connection ${c.status || 'in an unknown state'}`, before: c.status };
  }
  const how = s.approval === 'manual' ? 'a manual request the provider approves' : 'automatically approved';
  return {
    resource,
    action: 'create',
    detail: `connect subnet ${w.vnet.name}/${s.subnet} to ${describeTarget(s.target)}${s.groupId ? ` (${s.groupId})` : ''}, ${how}`,
    after: s.approval === 'manual' ? 'Pending' : 'Approved',
    apply: () => create(s, w, ctx),
  };
}

/** Creates the endpoint; if one of that name appeared meanwhile, it is checked as the plan would have. */
async function create(s: EndpointSettings, w: EndpointWorld, ctx: StepContext): Promise<void> {
  if (await createEndpoint(w, s)) return;
  const now = await readEndpoint(w, s);
  if (!now) throw new UserError(`Private endpoint '${s.name}' could not be created and does not exist.`, 'Re-run the step.');
  checkExisting(now, s, w);
  ctx.warn(`Private endpoint '${s.name}' was created by someone else while this step ran; it connects to the same target and is used as it is.`);
}

/**
 * The endpoint once it is settled: read again; Rejected/Disconnected fail with the provider's
 * message; with wait-for-approval, a Pending connection is read again until it is decided or
 * the step's time is up.
 */
async function settled(w: EndpointWorld, s: EndpointSettings, ctx: StepContext): Promise<PrivateEndpoint> {
  const endsAt = ctx.deadline.waitEndsAt();
  for (;;) {
    const pe = await readEndpoint(w, s);
    if (!pe) throw new UserError(`Private endpoint ${w.endpointId} disappeared while this step ran.`, 'Someone deleted it: re-run the step to request it again.');
    const c = endpointConnection(pe);
    const problem = stateProblem(c, w.endpointId);
    if (problem) throw problem;
    if (!s.waitForApproval || !isPending(c.status)) return pe;
    if (Date.now() + APPROVAL_POLL_MS > endsAt) {
      throw new UserError(
        `Private endpoint ${w.endpointId} is still Pending: the provider has not approved it within '${s.names.timeout}'.`,
        `Ask the provider to approve the request (it shows with the message "${s.requestMessage}"), then re-run the step; or raise '${s.names.timeout}'.`,
      );
    }
    ctx.host.info(`Connection of ${s.name} is Pending; waiting for the provider's approval.`);
    await new Promise((resolve) => setTimeout(resolve, APPROVAL_POLL_MS));
  }
}

async function recordTarget(s: EndpointSettings, w: EndpointWorld, ctx: StepContext): Promise<RecordTarget> {
  const zone = s.dns!.zone(w.session.subscriptionId);
  const record: RecordTarget = { session: w.session, zone, record: s.dns!.record, label: `${s.dns!.record}.${zone.names[0]}`, zoneInput: s.names.dnsZone };
  const links = await readZoneLinks(record);
  const vnetId = formatResourceId(w.vnetId).toLowerCase();
  if (!links.some((l) => l.toLowerCase() === vnetId)) {
    ctx.warn(`Private DNS zone ${zone.names[0]} is not linked to virtual network ${w.vnet.name}: the record is written, but resolves only in VNets linked to the zone (add a virtual network link).`);
  }
  return record;
}

async function recordChangeFor(t: RecordTarget, ip: string): Promise<Change> {
  const resource = `A record ${t.label}`;
  const change = recordChange(await readRecord(t), ip);
  if (change.action === 'none') return { resource, action: 'none', detail: "points at the endpoint's IP", before: ip };
  const write = () => pointRecordAt(t, ip);
  if (change.action === 'create') return { resource, action: 'create', detail: "point it at the endpoint's IP", after: ip, apply: write };
  return { resource, action: 'update', detail: "point it at the endpoint's IP (only this record)", before: change.before, after: ip, apply: write };
}

/** The record for an endpoint still to be created: its IP is read from the new NIC, then written only if different. */
async function newEndpointRecordChange(t: RecordTarget, s: EndpointSettings, w: EndpointWorld): Promise<Change> {
  const current = await readRecord(t);
  const apply = async () => {
    const pe = await readEndpoint(w, s);
    await pointRecordAt(t, await readNicIp(w, pe && endpointConnection(pe).nicId));
  };
  return { resource: `A record ${t.label}`, action: current ? 'update' : 'create', detail: "point it at the new endpoint's IP (written only if different)", before: current?.addresses.join(', '), after: "the new endpoint's IP", apply };
}
