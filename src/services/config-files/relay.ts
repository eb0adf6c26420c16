// Default files for relay's `/etc/relay` (Sentry keeps them in `config/relay/`): a config for a
// processing relay in front of the devserver, and credentials of its own. `{containers[x][name]}`
// is rendered with the project's container names when the files are delivered.

/** Relay's settings: listen on 7899 in the container, forward to the devserver on the host. */
export const RELAY_CONFIG_YML =
  `# relay's configuration for sentryctl (delivered to /etc/relay/config.yml).
# Edit freely: sentryctl never overwrites this file. {containers[NAME][name]} becomes the
# container name of service NAME in the current project.
---
relay:
  # The Sentry devserver on the host (its backend port).
  upstream: "http://host.docker.internal:8001/"
  host: 0.0.0.0
  port: 7899
logging:
  level: INFO
  enable_backtraces: false
limits:
  shutdown_timeout: 0
processing:
  enabled: true
  kafka_config:
    - { name: "bootstrap.servers", value: "{containers[kafka][name]}:9093" }
    # Attachment chunks are at most 1 MiB; with metadata a message stays under 2 MiB.
    - { name: "message.max.bytes", value: 2097176 }
  redis: "redis://{containers[redis][name]}:6379"
`;

/**
 * Relay's identity: an Ed25519 key pair in relay's encoding (URL-safe base64 without padding of
 * the 32-byte seed and public key) and an id. Generated once per state directory, so no two
 * machines share a secret; Sentry's devserver accepts any relay while DEBUG is on.
 */
export function relayCredentialsJson(): string {
  const { generateKeyPairSync, randomUUID } = process.getBuiltinModule("node:crypto");
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const secret = privateKey.export({ format: "jwk" }).d;
  const pub = publicKey.export({ format: "jwk" }).x;
  return `${JSON.stringify({ secret_key: secret, public_key: pub, id: randomUUID() }, null, 2)}\n`;
}
