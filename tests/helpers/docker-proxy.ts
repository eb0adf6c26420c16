// A stand-in for a misbehaving Docker daemon: a proxy between sentryctl and the shared engine's
// socket that a test can freeze (stop forwarding, like `kill -STOP dockerd`) and kill (like a
// daemon that stopped), without touching the dockerd every helper shares.

import { createConnection, createServer, type Server, type Socket } from "node:net";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export class DockerProxy {
  readonly server: Server;
  /** `unix:///…sock` or `tcp://127.0.0.1:PORT`, for DOCKER_HOST. */
  url = "";
  #frozen = false;
  #pairs = new Set<[Socket, Socket]>();

  private constructor(private readonly upstream = "/var/run/docker.sock") {
    this.server = createServer((client) => this.#accept(client));
  }

  /** Listens on a fresh unix socket, or on a loopback TCP port with `tcp: true`. */
  static async start(opts: { tcp?: boolean } = {}): Promise<DockerProxy> {
    const proxy = new DockerProxy();
    if (opts.tcp) {
      await new Promise<void>((r) => proxy.server.listen(0, "127.0.0.1", r));
      const address = proxy.server.address() as { port: number };
      proxy.url = `tcp://127.0.0.1:${address.port}`;
    } else {
      const path = join(mkdtempSync(join(tmpdir(), "sentryctl-proxy-")), "docker.sock");
      await new Promise<void>((r) => proxy.server.listen(path, r));
      proxy.url = `unix://${path}`;
    }
    return proxy;
  }

  #accept(client: Socket): void {
    const engine = createConnection(this.upstream);
    const pair: [Socket, Socket] = [client, engine];
    this.#pairs.add(pair);
    const drop = () => {
      this.#pairs.delete(pair);
      client.destroy();
      engine.destroy();
    };
    client.on("error", drop).on("close", drop);
    engine.on("error", drop).on("close", drop);
    client.on("data", (d) => engine.write(d));
    engine.on("data", (d) => client.write(d));
    if (this.#frozen) {
      client.pause();
      engine.pause();
    }
  }

  /** Stops forwarding in both directions; connections stay open, nothing answers. */
  freeze(): void {
    this.#frozen = true;
    for (const [a, b] of this.#pairs) {
      a.pause();
      b.pause();
    }
  }

  thaw(): void {
    this.#frozen = false;
    for (const [a, b] of this.#pairs) {
      a.resume();
      b.resume();
    }
  }

  /** The daemon "stops": every connection is cut and nothing listens any more. */
  async kill(): Promise<void> {
    for (const [a, b] of this.#pairs) {
      a.destroy();
      b.destroy();
    }
    this.#pairs.clear();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
