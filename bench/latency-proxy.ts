/*
 * The benches' stand-in for a network: a local HTTP proxy that waits a fixed time before
 * forwarding each request, which turns "how many requests, how many at once" into wall time
 * as a network does. It counts requests by operation, and round trips: the longest chain of
 * requests each sent after the one before it was answered.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

export interface LatencyProxy {
  endpoint: string;
  setDelay(ms: number): void;
  /** Requests by operation since the last take(), and clears them. */
  take(): Record<string, number>;
  /** Requests and round trips since the last takeRounds(), and clears them. */
  takeRounds(): { requests: number; rounds: number };
  close(): void;
}

/** Waits `delayMs` on every request, then forwards it to 127.0.0.1:`target`. */
export async function latencyProxy(target: number): Promise<LatencyProxy> {
  const counts = new Map<string, number>();
  let delayMs = 0;
  // A request's depth is 1 + the deepest request answered before it arrived.
  let answeredDepth = 0;
  let deepest = 0;
  let requests = 0;
  const server = createServer((incoming, outgoing) => {
    const url = new URL(incoming.url ?? '/', 'http://proxy');
    const query = [...url.searchParams.keys()].filter((name) => !['x-id', 'list-type'].includes(name));
    const copy = incoming.headers['x-amz-copy-source'] ? ' copy' : '';
    const name = `${incoming.method}${copy}${query.length ? ` ?${query.join('&')}` : ''}`;
    counts.set(name, (counts.get(name) ?? 0) + 1);
    const depth = answeredDepth + 1;
    requests += 1;
    deepest = Math.max(deepest, depth);
    outgoing.on('finish', () => {
      answeredDepth = Math.max(answeredDepth, depth);
    });
    setTimeout(() => {
      const forward = httpRequest(
        {
          host: '127.0.0.1',
          port: target,
          method: incoming.method,
          path: incoming.url,
          headers: incoming.headers,
        },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forward.on('error', () => outgoing.destroy());
      incoming.pipe(forward);
    }, delayMs);
  });
  const port = await listen(server);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    setDelay(ms: number) {
      delayMs = ms;
    },
    take() {
      const snapshot = Object.fromEntries(counts);
      counts.clear();
      return snapshot;
    },
    takeRounds() {
      const snapshot = { requests, rounds: deepest };
      requests = 0;
      deepest = 0;
      answeredDepth = 0;
      return snapshot;
    },
    close: () => server.close(),
  };
}
