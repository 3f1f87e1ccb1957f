// Private endpoints as the consumer creates them through ARM, and what the network RP decides
// on the way: which Private Link Services an alias reaches (checkPrivateLinkServiceVisibility),
// whether the connection starts Pending or Approved, and the NIC that holds the endpoint's IP.
import { randomUUID } from 'node:crypto';
import { json, type Reply } from '../http';
import { ArmError, badRequest } from './errors';
import { nthAddress, parseCidr } from './cidr';
import { requireLocation, subnetPrefixes, PE } from './network';
import { createTargetConnection, findTarget, removeConnectionsOf } from './private-link';
import { defaultResource } from './service';
import type { ArmResource, ArmStore } from './store';
import type { ArmEnv, ArmRequest, TypeHandler } from './types';

type Props = Record<string, unknown>;
type Caller = ArmRequest['caller'];
const props = (r: ArmResource | undefined): Props => (r?.properties ?? {}) as Props;
const arr = <T = Props>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
const same = (a: unknown, b: unknown) => String(a).toLowerCase() === String(b).toLowerCase();

const PLS = 'Microsoft.Network/privateLinkServices';
const NIC = 'Microsoft.Network/networkInterfaces';
const DENY = 'Microsoft.Authorization/denyAssignments';

/**
 * The stand-in's RBAC, which has no role assignments: a caller may do everything in the
 * subscriptions of its own tenant, except what a deny assignment stored at or above the scope
 * withholds from it (shape of azure-rest-api-specs authorization DenyAssignment:
 * `properties.permissions[].actions`, `properties.principals[].id`; `*` in an action matches any
 * text, as in role definitions). A subscription of another tenant is out of reach, as ARM's
 * LinkedAuthorizationFailed "the current tenant ... is not authorized to access linked
 * subscription" says (Azure/OpenShift#41, ansible-collections/azure#973).
 */
export function mayAct(store: ArmStore, caller: Caller, scopeId: string, action: string): boolean {
  const subscription = store.get(`/subscriptions/${scopeId.split('/')[2] ?? ''}`);
  if (!subscription || !same(subscription.tenantId, caller.tenantId)) return false;
  const scope = scopeId.toLowerCase();
  return !store.ofType(DENY).some((d) => {
    const at = d.id.replace(/\/providers\/Microsoft\.Authorization\/denyAssignments\/[^/]+$/i, '').toLowerCase();
    if (scope !== at && !scope.startsWith(`${at}/`)) return false;
    const p = props(d);
    if (!arr(p.principals).some((x) => same(x.id, caller.objectId))) return false;
    return arr(p.permissions).some((perm) => arr<string>(perm.actions).some((a) => actionMatches(a, action)));
  });
}

const actionMatches = (pattern: string, action: string) =>
  new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\/]/g, '\\$&')).join('.*')}$`, 'i').test(action);

/**
 * The action a caller needs on the target to create an automatically approved connection:
 * `Microsoft.<Provider>/<resource_type>/privateEndpointConnectionsApproval/action`
 * (MicrosoftDocs/azure-docs articles/private-link/rbac-permissions.md, "Approval RBAC for private
 * endpoint"; the spelling with the "s" per MicrosoftDocs/azure-docs#77212).
 */
export const approvalAction = (target: ArmResource) => `${target.type}/privateEndpointConnectionsApproval/action`;

/**
 * Whether an alias's Private Link Service is visible to a subscription: its `visibility` lists the
 * subscription or `*`, or the caller has RBAC access to the service. "Service providers can choose
 * to limit the exposure to their service to subscriptions with role-based access control (RBAC)
 * permissions, a restricted set of subscriptions, or all Azure subscriptions"
 * (MicrosoftDocs/azure-docs articles/private-link/private-link-service-overview.md, "Visibility").
 */
export function visibleTo(store: ArmStore, pls: ArmResource, subscriptionId: string, caller: Caller): boolean {
  const listed = arr<string>((props(pls).visibility as Props | undefined)?.subscriptions);
  if (listed.some((s) => s === '*' || same(s, subscriptionId))) return true;
  return mayAct(store, caller, pls.id, `${PLS}/read`);
}

const isAlias = (value: string) => !value.startsWith('/');

/**
 * `POST /subscriptions/{s}/providers/Microsoft.Network/locations/{location}/checkPrivateLinkServiceVisibility`
 * with `{privateLinkServiceAlias}` answers `{visible}` (azure-rest-api-specs specification/network/
 * resource-manager/Microsoft.Network/Network/stable/2025-05-01/privateLinkService.json,
 * PrivateLinkServices_CheckPrivateLinkServiceVisibility: a long-running POST answering 200 with
 * PrivateLinkServiceVisibility or 202, final-state-via location). The stand-in answers 200 at once.
 * The spec does not say what an unknown alias gets: here `visible: false`, as for a hidden one.
 */
export const networkLocations: TypeHandler = {
  type: 'Microsoft.Network/locations',
  actions: {
    checkprivatelinkservicevisibility: (env: ArmEnv, r: ArmRequest): Reply => {
      const alias = String(r.body?.privateLinkServiceAlias ?? '');
      const pls = alias ? findTarget(env.store, alias) : undefined;
      return json(200, { visible: !!pls && pls.type === PLS && visibleTo(env.store, pls, r.subscriptionId, r.caller) });
    },
  },
};

/**
 * The target a connection names: a resource ID, or an alias the endpoint's subscription may see.
 * An alias it may not see is answered as a reference that does not exist (no source says which
 * error the network RP gives then).
 */
function targetOf(env: ArmEnv, r: ArmRequest, requested: string): ArmResource | undefined {
  const target = findTarget(env.store, requested);
  if (target && isAlias(requested) && !visibleTo(env.store, target, r.subscriptionId, r.caller)) return undefined;
  return target;
}

/** ARM's 403 for an approval the caller may not give on the linked target (MicrosoftDocs/azure-docs#96892). */
function linkedAuthorizationFailed(r: ArmRequest, target: ArmResource): ArmError {
  return new ArmError(
    403,
    'LinkedAuthorizationFailed',
    `The client '${r.caller.objectId}' with object id '${r.caller.objectId}' has permission to perform action '${PE}/write' on scope '${r.id}'; however, it does not have permission to perform action '${approvalAction(target)}' on the linked scope(s) '${target.id}' or the linked scope(s) are invalid.`,
  );
}

/**
 * The state a new connection starts in. A Private Link Service approves subscriptions on its
 * `autoApproval` list whatever the request ("The subscriptions specified in the auto-approval list
 * are approved automatically when a connection is requested from private endpoints in those
 * subscriptions", private-link-service-overview.md); otherwise a manual request
 * (`manualPrivateLinkServiceConnections`) waits as Pending, and an automatic one
 * (`privateLinkServiceConnections`) needs the approval action on the target and is Approved.
 */
function initialStatus(env: ArmEnv, r: ArmRequest, target: ArmResource, manual: boolean): 'Pending' | 'Approved' {
  const autoApproval = arr<string>((props(target).autoApproval as Props | undefined)?.subscriptions);
  if (target.type === PLS && autoApproval.some((s) => s === '*' || same(s, r.subscriptionId))) return 'Approved';
  if (manual) return 'Pending';
  if (!mayAct(env.store, r.caller, target.id, approvalAction(target))) throw linkedAuthorizationFailed(r, target);
  return 'Approved';
}

/** The NIC Azure creates for an endpoint, `<endpoint>.nic.<guid>` in the endpoint's resource group. */
function nicFor(pe: ArmResource, subnetId: string, ip: string, groupId: string | undefined): ArmResource {
  const group = pe.id.replace(/\/providers\/.*$/i, '');
  const name = `${pe.name}.nic.${randomUUID()}`;
  const id = `${group}/providers/${NIC}/${name}`;
  return {
    id,
    name,
    type: NIC,
    location: pe.location,
    properties: {
      provisioningState: 'Succeeded',
      privateEndpoint: { id: pe.id },
      ipConfigurations: [
        {
          name: `privateEndpointIpConfig.${randomUUID()}`,
          id: `${id}/ipConfigurations/privateEndpointIpConfig`,
          type: `${NIC}/ipConfigurations`,
          properties: {
            privateIPAddress: ip,
            privateIPAllocationMethod: 'Dynamic',
            privateIPAddressVersion: 'IPv4',
            primary: true,
            subnet: { id: subnetId },
            ...(groupId ? { privateLinkConnectionProperties: { groupId, requiredMemberName: groupId, fqdns: [] } } : {}),
            provisioningState: 'Succeeded',
          },
        },
      ],
    },
  };
}

/** The private IP of an endpoint's NIC (its first IP configuration). */
export function nicIp(store: ArmStore, pe: ArmResource | undefined): string | undefined {
  const nicId = String(arr(props(pe).networkInterfaces)[0]?.id ?? '');
  const nic = nicId ? store.get(nicId) : undefined;
  const ipc = arr(props(nic).ipConfigurations)[0];
  return ipc ? String((ipc.properties as Props).privateIPAddress) : undefined;
}

/**
 * The first free address of the subnet after the four Azure reserves, skipping those NICs hold.
 * The error codes for a subnet without an IPv4 prefix or without a free address are ours (no source).
 */
function allocateIp(store: ArmStore, subnet: ArmResource): string {
  const c = parseCidr(subnetPrefixes(props(subnet))[0] ?? '');
  if (!c) throw badRequest('PrivateIPAddressNotInSubnet', `Subnet ${subnet.id} has no IPv4 address prefix.`);
  const used = new Set<string>();
  for (const nic of store.ofType(NIC)) {
    for (const ipc of arr(props(nic).ipConfigurations)) {
      const p = ipc.properties as Props;
      if (same((p.subnet as Props | undefined)?.id, subnet.id)) used.add(String(p.privateIPAddress));
    }
  }
  for (let n = 4; n < c.end - c.start; n++) {
    const ip = nthAddress(c, n);
    if (!used.has(ip)) return ip;
  }
  throw badRequest('SubnetIsFull', `Subnet ${subnet.id} has no free private IP address.`);
}

/** ARM's answer when a body refers to a resource that does not exist (or an alias the caller cannot see). */
function notFoundReference(id: string, referrer: string) {
  return badRequest('InvalidResourceReference', `Resource ${id} referenced by resource ${referrer} was not found. Please make sure that the referenced resource exists, and that both resources are in the same region.`);
}

interface Request {
  connection: Props;
  manual: boolean;
  target: ArmResource;
  subnet: ArmResource;
}

/** Reads the one connection a PUT asks for and what it refers to, refusing what ARM refuses. */
function readRequest(env: ArmEnv, r: ArmRequest, p: Props): Request {
  const subnetId = String((p.subnet as Props | undefined)?.id ?? '');
  const subnet = env.store.get(subnetId);
  if (!subnet) throw notFoundReference(subnetId, r.id);
  const auto = arr(p.privateLinkServiceConnections);
  const manual = arr(p.manualPrivateLinkServiceConnections);
  if (auto.length + manual.length !== 1) {
    throw badRequest('PrivateEndpointMustHaveOneConnection', `Private endpoint ${r.id} must have exactly one private link service connection (automatic or manual).`);
  }
  const connection = (auto[0] ?? manual[0])!;
  const requested = String((connection.properties as Props | undefined)?.privateLinkServiceId ?? '');
  const target = targetOf(env, r, requested);
  if (!target) throw notFoundReference(requested, r.id);
  return { connection, manual: manual.length > 0, target, subnet };
}

/** The stored endpoint: the connection as sent (its privateLinkServiceId an ID or the alias, as given), the NIC reference. */
function endpointResource(r: ArmRequest, existing: ArmResource | undefined, p: Props, q: Request, nicId: string): ArmResource {
  const id = existing?.id ?? r.id;
  const cp = (q.connection.properties ?? {}) as Props;
  const kind = q.manual ? 'manualPrivateLinkServiceConnections' : 'privateLinkServiceConnections';
  const entry = { name: q.connection.name, id: `${id}/${kind}/${String(q.connection.name)}`, type: `${PE}/privateLinkServiceConnections`, properties: { ...cp, groupIds: cp.groupIds ?? [] } };
  const resource = defaultResource(r, existing);
  resource.location = requireLocation(r, existing);
  resource.properties = {
    ...p,
    subnet: { id: q.subnet.id },
    privateLinkServiceConnections: q.manual ? [] : [entry],
    manualPrivateLinkServiceConnections: q.manual ? [entry] : [],
    networkInterfaces: [{ id: nicId }],
  };
  return resource;
}

/** The connection on the target, its NIC, and the subnet's list of endpoints, once the endpoint is stored. */
function afterCreate(env: ArmEnv, q: Request, status: 'Pending' | 'Approved', nic: ArmResource | undefined) {
  return (stored: ArmResource) => {
    const cp = (q.connection.properties ?? {}) as Props;
    const has = env.store.children(q.target.id, `${q.target.type}/privateEndpointConnections`).some((c) => same((props(c).privateEndpoint as Props | undefined)?.id, stored.id));
    if (!has) createTargetConnection(env.store, q.target, stored, status, String(cp.requestMessage ?? ''));
    if (nic) env.store.put(nic);
    const sp = props(q.subnet);
    const list = arr(sp.privateEndpoints);
    if (!list.some((e) => same(e.id, stored.id))) env.store.put({ ...q.subnet, properties: { ...sp, privateEndpoints: [...list, { id: stored.id }] } });
  };
}

export const privateEndpoints: TypeHandler = {
  type: PE,
  asyncPut: true,
  asyncDelete: true,
  etag: true,
  put(env, r, existing) {
    requireLocation(r, existing);
    const p = { ...((r.body?.properties ?? {}) as Props) };
    const q = readRequest(env, r, p);
    const status = initialStatus(env, r, q.target, q.manual);
    const oldNic = String(arr(props(existing).networkInterfaces)[0]?.id ?? '');
    const groupId = arr<string>((q.connection.properties as Props | undefined)?.groupIds)[0];
    const resource = endpointResource(r, existing, p, q, oldNic || 'pending');
    const nic = oldNic && env.store.has(oldNic) ? undefined : nicFor(resource, q.subnet.id, allocateIp(env.store, q.subnet), groupId);
    if (nic) (resource.properties as Props).networkInterfaces = [{ id: nic.id }];
    return { resource, after: afterCreate(env, q, status, nic) };
  },
  view(env, pe) {
    // The connection state lives on the target; the endpoint reflects it as Azure does.
    const p = props(pe);
    const refresh = (list: unknown) =>
      arr(list).map((c) => {
        const target = findTarget(env.store, String((c.properties as Props).privateLinkServiceId));
        const tc = target && env.store.children(target.id, `${target.type}/privateEndpointConnections`).find((x) => same((props(x).privateEndpoint as Props | undefined)?.id, pe.id));
        const state = tc ? props(tc).privateLinkServiceConnectionState : { status: 'Disconnected', description: 'The private link resource or connection was removed.', actionsRequired: '' };
        return { ...c, properties: { ...(c.properties as Props), privateLinkServiceConnectionState: state } };
      });
    const ip = nicIp(env.store, pe);
    return {
      ...pe,
      properties: {
        ...p,
        privateLinkServiceConnections: refresh(p.privateLinkServiceConnections),
        manualPrivateLinkServiceConnections: refresh(p.manualPrivateLinkServiceConnections),
        customDnsConfigs: ip ? [{ ipAddresses: [ip] }] : [],
      },
    };
  },
  delete(env, r, existing) {
    if (r.method === 'VALIDATE_DELETE') return;
    removeConnectionsOf(env.store, existing.id);
    const subnet = env.store.get(String((props(existing).subnet as Props | undefined)?.id ?? ''));
    if (subnet) {
      const sp = props(subnet);
      env.store.put({ ...subnet, properties: { ...sp, privateEndpoints: arr(sp.privateEndpoints).filter((e) => !same(e.id, existing.id)) } });
    }
    for (const nic of arr(props(existing).networkInterfaces)) env.store.delete(String(nic.id));
    env.store.delete(existing.id);
  },
};
