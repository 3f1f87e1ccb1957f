import { RESOURCES } from './resources';

/** The Kubernetes version the stand-in claims to be (an AKS-supported minor). */
export const SERVER_VERSION = {
  major: '1',
  minor: '30',
  gitVersion: 'v1.30.6',
  gitCommit: '00f20d443ba0cd2e2b33b4a0ebb17ce9d3f5e5a8',
  gitTreeState: 'clean',
  buildDate: '2024-10-22T20:28:14Z',
  goVersion: 'go1.22.8',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export function coreVersions(serverAddress: string) {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

export function groupList() {
  const groups = [...new Set(RESOURCES.filter((r) => r.group).map((r) => r.group))];
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups.map((name) => ({
      name,
      versions: [{ groupVersion: `${name}/v1`, version: 'v1' }],
      preferredVersion: { groupVersion: `${name}/v1`, version: 'v1' },
    })),
  };
}

export function group(name: string) {
  return {
    kind: 'APIGroup',
    apiVersion: 'v1',
    name,
    versions: [{ groupVersion: `${name}/v1`, version: 'v1' }],
    preferredVersion: { groupVersion: `${name}/v1`, version: 'v1' },
  };
}

const INFO = { title: 'Kubernetes', version: SERVER_VERSION.gitVersion };

/** A valid OpenAPI v2 document with no definitions: clients then skip schema validation, as they do for unknown types. */
export const openApiJson = () => ({ swagger: '2.0', info: INFO, paths: {}, definitions: {} });

// kubectl asks for /openapi/v2 as protobuf (gnostic's openapi_v2.Document); the tiny encoder
// below writes the few length-delimited fields that document needs.
function field(num: number, payload: Buffer): Buffer {
  const varint = (n: number) => {
    const out: number[] = [];
    while (n > 127) {
      out.push((n & 127) | 128);
      n >>>= 7;
    }
    out.push(n);
    return Buffer.from(out);
  };
  return Buffer.concat([varint((num << 3) | 2), varint(payload.length), payload]);
}

/** openapi_v2.Document{swagger: "2.0", info: {title, version}, paths: {}}. */
export function openApiProtobuf(): Buffer {
  const info = Buffer.concat([field(1, Buffer.from(INFO.title)), field(2, Buffer.from(INFO.version))]);
  return Buffer.concat([field(1, Buffer.from('2.0')), field(2, info), field(8, Buffer.alloc(0))]);
}
