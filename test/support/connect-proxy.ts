// A real HTTP CONNECT proxy for tests: it tunnels to the stand-in the names only it can resolve
// (as a corporate egress proxy resolves names the runner cannot), records every tunnel asked for,
// and can demand Basic proxy credentials (407 Proxy Authentication Required without them).
import { createServer, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface ConnectProxy {
  /** `http://127.0.0.1:<port>` (no credentials). */
  url: string;
  /** The URL with the credentials this proxy demands. */
  urlWithCredentials(): string;
  /** `host:port` of every tunnel opened, in order. */
  tunnels: string[];
  /** Tunnels refused, with the status sent (407 without the right credentials, 403 for a name it cannot resolve). */
  refused: { target: string; status: number }[];
  stop(): Promise<void>;
}

export interface ConnectProxyOptions {
  /** The address a name is tunnelled to; undefined refuses it (403). */
  resolve(host: string): string | undefined;
  /** Demand these credentials (Proxy-Authorization: Basic). */
  credentials?: { username: string; password: string };
}

function splitTarget(target: string): { host: string; port: number } | undefined {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(target);
  return m ? { host: m[1]!.toLowerCase(), port: Number(m[2]) } : undefined;
}

function authorized(req: IncomingMessage, credentials: ConnectProxyOptions['credentials']): boolean {
  if (!credentials) return true;
  const expected = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  return req.headers['proxy-authorization'] === expected;
}

export async function startConnectProxy(options: ConnectProxyOptions): Promise<ConnectProxy> {
  const tunnels: string[] = [];
  const refused: { target: string; status: number }[] = [];
  const sockets = new Set<Socket>();
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  };
  const server = createServer((_req, res) => res.writeHead(405).end('CONNECT only'));
  server.on('connection', track);
  server.on('connect', (req: IncomingMessage, duplex, head: Buffer) => {
    const client = duplex as Socket;
    const target = (req.url ?? '').toLowerCase();
    const refuse = (status: number, text: string, headers = '') => {
      refused.push({ target, status });
      client.end(`HTTP/1.1 ${status} ${text}\r\n${headers}Content-Length: 0\r\n\r\n`);
    };
    if (!authorized(req, options.credentials)) return refuse(407, 'Proxy Authentication Required', 'Proxy-Authenticate: Basic realm="test"\r\n');
    const parts = splitTarget(target);
    const address = parts && options.resolve(parts.host);
    if (!parts || !address) return refuse(403, 'Forbidden');
    const upstream = connect(parts.port, address, () => {
      tunnels.push(target);
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    track(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    urlWithCredentials() {
      const c = options.credentials;
      if (!c) return url;
      return url.replace('://', `://${encodeURIComponent(c.username)}:${encodeURIComponent(c.password)}@`);
    },
    tunnels,
    refused,
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
