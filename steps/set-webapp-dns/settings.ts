import { InputProblems } from '@private-wire/shared/errors';
import type { StepInputs } from '@private-wire/shared/engine/step';
import type { Host } from '@private-wire/shared/hosts/host';
import { azureSignInSettings, type AzureSignInSettings } from '@private-wire/shared/azure/inputs';
import { SUBSCRIPTION_NOT_KNOWN_YET } from '@private-wire/shared/azure/resource-id';
import { resolveWebApp, type WebAppTarget } from '@private-wire/shared/azure/web-apps';
import type { DnsValues } from './dns-config';
import { dnsServerProblems } from './dns-servers';
import type { setWebappDnsMetadata } from './metadata';

type Inputs = StepInputs<typeof setWebappDnsMetadata>;

export interface DnsSettings {
  azure: AzureSignInSettings;
  /** The inputs' names as the running host spells them, for messages. */
  names: { webapp: string; resourceGroup: string; slot: string; dnsServer: string; altDnsServer: string; mode: string };
  mode: Inputs['mode'];
  target(subscriptionId: string): WebAppTarget;
  wanted: DnsValues;
}

/** Validates and types every input, without I/O; every bad input is reported at once. */
export function dnsSettings(inputs: Inputs, host: Host): DnsSettings {
  const n = (name: string) => host.inputName(name);
  const names = { webapp: n('webapp'), resourceGroup: n('resource-group'), slot: n('slot'), dnsServer: n('dns-server'), altDnsServer: n('alt-dns-server'), mode: n('mode') };
  const target = (subscriptionId: string) => resolveWebApp(host, { webapp: inputs.webapp, resourceGroup: inputs['resource-group'], slot: inputs.slot, subscriptionId });
  const problems = new InputProblems();
  problems.attempt(() => target(SUBSCRIPTION_NOT_KNOWN_YET));
  problems.add(...dnsServerProblems(inputs['dns-server'], inputs['alt-dns-server'], names));
  problems.throwIfAny();
  return { azure: azureSignInSettings(inputs), names, mode: inputs.mode, target, wanted: { servers: inputs['dns-server'], alt: inputs['alt-dns-server'] } };
}
