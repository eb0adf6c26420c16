// A free TCP port on a host address, found by letting the OS pick one (listen on port 0) and
// closing it again. Used only where a port must be known before a container is created (a
// service that advertises its own host port, like Kafka). Between closing it here and the
// engine binding it there is a short window; if another process takes the port in it, the
// container's start fails naming the port (exit 5), it is never silently wrong.

export function freePort(host = "127.0.0.1"): Promise<number> {
  // node:net on first use: the stack code that imports this runs for every `up`.
  const { createServer } = process.getBuiltinModule("node:net");
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error("no port assigned"))));
    });
  });
}
