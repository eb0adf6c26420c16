// Probes against ephemeral ports: catalog HTTP probes name the default host port
// (`http://127.0.0.1:8123/ping`); an isolated `with` run publishes elsewhere, so the URL is
// pointed at the port the engine assigned. (TCP probes already use the published port.)

import type { PublishedPort } from "./env.ts";

/** The host port published for a container port (`6379`, `6379/tcp`). */
export function publishedFor(ports: readonly PublishedPort[], containerPort: string | number) {
  const key = String(containerPort).includes("/") ? String(containerPort) : `${containerPort}/tcp`;
  return ports.find((p) => p.containerPort === key);
}

/**
 * A probe URL names the default host port (`http://127.0.0.1:8123/ping`): point it at the port
 * actually published for the container port the default maps to.
 */
export function rewriteProbeUrl(
  url: string,
  defaults: Record<string, string>,
  ports: readonly PublishedPort[],
): string {
  const u = new URL(url);
  const port = u.port || (u.protocol === "https:" ? "443" : "80");
  const containerPort = Object.entries(defaults).find(([, host]) => host === port)?.[0];
  const published = containerPort ? publishedFor(ports, containerPort) : undefined;
  if (published) u.port = String(published.hostPort);
  return u.toString();
}
