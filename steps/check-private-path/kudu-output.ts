// Reading what App Service's sandbox tools print, only as far as a public source reads it.
//
// Neither tool's output format is documented by Microsoft. The one public reader is the App
// Service diagnostics portal's network troubleshooter (Azure/Azure-AppServices-Diagnostics-Portal
// AngularApp/projects/app-service-diagnostics/src/app/shared/components/tools/network-checks/diag-provider.ts):
// - nameResolveAsync runs `nameresolver <host> <dns>` and takes the addresses as the lines after
//   `Addresses:` (up to `Aliases:` when present), lines separated by CRLF;
// - tcpPingAsync runs `tcpping -n <count> -w <timeout> <host>:<port>` and classifies each line by
//   its start: `Connected to ` (success), `... No such host is known` (host not found),
//   `... Connection timed out` (timeout), `Connection attempt failed: An attempt was made to access
//   a socket` (blocked), `Connection attempt failed: No connection could be made because the target
//   machine actively refused` (refused); a line starting `Complete` ends the attempts.
// Anything else is not read: the caller reports it raw, as untrusted text, and says so.
import { isIpv4 } from '@private-wire/shared/net/ipv4';

/** The IPv4 addresses nameresolver printed, or undefined when its output has no `Addresses:` block. */
export function nameResolverAddresses(output: string): string[] | undefined {
  const m = /Addresses:\s*([\s\S]*?)(?:Aliases:[\s\S]*)?$/.exec(output);
  if (!m) return undefined;
  return m[1]!
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => isIpv4(l));
}

export type TcpAttempt = 'connected' | 'host-not-found' | 'timed-out' | 'blocked' | 'refused';

/** Each attempt tcpping reported (with its line), or undefined when a line is not one the source reads. */
export function tcpPingAttempts(output: string): { attempt: TcpAttempt; line: string }[] | undefined {
  const attempts: { attempt: TcpAttempt; line: string }[] = [];
  for (const raw of output.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    if (line.startsWith('Complete')) break;
    const attempt = classify(line);
    if (!attempt) return undefined;
    attempts.push({ attempt, line });
  }
  return attempts.length > 0 ? attempts : undefined;
}

function classify(line: string): TcpAttempt | undefined {
  if (line.startsWith('Connected to ')) return 'connected';
  if (line.includes('No such host is known')) return 'host-not-found';
  if (line.includes('Connection timed out')) return 'timed-out';
  if (line.startsWith('Connection attempt failed: An attempt was made to access a socket')) return 'blocked';
  if (line.startsWith('Connection attempt failed: No connection could be made because the target machine actively refused')) return 'refused';
  return undefined;
}
