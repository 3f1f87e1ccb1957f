import { UserError } from '@private-wire/shared/errors';
import { isLabelKey, isLabelValue } from '@private-wire/shared/kubernetes/validation';

export interface ServicePortSpec {
  name: string;
  port: number;
  targetPort: number | string;
  protocol: 'TCP' | 'UDP' | 'SCTP';
}

const PORT_SYNTAX = /^(\d+)(?::([^/]+))?(?:\/([A-Za-z]+))?$/;
// IANA service names, what a named targetPort must be: at most 15 characters, a letter somewhere, no '--'.
const IANA_SVC_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

const validPort = (n: number) => Number.isInteger(n) && n >= 1 && n <= 65535;

/**
 * `80:8080/TCP,443:8443` → Service ports. Each gets a name (`tcp-80`): the API server requires
 * names once a Service has more than one port.
 */
export function parsePorts(entries: readonly string[], shown: string): ServicePortSpec[] {
  const ports: ServicePortSpec[] = [];
  const hint = 'Write each port as `port[:targetPort][/TCP|UDP|SCTP]`, comma-separated, e.g. `80:8080/TCP,443:8443`.';
  for (const entry of entries) {
    const m = PORT_SYNTAX.exec(entry);
    if (!m) throw new UserError(`Input '${shown}' has '${entry}', which is not a port.`, hint);
    const port = Number(m[1]);
    if (!validPort(port)) throw new UserError(`Input '${shown}' has '${entry}': port ${m[1]} is outside 1–65535.`, hint);
    let targetPort: number | string = port;
    if (m[2] !== undefined) {
      if (/^\d+$/.test(m[2])) {
        targetPort = Number(m[2]);
        if (!validPort(targetPort)) throw new UserError(`Input '${shown}' has '${entry}': target port ${m[2]} is outside 1–65535.`, hint);
      } else if (m[2].length <= 15 && IANA_SVC_NAME.test(m[2]) && !m[2].includes('--')) {
        targetPort = m[2];
      } else {
        throw new UserError(`Input '${shown}' has '${entry}': target port '${m[2]}' is neither a number nor a container port name.`, 'A named target port is at most 15 lower-case letters, digits and single hyphens.');
      }
    }
    const protocol = (m[3] ?? 'TCP').toUpperCase();
    if (protocol !== 'TCP' && protocol !== 'UDP' && protocol !== 'SCTP') {
      throw new UserError(`Input '${shown}' has '${entry}': protocol '${m[3]}' is not TCP, UDP or SCTP.`, hint);
    }
    if (ports.some((p) => p.port === port && p.protocol === protocol)) {
      throw new UserError(`Input '${shown}' lists port ${port}/${protocol} twice.`, 'Give each port and protocol once.');
    }
    ports.push({ name: `${protocol.toLowerCase()}-${port}`, port, targetPort, protocol });
  }
  return ports;
}

/** `app=backend,tier=web` → a selector map, with the API server's label key and value rules. */
export function parseSelector(entries: readonly string[], shown: string): Record<string, string> {
  const selector: Record<string, string> = {};
  for (const entry of entries) {
    const i = entry.indexOf('=');
    const key = i >= 0 ? entry.slice(0, i).trim() : '';
    const value = i >= 0 ? entry.slice(i + 1).trim() : '';
    if (i < 0 || !isLabelKey(key)) {
      throw new UserError(`Input '${shown}' has '${entry}', which is not a \`key=value\` label.`, 'Write the pod labels to select as `key=value` pairs, e.g. `app=backend`.');
    }
    if (!isLabelValue(value)) {
      throw new UserError(`Input '${shown}' has '${entry}': '${value}' is not a valid label value.`, 'A label value is at most 63 letters, digits, `-`, `_` or `.`, starting and ending with a letter or digit.');
    }
    if (key in selector) {
      throw new UserError(`Input '${shown}' gives label '${key}' twice ('${key}=${selector[key]}' and '${entry}').`, 'A selector has each label key once: keep the one the pods carry.');
    }
    selector[key] = value;
  }
  return selector;
}
