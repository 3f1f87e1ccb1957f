import { cdnHandlers } from './cdn';
import { managedClusters } from './containerservice';
import { privateLinkServices, subnets, virtualNetworks } from './network';
import { networkLocations, privateEndpoints } from './private-endpoints';
import { privateDnsARecords, privateDnsVirtualNetworkLinks, privateDnsZones } from './private-dns';
import { commandResults } from './run-command';
import { privateEndpointConnections, trackedTarget } from './private-link';
import type { TypeHandler } from './types';
import { webHandlers } from './web';

/** Every resource type the ARM stand-in implements beyond plain stored resources. */
export function allHandlers(): TypeHandler[] {
  return [
    ...webHandlers,
    virtualNetworks,
    subnets,
    privateLinkServices,
    privateEndpointConnections('Microsoft.Network/privateLinkServices'),
    privateEndpoints,
    networkLocations,
    privateDnsZones,
    privateDnsARecords,
    privateDnsVirtualNetworkLinks,
    managedClusters,
    commandResults,
    trackedTarget('Microsoft.Storage/storageAccounts'),
    privateEndpointConnections('Microsoft.Storage/storageAccounts'),
    trackedTarget('Microsoft.KeyVault/vaults'),
    privateEndpointConnections('Microsoft.KeyVault/vaults'),
    trackedTarget('Microsoft.Sql/servers'),
    privateEndpointConnections('Microsoft.Sql/servers'),
    ...cdnHandlers,
  ];
}
