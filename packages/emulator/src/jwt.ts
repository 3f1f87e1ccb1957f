import { createPublicKey, generateKeyPair, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

/** A JWT signing key: RS256 like Entra ID, GitHub and Azure DevOps use. */
export interface SigningKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: KeyObject;
  publicKey: KeyObject;
}

const genKeyPair = promisify(generateKeyPair);

export async function createSigningKey(alg: SigningKey['alg'] = 'RS256'): Promise<SigningKey> {
  const { privateKey, publicKey } =
    alg === 'RS256'
      ? await genKeyPair('rsa', { modulusLength: 2048 })
      : await genKeyPair('ec', { namedCurve: 'P-256' });
  return { kid: randomUUID().replace(/-/g, ''), alg, privateKey, publicKey };
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');
const hash = () => 'sha256';
// JWS ES256 wants the raw r||s signature, not DER.
const dsaEncoding = (alg: string) => (alg === 'ES256' ? ('ieee-p1363' as const) : undefined);

export type Claims = Record<string, unknown>;

export function signJwt(key: SigningKey, claims: Claims, header: Claims = {}): string {
  const input = `${b64url(JSON.stringify({ typ: 'JWT', alg: key.alg, kid: key.kid, ...header }))}.${b64url(JSON.stringify(claims))}`;
  const signature = sign(hash(), Buffer.from(input), { key: key.privateKey, dsaEncoding: dsaEncoding(key.alg) });
  return `${input}.${b64url(signature)}`;
}

export interface DecodedJwt {
  header: Claims;
  payload: Claims;
  signingInput: string;
  signature: Buffer;
}

/** Parses a compact JWS without checking anything; undefined when it is not one. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as Claims;
    const payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Claims;
    if (typeof header !== 'object' || typeof payload !== 'object' || !header || !payload) return undefined;
    return { header, payload, signingInput: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2]!, 'base64url') };
  } catch {
    return undefined;
  }
}

export function verifySignature(jwt: DecodedJwt, key: SigningKey | KeyObject): boolean {
  const publicKey = 'kid' in key ? key.publicKey : key;
  const alg = String(jwt.header.alg);
  if (alg !== 'RS256' && alg !== 'ES256') return false;
  if (publicKey.asymmetricKeyType !== (alg === 'RS256' ? 'rsa' : 'ec')) return false;
  return verify(hash(), Buffer.from(jwt.signingInput), { key: publicKey, dsaEncoding: dsaEncoding(alg) }, jwt.signature);
}

/** The key as a JWKS entry. */
export function toJwk(key: SigningKey): Record<string, unknown> {
  const jwk = createPublicKey(key.publicKey).export({ format: 'jwk' });
  return { ...jwk, kid: key.kid, use: 'sig', alg: key.alg };
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);
