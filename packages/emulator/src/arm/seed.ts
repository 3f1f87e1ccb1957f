import { randomUUID } from 'node:crypto';
import { seedOrigin, seedProfile } from './cdn';
import { apiServerFqdns } from './containerservice';
import { associate, seedNsg, seedRouteTable, type RouteSeed, type SecurityRuleSeed } from './network-security';
import { createTargetConnection } from './private-link';
import type { ArmResource, ArmStore } from './store';
import { DEFAULT_SITE_CONFIG, siteHostNames } from './web';

/**
 * Builders that write a world straight into the store (no HTTP, no validation beyond shape), so
 * a test can start from "the platform team already made this". Shapes match what the ARM
 * handlers produce, so steps cannot tell seeded resources from created ones.
 */
export class Seeder {
  constructor(
    private readonly store: ArmStore,
    readonly tenantId: string,
    readonly defaultSubscriptionId: string,
  ) {}

  subscription(subscriptionId = this.defaultSubscriptionId, displayName = 'private-wire test subscription', tenantId = this.tenantId): ArmResource {
    return this.store.put({
      id: `/subscriptions/${subscriptionId}`,
      name: subscriptionId,
      type: 'Microsoft.Resources/subscriptions',
      subscriptionId,
      displayName,
      tenantId,
      state: 'Enabled',
      authorizationSource: 'RoleBased',
      managedByTenants: [],
      subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'PayAsYouGo_2014-09-01', spendingLimit: 'Off' },
    });
  }

  resourceGroup(name: string, location = 'westeurope', subscriptionId = this.defaultSubscriptionId): ArmResource {
    if (!this.store.has(`/subscriptions/${subscriptionId}`)) this.subscription(subscriptionId);
    return this.store.put({ id: `/subscriptions/${subscriptionId}/resourceGroups/${name}`, name, type: 'Microsoft.Resources/resourceGroups', location, properties: { provisioningState: 'Succeeded' } });
  }

  private rgId(rg: string, subscriptionId = this.defaultSubscriptionId) {
    const id = `/subscriptions/${subscriptionId}/resourceGroups/${rg}`;
    const group = this.store.get(id);
    if (!group) throw new Error(`seed: resource group ${id} does not exist; seed it first`);
    return group;
  }

  vnet(
    rg: string,
    name: string,
    opts: {
      location?: string;
      addressPrefixes?: string[];
      subnets?: { name: string; addressPrefix: string; delegations?: string[]; privateLinkServiceNetworkPolicies?: 'Enabled' | 'Disabled' }[];
      subscriptionId?: string;
      /** Custom DNS servers (properties.dhcpOptions.dnsServers); none: Azure-provided DNS. */
      dnsServers?: string[];
    } = {},
  ): { vnet: ArmResource; subnets: ArmResource[] } {
    const group = this.rgId(rg, opts.subscriptionId);
    const id = `${group.id}/providers/Microsoft.Network/virtualNetworks/${name}`;
    const vnet = this.store.put({
      id,
      name,
      type: 'Microsoft.Network/virtualNetworks',
      location: opts.location ?? group.location,
      properties: { provisioningState: 'Succeeded', resourceGuid: randomUUID(), addressSpace: { addressPrefixes: opts.addressPrefixes ?? ['10.0.0.0/16'] }, ...(opts.dnsServers ? { dhcpOptions: { dnsServers: opts.dnsServers } } : {}) },
    });
    const subnets = (opts.subnets ?? []).map((s) => this.subnet(id, s.name, s.addressPrefix, s));
    return { vnet, subnets };
  }

  subnet(vnetId: string, name: string, addressPrefix: string, opts: { delegations?: string[]; privateLinkServiceNetworkPolicies?: 'Enabled' | 'Disabled' } = {}): ArmResource {
    const id = `${vnetId}/subnets/${name}`;
    return this.store.put({
      id,
      name,
      type: 'Microsoft.Network/virtualNetworks/subnets',
      properties: {
        provisioningState: 'Succeeded',
        addressPrefix,
        privateEndpointNetworkPolicies: 'Disabled',
        privateLinkServiceNetworkPolicies: opts.privateLinkServiceNetworkPolicies ?? 'Enabled',
        delegations: (opts.delegations ?? []).map((serviceName) => ({
          name: serviceName.replace('/', '.'),
          id: `${id}/delegations/${serviceName.replace('/', '.')}`,
          type: 'Microsoft.Network/virtualNetworks/subnets/delegations',
          properties: { serviceName, actions: serviceName.toLowerCase() === 'microsoft.web/serverfarms' ? ['Microsoft.Network/virtualNetworks/subnets/action'] : [], provisioningState: 'Succeeded' },
        })),
      },
    });
  }

  /**
   * A virtual network peering from `vnetId` to `remoteVnetId` (one side; the VNet GET shows it
   * Connected once the remote VNet has one back, see peeringView in network.ts).
   */
  vnetPeering(vnetId: string, name: string, remoteVnetId: string, opts: { allowVirtualNetworkAccess?: boolean } = {}): ArmResource {
    const remote = this.store.get(remoteVnetId);
    const space = ((remote?.properties as Record<string, unknown> | undefined)?.addressSpace as { addressPrefixes?: string[] } | undefined)?.addressPrefixes ?? [];
    return this.store.put({
      id: `${vnetId}/virtualNetworkPeerings/${name}`,
      name,
      type: 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings',
      properties: {
        provisioningState: 'Succeeded',
        remoteVirtualNetwork: { id: remoteVnetId },
        remoteAddressSpace: { addressPrefixes: [...space] },
        remoteVirtualNetworkAddressSpace: { addressPrefixes: [...space] },
        allowVirtualNetworkAccess: opts.allowVirtualNetworkAccess ?? true,
        allowForwardedTraffic: false,
        allowGatewayTransit: false,
        useRemoteGateways: false,
      },
    });
  }

  /** A network security group with the default rules every NSG has, plus `rules`; associated with `subnetIds`. */
  networkSecurityGroup(rg: string, name: string, opts: { rules?: SecurityRuleSeed[]; subnetIds?: string[]; location?: string; subscriptionId?: string } = {}): ArmResource {
    const group = this.rgId(rg, opts.subscriptionId);
    const nsg = seedNsg(this.store, group.id, name, opts.location ?? group.location!, opts.rules ?? []);
    for (const subnetId of opts.subnetIds ?? []) associate(this.store, subnetId, nsg.id);
    return this.store.get(nsg.id)!;
  }

  /** A route table with `routes`, associated with `subnetIds`. */
  routeTable(rg: string, name: string, opts: { routes?: RouteSeed[]; subnetIds?: string[]; location?: string; subscriptionId?: string } = {}): ArmResource {
    const group = this.rgId(rg, opts.subscriptionId);
    const table = seedRouteTable(this.store, group.id, name, opts.location ?? group.location!, opts.routes ?? []);
    for (const subnetId of opts.subnetIds ?? []) associate(this.store, subnetId, table.id);
    return this.store.get(table.id)!;
  }

  plan(rg: string, name: string, opts: { sku?: string; tier?: string; location?: string; linux?: boolean; subscriptionId?: string } = {}): ArmResource {
    const group = this.rgId(rg, opts.subscriptionId);
    const sku = opts.sku ?? 'P1v3';
    return this.store.put({
      id: `${group.id}/providers/Microsoft.Web/serverfarms/${name}`,
      name,
      type: 'Microsoft.Web/serverfarms',
      location: opts.location ?? group.location,
      kind: opts.linux === false ? 'app' : 'linux',
      sku: { name: sku, tier: opts.tier ?? (sku.startsWith('F') ? 'Free' : sku.startsWith('D') ? 'Shared' : sku.startsWith('B') ? 'Basic' : sku.startsWith('S') ? 'Standard' : 'PremiumV3'), size: sku, capacity: 1 },
      properties: { provisioningState: 'Succeeded', status: 'Ready', reserved: opts.linux !== false, maximumNumberOfWorkers: 10 },
    });
  }

  site(
    rg: string,
    name: string,
    planId: string,
    opts: { location?: string; appSettings?: Record<string, string>; slotSettingNames?: string[]; slots?: string[]; siteConfig?: Record<string, unknown>; properties?: Record<string, unknown>; subscriptionId?: string } = {},
  ): ArmResource {
    const group = this.rgId(rg, opts.subscriptionId);
    const site = this.store.put(this.siteResource(`${group.id}/providers/Microsoft.Web/sites/${name}`, name, 'Microsoft.Web/sites', opts.location ?? group.location!, planId, name, opts));
    if (opts.appSettings) this.appSettings(site.id, opts.appSettings);
    if (opts.slotSettingNames) {
      this.store.put({ id: `${site.id}/config/slotConfigNames`, name: 'slotConfigNames', type: 'Microsoft.Web/sites/config', location: site.location, properties: { appSettingNames: opts.slotSettingNames, connectionStringNames: null, azureStorageConfigNames: null } });
    }
    for (const slot of opts.slots ?? []) this.slot(site.id, slot);
    return site;
  }

  slot(siteId: string, slot: string, opts: { appSettings?: Record<string, string> } = {}): ArmResource {
    const site = this.store.get(siteId);
    if (!site) throw new Error(`seed: site ${siteId} does not exist`);
    const stored = this.store.put(this.siteResource(`${site.id}/slots/${slot}`, slot, 'Microsoft.Web/sites/slots', site.location!, String(site.properties?.serverFarmId), `${site.name}-${slot}`, {}));
    if (opts.appSettings) this.appSettings(stored.id, opts.appSettings);
    return stored;
  }

  appSettings(siteOrSlotId: string, settings: Record<string, string>): ArmResource {
    const type = siteOrSlotId.toLowerCase().includes('/slots/') ? 'Microsoft.Web/sites/slots/config' : 'Microsoft.Web/sites/config';
    return this.store.put({ id: `${siteOrSlotId}/config/appsettings`, name: 'appsettings', type, location: this.store.get(siteOrSlotId)?.location, properties: { ...settings } });
  }

  /** A legacy gateway-required VNet integration (listed under virtualNetworkConnections). */
  gatewayVnetConnection(siteId: string, vnetId: string, name = vnetId.split('/').pop()!): ArmResource {
    return this.store.put({
      id: `${siteId}/virtualNetworkConnections/${name}`,
      name,
      type: 'Microsoft.Web/sites/virtualNetworkConnections',
      properties: { vnetResourceId: vnetId, certThumbprint: 'ABCDEF0123456789ABCDEF0123456789ABCDEF01', certBlob: null, routes: [], resyncRequired: false, dnsServers: null, isSwift: false },
    });
  }

  private siteResource(id: string, name: string, type: string, location: string, planId: string, host: string, opts: { siteConfig?: Record<string, unknown>; properties?: Record<string, unknown> }): ArmResource {
    return {
      id,
      name,
      type,
      location,
      // A Windows site is seeded with `properties: { reserved: false }`.
      kind: opts.properties?.reserved === false ? 'app' : 'app,linux',
      properties: {
        provisioningState: 'Succeeded',
        state: 'Running',
        enabled: true,
        serverFarmId: planId,
        defaultHostName: `${host}.azurewebsites.net`,
        hostNames: [`${host}.azurewebsites.net`],
        ...siteHostNames(host),
        reserved: true,
        virtualNetworkSubnetId: null,
        vnetRouteAllEnabled: false,
        outboundVnetRouting: { allTraffic: false, applicationTraffic: false, contentShareTraffic: false, imagePullTraffic: false, backupRestoreTraffic: false },
        dnsConfiguration: {},
        siteConfig: { ...structuredClone(DEFAULT_SITE_CONFIG), linuxFxVersion: 'NODE|20-lts', alwaysOn: true, ...opts.siteConfig },
        ...opts.properties,
      },
    };
  }

  cluster(
    rg: string,
    name: string,
    opts: {
      location?: string;
      aad?: boolean;
      enableAzureRBAC?: boolean;
      authorizedIPRanges?: string[];
      disableLocalAccounts?: boolean;
      networkProfile?: Record<string, unknown>;
      subscriptionId?: string;
      kubernetesVersion?: string;
      /** A private cluster (apiServerAccessProfile.enablePrivateCluster), with a public FQDN unless `publicFqdn` is false. */
      privateCluster?: boolean;
      publicFqdn?: boolean;
      /** agentPoolProfiles[0].vnetSubnetID: the nodes' subnet (bring-your-own VNet); none: AKS's own VNet. */
      vnetSubnetID?: string;
    } = {},
  ): ArmResource {
    const group = this.rgId(rg, opts.subscriptionId);
    const location = opts.location ?? group.location!;
    // AKS creates the node resource group (MC_…) with the cluster; the cloud provider puts load
    // balancers and Private Link Services there.
    const nodeResourceGroup = `MC_${rg}_${name}_${location}`;
    const subscriptionId = group.id.split('/')[2]!;
    if (!this.store.has(`/subscriptions/${subscriptionId}/resourceGroups/${nodeResourceGroup}`)) this.resourceGroup(nodeResourceGroup, location, subscriptionId);
    const id = `${group.id}/providers/Microsoft.ContainerService/managedClusters/${name}`;
    const access: Record<string, unknown> = {
      ...(opts.authorizedIPRanges ? { authorizedIPRanges: opts.authorizedIPRanges } : {}),
      ...(opts.privateCluster ? { enablePrivateCluster: true, enablePrivateClusterPublicFQDN: opts.publicFqdn !== false } : {}),
    };
    const version = opts.kubernetesVersion ?? '1.30.0';
    return this.store.put({
      id,
      name,
      type: 'Microsoft.ContainerService/managedClusters',
      location,
      sku: { name: 'Base', tier: 'Free' },
      identity: { type: 'SystemAssigned', principalId: randomUUID(), tenantId: this.tenantId },
      properties: {
        provisioningState: 'Succeeded',
        powerState: { code: 'Running' },
        kubernetesVersion: version,
        currentKubernetesVersion: version,
        dnsPrefix: `${name}-dns`,
        ...apiServerFqdns(id, `${name}-dns`, location, access, {}),
        nodeResourceGroup,
        enableRBAC: true,
        servicePrincipalProfile: { clientId: 'msi' },
        disableLocalAccounts: opts.disableLocalAccounts ?? false,
        agentPoolProfiles: [{ name: 'nodepool1', count: 1, vmSize: 'Standard_D2s_v3', mode: 'System', osType: 'Linux', ...(opts.vnetSubnetID ? { vnetSubnetID: opts.vnetSubnetID } : {}) }],
        networkProfile: { networkPlugin: 'azure', networkPluginMode: 'overlay', podCidr: '10.244.0.0/16', serviceCidr: '10.0.0.0/16', dnsServiceIP: '10.0.0.10', outboundType: 'loadBalancer', loadBalancerSku: 'standard', ...opts.networkProfile },
        apiServerAccessProfile: access,
        ...(opts.aad ? { aadProfile: { managed: true, enableAzureRBAC: opts.enableAzureRBAC ?? true, adminGroupObjectIDs: [], tenantID: this.tenantId } } : {}),
      },
    });
  }

  /** A Private Link Service as cloud-provider-azure creates it for an annotated Service. */
  privateLinkService(
    rg: string,
    name: string,
    opts: { location?: string; subnetId: string; frontendIpConfigurationId?: string; visibility?: string[]; autoApproval?: string[]; subscriptionId?: string },
  ): ArmResource {
    const group = this.rgId(rg, opts.subscriptionId);
    const id = `${group.id}/providers/Microsoft.Network/privateLinkServices/${name}`;
    const location = opts.location ?? group.location!;
    return this.store.put({
      id,
      name,
      type: 'Microsoft.Network/privateLinkServices',
      location,
      properties: {
        provisioningState: 'Succeeded',
        alias: `${name}.${randomUUID()}.${location}.azure.privatelinkservice`,
        visibility: { subscriptions: opts.visibility ?? [] },
        autoApproval: { subscriptions: opts.autoApproval ?? [] },
        enableProxyProtocol: false,
        fqdns: [],
        ipConfigurations: [{ name: `${name}-ipconfig`, id: `${id}/ipConfigurations/${name}-ipconfig`, properties: { subnet: { id: opts.subnetId }, privateIPAllocationMethod: 'Dynamic', primary: true, privateIPAddressVersion: 'IPv4' } }],
        loadBalancerFrontendIpConfigurations: [{ id: opts.frontendIpConfigurationId ?? `${group.id}/providers/Microsoft.Network/loadBalancers/kubernetes-internal/frontendIPConfigurations/${name}-fe` }],
        networkInterfaces: [{ id: `${group.id}/providers/Microsoft.Network/networkInterfaces/${name}.nic.${randomUUID()}` }],
      },
    });
  }

  /** A private DNS zone (location `global`, as privatedns.json's examples have it), optionally linked to VNets. */
  privateDnsZone(rg: string, zone: string, opts: { subscriptionId?: string; linkedVnets?: string[] } = {}): ArmResource {
    const group = this.rgId(rg, opts.subscriptionId);
    const stored = this.store.put({ id: `${group.id}/providers/Microsoft.Network/privateDnsZones/${zone}`, name: zone, type: 'Microsoft.Network/privateDnsZones', location: 'global', properties: { provisioningState: 'Succeeded', numberOfRecordSets: 1, maxNumberOfRecordSets: 25000, numberOfVirtualNetworkLinks: opts.linkedVnets?.length ?? 0 } });
    for (const vnetId of opts.linkedVnets ?? []) {
      const name = `link-${vnetId.split('/').pop()}`;
      this.store.put({ id: `${stored.id}/virtualNetworkLinks/${name}`, name, type: 'Microsoft.Network/privateDnsZones/virtualNetworkLinks', location: 'global', properties: { provisioningState: 'Succeeded', virtualNetwork: { id: vnetId }, registrationEnabled: false, virtualNetworkLinkState: 'Completed' } });
    }
    return stored;
  }

  /**
   * A deny assignment at `scope` withholding `actions` from a principal (the stand-in's only RBAC
   * restriction; see mayAct in private-endpoints.ts).
   */
  denyAssignment(scope: string, actions: string[], principalId: string): ArmResource {
    const name = randomUUID();
    return this.store.put({ id: `${scope}/providers/Microsoft.Authorization/denyAssignments/${name}`, name, type: 'Microsoft.Authorization/denyAssignments', properties: { denyAssignmentName: `deny ${actions.join(', ')}`, scope, permissions: [{ actions, notActions: [] }], principals: [{ id: principalId, type: 'ServicePrincipal' }] } });
  }

  /**
   * A private endpoint in another subscription asking to connect to `targetId` (a PLS, site,
   * storage account, vault or SQL server): creates the endpoint there and a Pending (or Approved) connection
   * on the target, as Azure does when someone else requests access.
   */
  privateEndpointRequest(
    targetId: string,
    opts: { subscriptionId?: string; resourceGroup?: string; name?: string; location?: string; status?: 'Pending' | 'Approved'; requestMessage?: string; groupIds?: string[] } = {},
  ): { endpoint: ArmResource; connection: ArmResource } {
    const target = this.store.get(targetId);
    if (!target) throw new Error(`seed: private link target ${targetId} does not exist`);
    const sub = opts.subscriptionId ?? randomUUID();
    const rg = opts.resourceGroup ?? 'consumer-rg';
    if (!this.store.has(`/subscriptions/${sub}/resourceGroups/${rg}`)) this.resourceGroup(rg, opts.location ?? target.location, sub);
    const name = opts.name ?? `pe-${randomUUID().slice(0, 8)}`;
    const location = opts.location ?? target.location!;
    const manual = (opts.status ?? 'Pending') === 'Pending';
    const peId = `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Network/privateEndpoints/${name}`;
    const conn = { name: `${name}-conn`, id: `${peId}/${manual ? 'manualPrivateLinkServiceConnections' : 'privateLinkServiceConnections'}/${name}-conn`, properties: { privateLinkServiceId: target.id, groupIds: opts.groupIds ?? [], requestMessage: opts.requestMessage ?? '' } };
    const endpoint = this.store.put({
      id: peId,
      name,
      type: 'Microsoft.Network/privateEndpoints',
      location,
      properties: {
        provisioningState: 'Succeeded',
        subnet: { id: `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Network/virtualNetworks/consumer-vnet/subnets/default` },
        privateLinkServiceConnections: manual ? [] : [conn],
        manualPrivateLinkServiceConnections: manual ? [conn] : [],
        networkInterfaces: [],
        customDnsConfigs: [],
      },
    });
    const connection = createTargetConnection(this.store, target, endpoint, opts.status ?? 'Pending', opts.requestMessage);
    return { endpoint, connection };
  }

  storageAccount(rg: string, name: string, opts: { location?: string; subscriptionId?: string } = {}): ArmResource {
    const group = this.rgId(rg, opts.subscriptionId);
    return this.store.put({ id: `${group.id}/providers/Microsoft.Storage/storageAccounts/${name}`, name, type: 'Microsoft.Storage/storageAccounts', location: opts.location ?? group.location, kind: 'StorageV2', sku: { name: 'Standard_LRS', tier: 'Standard' }, properties: { provisioningState: 'Succeeded' } });
  }

  /** A logical SQL server (its private endpoint connections behave as Microsoft.Sql's do). */
  sqlServer(rg: string, name: string, opts: { location?: string; subscriptionId?: string } = {}): ArmResource {
    const group = this.rgId(rg, opts.subscriptionId);
    return this.store.put({ id: `${group.id}/providers/Microsoft.Sql/servers/${name}`, name, type: 'Microsoft.Sql/servers', location: opts.location ?? group.location, kind: 'v12.0', properties: { state: 'Ready', version: '12.0', fullyQualifiedDomainName: `${name}.database.windows.net` } });
  }

  keyVault(rg: string, name: string, opts: { location?: string; subscriptionId?: string } = {}): ArmResource {
    const group = this.rgId(rg, opts.subscriptionId);
    return this.store.put({ id: `${group.id}/providers/Microsoft.KeyVault/vaults/${name}`, name, type: 'Microsoft.KeyVault/vaults', location: opts.location ?? group.location, properties: { provisioningState: 'Succeeded', tenantId: this.tenantId, sku: { family: 'A', name: 'standard' }, vaultUri: `https://${name}.vault.azure.net/` } });
  }

  /** An Azure Front Door profile (Standard/Premium by its SKU; a classic CDN SKU makes a CDN profile). */
  frontDoorProfile(rg: string, name: string, opts: { sku?: string; subscriptionId?: string } = {}): ArmResource {
    return seedProfile(this.store, this.rgId(rg, opts.subscriptionId).id, name, opts.sku ?? 'Premium_AzureFrontDoor');
  }

  /** An origin of a Front Door profile; with `link`, a private origin whose Pending request appears on the target (cdn.ts). */
  frontDoorOrigin(profileId: string, originGroup: string, name: string, link?: { targetId: string; requestMessage?: string; groupId?: string; location?: string }): ArmResource {
    return seedOrigin(this.store, profileId, originGroup, name, link);
  }
}
