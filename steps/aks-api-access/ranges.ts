// The API server authorized IP ranges as pure data: what the runner's range is, whether an
// existing range already covers it, and the list to write when adding or removing it. Every other
// range is kept as it is, in its order: the step only ever adds or removes its own.
import { UserError } from '@private-wire/shared/errors';
import { addressKind, isIpv4, parseIpv4Cidr, cidrContains, type Ipv4Cidr } from '@private-wire/shared/net/ipv4';

/**
 * At most this many authorized ranges on a cluster: "You can specify up to 200 authorized IP
 * ranges" (MicrosoftDocs/azure-aks-docs articles/aks/api-server-authorized-ip-ranges.md,
 * "Limitations and considerations").
 */
export const MAX_AUTHORIZED_RANGES = 200;

/** An address or CIDR as AKS stores it (`20.81.4.7` or `20.81.4.0/24`), or undefined (IPv6, malformed). */
export function parseRange(text: string): Ipv4Cidr | undefined {
  const trimmed = text.trim();
  return parseIpv4Cidr(isIpv4(trimmed) ? `${trimmed}/32` : trimmed);
}

/** The `runner-ip` input: an IPv4 address (allowed as `/32`) or an exact CIDR range. */
export function parseRunnerRange(text: string, input: string): Ipv4Cidr {
  const range = parseRange(text);
  if (!range) {
    throw new UserError(`Input '${input}' is '${text}', which is neither an IPv4 address nor an IPv4 CIDR range.`, 'Give the runner\'s public IPv4 address, e.g. 20.81.4.7, or a range such as 20.81.4.0/28.');
  }
  if (!range.exact) {
    throw new UserError(`Input '${input}' is '${text}', which has host bits set.`, `Give the range's first address: ${range.canonical}.`);
  }
  return range;
}

/**
 * Why an address an echo service answered cannot be the runner's public address, or undefined
 * when it is one. Authorized ranges are matched against the address the API server sees, which
 * for a runner outside Azure's network is a public one.
 */
export function echoAnswerProblem(answer: string): string | undefined {
  if (!isIpv4(answer)) return 'it is not an IPv4 address';
  const kind = addressKind(answer);
  return kind === 'public' ? undefined : `it is a ${kind} address, not a public one`;
}

/** The existing range that covers `runner` (CIDR containment, not string equality), if any. */
export function coveringRange(ranges: readonly string[], runner: Ipv4Cidr): string | undefined {
  return ranges.find((range) => {
    const parsed = parseRange(range);
    return parsed !== undefined && cidrContains(parsed, runner);
  });
}

export type Addition =
  /** No authorized ranges: the API server is open to all (nothing to add). */
  | { kind: 'open' }
  | { kind: 'covered'; by: string }
  | { kind: 'add'; after: string[] }
  | { kind: 'too-many'; count: number };

/** What adding the runner's range to `ranges` means. */
export function planAddition(ranges: readonly string[], runner: Ipv4Cidr): Addition {
  if (ranges.length === 0) return { kind: 'open' };
  const by = coveringRange(ranges, runner);
  if (by) return { kind: 'covered', by };
  if (ranges.length + 1 > MAX_AUTHORIZED_RANGES) return { kind: 'too-many', count: ranges.length + 1 };
  return { kind: 'add', after: [...ranges, runner.canonical] };
}

export type Removal =
  | { kind: 'absent' }
  | { kind: 'remove'; after: string[] }
  /** Ours is the only range left: removing it would open the API server to all, so it stays. */
  | { kind: 'last' };

/**
 * What removing the range this run added means: only that one entry (the same range, however it
 * is written), and only if it is still there. Removing the last range would turn the restriction
 * off (an empty list means no restriction), so that is refused.
 */
export function planRemoval(ranges: readonly string[], ours: string): Removal {
  const target = parseRange(ours);
  const exact = ranges.indexOf(ours);
  const index = exact >= 0 ? exact : ranges.findIndex((range) => target !== undefined && parseRange(range)?.canonical === target.canonical);
  if (index < 0) return { kind: 'absent' };
  if (ranges.length === 1) return { kind: 'last' };
  return { kind: 'remove', after: ranges.filter((_, i) => i !== index) };
}
