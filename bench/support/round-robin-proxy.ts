import http from 'node:http';

export interface RoundRobinProxy {
  url: string;
  /** Requests answered 502 because the backend died with the request sent (the client retries). */
  readonly cut: number;
  close(): Promise<void>;
}

/**
 * The smallest load balancer for scripts: each request goes to the next backend in turn; one that
 * refuses the connection (it is down) is skipped — nothing was sent to it, so trying the next is
 * safe. A backend that dies with the request sent answers 502, like a real proxy: the client does
 * not know whether it was done and retries with its idempotency key.
 */
export async function startRoundRobinProxy(backends: () => readonly string[], port = 0): Promise<RoundRobinProxy> {
  let turn = 0;
  let cut = 0;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const list = backends();
      const tryBackend = (attempt: number) => {
        if (attempt >= list.length * 2) {
          res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":{"code":"unavailable","message":"no backend"}}');
          return;
        }
        const target = new URL(req.url ?? '/', list[turn++ % list.length]);
        let connected = false;
        const upstream = http.request(target, { method: req.method, headers: { ...req.headers, host: target.host }, agent }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          answer.on('error', () => res.destroy());
        });
        upstream.on('socket', (socket) => {
          // A kept-alive socket is connected already; only a new one waits for `connect`.
          if (!socket.connecting) connected = true;
          else
            socket.once('connect', () => {
              connected = true;
            });
        });
        upstream.on('error', (error: NodeJS.ErrnoException) => {
          if (!connected || error.code === 'ECONNREFUSED') return tryBackend(attempt + 1);
          cut++;
          if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' }).end('{"error":{"code":"bad_gateway","message":"backend went away"}}');
          else res.destroy();
        });
        upstream.end(body);
      };
      tryBackend(0);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${actual}`,
    get cut() {
      return cut;
    },
    close: () =>
      new Promise((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
