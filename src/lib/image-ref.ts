// Docker image references: which registry an image is pulled from, by Docker's own rule (the
// first path component names a registry when it has a dot or a port, or is `localhost`).

/** `redis:7` → `docker.io`, `ghcr.io/getsentry/snuba` → `ghcr.io`, `127.0.0.1:5000/x` → itself. */
export function registryOf(ref: string): string {
  const slash = ref.indexOf("/");
  if (slash < 0) return "docker.io";
  const first = ref.slice(0, slash);
  return first.includes(".") || first.includes(":") || first === "localhost" ? first : "docker.io";
}
