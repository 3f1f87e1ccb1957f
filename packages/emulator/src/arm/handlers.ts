import { managedClusters } from './containerservice';
import { commandResults } from './run-command';
import { privateEndpoints, privateLinkServices, subnets, virtualNetworks } from './network';
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
    managedClusters,
    commandResults,
    trackedTarget('Microsoft.Storage/storageAccounts'),
    privateEndpointConnections('Microsoft.Storage/storageAccounts'),
    trackedTarget('Microsoft.KeyVault/vaults'),
    privateEndpointConnections('Microsoft.KeyVault/vaults'),
    trackedTarget('Microsoft.Sql/servers'),
    privateEndpointConnections('Microsoft.Sql/servers'),
  ];
}
