import { InputProblems, UserError } from '@private-wire/shared/errors';
import type { StepInputs } from '@private-wire/shared/engine/step';
import type { Host } from '@private-wire/shared/hosts/host';
import { azureSignInSettings, type AzureSignInSettings } from '@private-wire/shared/azure/inputs';
import { SUBSCRIPTION_NOT_KNOWN_YET, looksLikeResourceId, resolveResource, type ResourceId } from '@private-wire/shared/azure/resource-id';
import type { Ipv4Cidr } from '@private-wire/shared/net/ipv4';
import type { aksApiAccessMetadata } from './metadata';
import { parseRunnerRange } from './ranges';

export interface AccessSettings {
  /** The cluster; its subscription is the session's when it was given by name (see clusterIn). */
  cluster: ResourceId;
  clusterById: boolean;
  /** The range given in `runner-ip`; undefined: ask `echoUrl`. */
  runnerRange?: Ipv4Cidr;
  echoUrl: URL;
  keep: boolean;
  wait: boolean;
  azure: AzureSignInSettings;
  /** Input names as the running host spells them, for messages. */
  name: (kebab: string) => string;
}

function parseEchoUrl(text: string, input: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || url.protocol !== 'https:') {
    throw new UserError(`Input '${input}' is '${text}', which is not an https:// URL.`, 'Give an HTTPS URL that answers the caller\'s IPv4 address as plain text (default https://api.ipify.org), or give the address itself in runner-ip.');
  }
  if (url.username || url.password) throw new UserError(`Input '${input}' carries credentials in its URL.`, 'Use an echo service that needs no credentials.');
  return url;
}

/** Validates and types every input, without I/O; every bad input is reported at once. */
export function accessSettings(inputs: StepInputs<typeof aksApiAccessMetadata>, host: Host): AccessSettings {
  const name = (n: string) => host.inputName(n);
  const problems = new InputProblems();
  const value = inputs['cluster-name'];
  const cluster = problems.attempt(() =>
    resolveResource({
      value,
      input: name('cluster-name'),
      provider: 'Microsoft.ContainerService',
      types: ['managedClusters'],
      resourceGroup: inputs['cluster-resource-group'],
      resourceGroupInput: name('cluster-resource-group'),
      subscriptionId: SUBSCRIPTION_NOT_KNOWN_YET,
    }),
  );
  const runnerText = inputs['runner-ip'];
  const runnerRange = runnerText ? problems.attempt(() => parseRunnerRange(runnerText, name('runner-ip'))) : undefined;
  // The echo URL is checked even when runner-ip is given: a wrong default would otherwise surface only later.
  const echoUrl = problems.attempt(() => parseEchoUrl(inputs['ip-echo-url'], name('ip-echo-url')));
  problems.throwIfAny();
  if (!cluster || !echoUrl || (runnerText && !runnerRange)) throw new Error('input parsing returned no value without a problem');
  return {
    cluster,
    clusterById: looksLikeResourceId(value),
    runnerRange,
    echoUrl,
    keep: inputs.keep,
    wait: inputs.wait,
    azure: azureSignInSettings(inputs),
    name,
  };
}
