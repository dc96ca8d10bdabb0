import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of a real server (MariaDB, Redis). `cut()` makes the
 * dependency disappear for the app exactly as a stopped server does (refused
 * connections, dropped sockets) without stopping the server other suites share;
 * `hold()` makes it stop answering while connections stay open (a stalled server).
 * `stall()` makes it unreachable the slow way (connections hang, as behind a
 * firewall that drops packets), so the app's connect timeout is what ends them.
 */
export class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly clients = new Set<Socket>();
  private held = false;
  private stalled = false;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<void> {
    const server = createServer((client) => {
      if (this.stalled) {
        // Accepted, then never a byte: the MySQL handshake does not come.
        this.sockets.add(client);
        client.on('close', () => this.sockets.delete(client));
        client.on('error', () => client.destroy());
        return;
      }
      const upstream = connect(this.targetPort, this.targetHost);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      this.clients.add(client);
      client.on('close', () => this.clients.delete(client));
      client.pipe(upstream).pipe(client);
      if (this.held) client.pause();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (typeof address === 'object' && address) this.port = address.port;
    this.server = server;
  }

  /** Refuses new connections and drops the open ones. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Accepts connections but passes nothing on to the server (held bytes stay queued) until {@link release}. */
  hold(): void {
    this.held = true;
    for (const client of this.clients) client.pause();
  }

  /** Passes on what was held, and everything after it. */
  release(): void {
    this.held = false;
    for (const client of this.clients) client.resume();
  }

  /** Drops the open connections; new ones are accepted but never answered. */
  stall(): void {
    this.stalled = true;
    for (const socket of this.sockets) socket.destroy();
  }

  /** Serves again on the same port. */
  async restore(): Promise<void> {
    if (this.stalled) {
      this.stalled = false;
      for (const socket of this.sockets) socket.destroy();
    }
    if (!this.server) await this.start();
  }
}
