import { webcrypto } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import './reflect-polyfill';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKeyPair = webcrypto.CryptoKeyPair;
type CryptoKey = webcrypto.CryptoKey;

/**
 * Entra ID authority hosts of the public, US Government and China clouds (azure-cli's built-in
 * clouds' active_directory, Azure/azure-cli src/azure-cli-core/azure/cli/core/cloud.py). The CONNECT
 * proxy (server.ts) tunnels them to the stand-in, whose certificate covers them: az always asks
 * login.microsoftonline.com for instance discovery, and a step run in a sovereign cloud signs in
 * at that cloud's host.
 */
export const AUTHORITY_HOSTS = ['login.microsoftonline.com', 'login.microsoftonline.us', 'login.chinacloudapi.cn'];

/** The stand-in sites' SCM (Kudu) host names, `<site>.scm.azurewebsites.net` (see scm/command.ts). */
export const SCM_HOSTS_WILDCARD = '*.scm.azurewebsites.net';

/** Host names every stand-in certificate covers. */
export const DEFAULT_TLS_HOSTS = ['localhost', '127.0.0.1', '::1', ...AUTHORITY_HOSTS, SCM_HOSTS_WILDCARD];

export interface TlsMaterial {
  /** PEM of the self-signed CA that issued `certPem`; trust this, nothing else. */
  caPem: string;
  /** File holding `caPem` (for NODE_EXTRA_CA_CERTS / REQUESTS_CA_BUNDLE). */
  caFile: string;
  certPem: string;
  keyPem: string;
  /** Issues another leaf certificate signed by the same CA (e.g. for the kube API server). */
  issue(hosts: string[], commonName?: string): Promise<{ certPem: string; keyPem: string }>;
}

const ECDSA = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;

async function keyPair(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ECDSA, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END PRIVATE KEY-----\n`;
}

const serial = () => '01' + Buffer.from(webcrypto.getRandomValues(new Uint8Array(15))).toString('hex');
const isIp = (h: string) => /^[\d.]+$/.test(h) || h.includes(':');

/**
 * Makes a throw-away CA and a server certificate for the given hosts. ECDSA P-256 because RSA
 * key generation would dominate emulator start-up. The CA carries the extensions OpenSSL 3 and
 * Python's strict verification insist on (critical basicConstraints, keyCertSign, SKI/AKI).
 */
export async function createTls(options: { hosts?: string[]; dir?: string } = {}): Promise<TlsMaterial> {
  const hosts = options.hosts ?? DEFAULT_TLS_HOSTS;
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(Date.now() + 7 * 24 * 3600_000);
  const caKeys = await keyPair();
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=private-wire emulator CA',
    notBefore,
    notAfter,
    keys: caKeys,
    signingAlgorithm: SIGNING,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });

  const issue = async (names: string[], commonName = names[0] ?? 'localhost') => {
    const keys = await keyPair();
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serial(),
      subject: `CN=${commonName}`,
      issuer: ca.subject,
      notBefore,
      notAfter,
      signingKey: caKeys.privateKey,
      publicKey: keys.publicKey,
      signingAlgorithm: SIGNING,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
        new x509.SubjectAlternativeNameExtension(names.map((h) => ({ type: isIp(h) ? 'ip' : 'dns', value: h }))),
        await x509.AuthorityKeyIdentifierExtension.create(ca),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ],
    });
    return { certPem: cert.toString('pem') + '\n', keyPem: await privateKeyPem(keys.privateKey) };
  };

  const leaf = await issue(hosts);
  const caPem = ca.toString('pem') + '\n';
  const dir = options.dir ?? mkdtempSync(path.join(tmpdir(), 'pw-emulator-'));
  const caFile = path.join(dir, 'ca.pem');
  writeFileSync(caFile, caPem);
  return { caPem, caFile, ...leaf, issue };
}
