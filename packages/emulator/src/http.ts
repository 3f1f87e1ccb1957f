import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a route handler answers; the server writes it, logs it and applies faults around it. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export const json = (status: number, body?: unknown, headers?: Record<string, string>): Reply => ({ status, body, headers });

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...reply.headers };
  let payload: string | undefined;
  if (reply.body !== undefined) {
    payload = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    headers['content-type'] ??= typeof reply.body === 'string' ? 'text/plain' : 'application/json; charset=utf-8';
  }
  headers['content-length'] = String(payload ? Buffer.byteLength(payload) : 0);
  res.writeHead(reply.status, headers);
  res.end(payload);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function bearer(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  const m = h ? /^Bearer\s+(.+)$/i.exec(h) : null;
  return m ? m[1]!.trim() : undefined;
}

/** One parsed request, as route handlers see it. */
export interface RequestContext {
  req: IncomingMessage;
  method: string;
  url: URL;
  /** Path without the query string, as received. */
  path: string;
  /** Raw body (JSON or form, depending on the surface). */
  body: string;
  /** The server's own base URL (https://127.0.0.1:port) as clients address it. */
  base: string;
}

export function parseJson(body: string): unknown {
  if (!body.trim()) return undefined;
  return JSON.parse(body);
}
