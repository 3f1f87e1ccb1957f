import type { ArmResource } from '../arm/store';

/**
 * The internal Standard load balancer cloud-provider-azure keeps in the node resource group, reduced
 * to its frontend IP configurations (one per internal LoadBalancer Service): what a client reads to
 * map a Service's IP to the frontend a Private Link Service references. Shapes as in
 * azure-rest-api-specs specification/network/resource-manager/Microsoft.Network/stable/2025-05-01/
 * loadBalancer.json (LoadBalancer, FrontendIPConfigurationPropertiesFormat.privateIPAddress).
 * Rules, probes and backend pools are not modelled.
 */
export interface Frontend {
  name: string;
  ip: string;
  /** `Static` when the Service pins its IP, else `Dynamic` (as the provider sets it). */
  allocation: 'Static' | 'Dynamic';
  subnetId: string;
}

type Rec = Record<string, unknown>;

const frontendsOf = (lb: ArmResource | undefined): Rec[] => ((lb?.properties?.['frontendIPConfigurations'] as Rec[] | undefined) ?? []).map((f) => ({ ...f }));
const sameName = (a: unknown, b: string) => String(a).toLowerCase() === b.toLowerCase();

/** The load balancer with `frontend` added or replaced (by name); a new one when `lb` is undefined. */
export function withFrontend(lb: ArmResource | undefined, id: string, location: string, frontend: Frontend): ArmResource {
  const entry = {
    name: frontend.name,
    id: `${id}/frontendIPConfigurations/${frontend.name}`,
    type: 'Microsoft.Network/loadBalancers/frontendIPConfigurations',
    properties: {
      provisioningState: 'Succeeded',
      privateIPAddress: frontend.ip,
      privateIPAllocationMethod: frontend.allocation,
      privateIPAddressVersion: 'IPv4',
      subnet: { id: frontend.subnetId },
    },
  };
  const others = frontendsOf(lb).filter((f) => !sameName(f['name'], frontend.name));
  return {
    id,
    name: id.split('/').pop()!,
    type: 'Microsoft.Network/loadBalancers',
    location: lb?.location ?? location,
    sku: { name: 'Standard', tier: 'Regional' },
    properties: { ...(lb?.properties ?? {}), provisioningState: 'Succeeded', frontendIPConfigurations: [...others, entry] },
  };
}

/**
 * The load balancer without the named frontend, or undefined when none is left: Azure refuses a load
 * balancer without frontends, so the provider deletes it (cloud-provider-azure
 * pkg/provider/azure_loadbalancer.go: "deleting the LB since there are no remaining
 * frontendIPConfigurations").
 */
export function withoutFrontend(lb: ArmResource, name: string): ArmResource | undefined {
  const left = frontendsOf(lb).filter((f) => !sameName(f['name'], name));
  return left.length ? { ...lb, properties: { ...(lb.properties ?? {}), frontendIPConfigurations: left } } : undefined;
}

/** The frontend of that name, for change detection. */
export function frontendNamed(lb: ArmResource | undefined, name: string): Rec | undefined {
  return frontendsOf(lb).find((f) => sameName(f['name'], name));
}
