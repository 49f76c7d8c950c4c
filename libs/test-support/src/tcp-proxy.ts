import net from 'node:net';

export interface TcpProxy {
  port: number;
  /** Drops every open connection and refuses new ones, as a dependency that went down. */
  cut(): Promise<void>;
  /**
   * Keeps every connection open and accepts new ones, but relays nothing either way: a dependency
   * that hangs (a stuck server, a network that drops packets) rather than one that refuses.
   */
  blackHole(): void;
  /** Accepts connections again on the same port (and relays again), as the dependency coming back. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A TCP relay in front of Postgres or Redis, so a test can take the dependency away from the
 * pipeline's processes without stopping the machine's shared server.
 */
export async function createTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  const pairs = new Set<[net.Socket, net.Socket]>();
  let holed = false;
  const server = net.createServer((client) => {
    if (holed) {
      // Accepted and read, never answered, never closed.
      sockets.add(client);
      client.on('error', () => client.destroy()).resume();
      return;
    }
    const upstream = net.connect(targetPort, targetHost);
    sockets.add(client).add(upstream);
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
      pairs.delete(pair);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  await listen(0);
  const port = (server.address() as net.AddressInfo).port;
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      sockets.clear();
      if (!server.listening) return resolve();
      server.close(() => resolve());
    });
  const blackHole = () => {
    holed = true;
    for (const [client, upstream] of pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      // Read and dropped: nothing reaches the other side, nothing backs up into an error.
      client.resume();
      upstream.resume();
    }
  };
  const restore = async () => {
    if (holed) {
      // What was held in the hole is gone for good: those connections are broken, as after a real hang.
      holed = false;
      for (const s of sockets) s.destroy();
      sockets.clear();
      pairs.clear();
    }
    if (!server.listening) await listen(port);
  };
  return { port, cut: stop, blackHole, restore, close: stop };
}
