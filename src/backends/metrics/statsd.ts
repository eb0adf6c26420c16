// `sentry.metrics.statsd.StatsdMetricsBackend` (options `host`, `port`) and
// `sentry.metrics.dogstatsd.DogStatsdMetricsBackend` (options `statsd_host`, `statsd_port`,
// `tags`): metrics as statsd lines over UDP. Both write DogStatsD's tag syntax
// (`key:1|c|@0.5|#a:b,c:d`); Sentry's plain statsd backend dropped tags, sentryctl keeps them
// because every statsd server it meets (DogStatsD, statsd_exporter, Vector) reads them. The
// instance is a `.instance` key suffix for statsd (Sentry's `_get_key`) and a tag for DogStatsD.
// Lines of one consumer batch share UDP packets (newline-separated, ≤ 1432 bytes: no IP
// fragmentation on a 1500-byte MTU); the socket is unref'd and `flush()` waits for the sends.

import type { Socket } from "node:dgram";
import type { Tags } from "../../metrics/sink.ts";
import { BaseMetricsBackend } from "./base.ts";
import { InvalidConfiguration } from "../service.ts";

/** The most a packet carries: 1500 MTU minus IP and UDP headers, with room for options. */
export const MAX_PACKET_BYTES = 1432;

type StatsdType = "c" | "ms" | "g" | "d";

/** Characters that would break the line format become `_` (`:`, `|`, `@`, `#`, `,`, newline). */
function clean(text: string, tag = false): string {
  return text.replace(tag ? /[|@#,\n\r]/g : /[:|@#,\n\r]/g, "_");
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return "0";
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 1e6) / 1e6);
}

/** One statsd line in DogStatsD syntax. */
export function statsdLine(
  key: string,
  value: number,
  type: StatsdType,
  sampleRate: number,
  tags: Tags | null | undefined,
): string {
  let line = `${clean(key)}:${formatNumber(value)}|${type}`;
  if (sampleRate < 1) line += `|@${sampleRate}`;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(tags ?? {})) {
    if (v === undefined) continue;
    parts.push(v === null ? clean(k, true) : `${clean(k, true)}:${clean(String(v), true)}`);
  }
  if (parts.length) line += `|#${parts.join(",")}`;
  return line;
}

/** Packs lines into packets of at most `max` bytes (a longer line travels alone). */
export function packLines(lines: readonly string[], max = MAX_PACKET_BYTES): string[] {
  const packets: string[] = [];
  let current = "";
  for (const line of lines) {
    if (current && Buffer.byteLength(current) + 1 + Buffer.byteLength(line) > max) {
      packets.push(current);
      current = "";
    }
    current = current ? `${current}\n${line}` : line;
  }
  if (current) packets.push(current);
  return packets;
}

export interface StatsdOptions {
  host: string;
  port: number;
  prefix?: string | null;
  /** Tags added to every metric (DogStatsD's constant tags). */
  constantTags?: Tags;
  /** Put the instance in a tag (DogStatsD) instead of the key (statsd). */
  instanceAsTag: boolean;
}

export class StatsdMetricsBackend extends BaseMetricsBackend {
  #socket: Socket | undefined;
  #lines: string[] = [];
  #flushScheduled = false;
  #inFlight = new Set<Promise<void>>();
  /** Packets the kernel refused (unreachable host, closed socket): counted, never raised. */
  sendErrors = 0;

  constructor(private readonly opts: StatsdOptions, settingsPrefix: unknown) {
    super(opts.prefix, settingsPrefix);
    if (!opts.host) throw new InvalidConfiguration("statsd needs a host");
    if (!Number.isInteger(opts.port) || opts.port < 1 || opts.port > 65535) {
      throw new InvalidConfiguration(`statsd port must be 1-65535, got ${opts.port}`);
    }
  }

  #emit(
    key: string,
    value: number,
    type: StatsdType,
    instance: string | null | undefined,
    tags: Tags | null | undefined,
    sampleRate = 1,
  ): void {
    let name = this.getKey(key);
    let allTags: Tags | null | undefined = tags;
    if (instance) {
      if (this.opts.instanceAsTag) allTags = { ...tags, instance };
      else name = `${name}.${instance}`;
    }
    if (this.opts.constantTags) allTags = { ...this.opts.constantTags, ...allTags };
    this.#lines.push(statsdLine(name, value, type, sampleRate, allTags));
    // Lines of one consumer pass go out together, right after it.
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      queueMicrotask(() => this.#send());
    }
  }

  override incr(
    key: string,
    instance?: string | null,
    tags?: Tags | null,
    amount = 1,
    sampleRate = 1,
  ): void {
    this.#emit(key, amount, "c", instance, tags, sampleRate);
  }

  override timing(
    key: string,
    value: number,
    instance?: string | null,
    tags?: Tags | null,
    sampleRate = 1,
  ): void {
    this.#emit(key, value * 1000, "ms", instance, tags, sampleRate);
  }

  override gauge(
    key: string,
    value: number,
    instance?: string | null,
    tags?: Tags | null,
    sampleRate = 1,
  ): void {
    this.#emit(key, value, "g", instance, tags, sampleRate);
  }

  override distribution(
    key: string,
    value: number,
    instance?: string | null,
    tags?: Tags | null,
    sampleRate = 1,
  ): void {
    this.#emit(key, value, "d", instance, tags, sampleRate);
  }

  #send(): void {
    this.#flushScheduled = false;
    const lines = this.#lines;
    this.#lines = [];
    if (!lines.length) return;
    if (!this.#socket) {
      // node:dgram on first send: a command that records nothing never loads it.
      const { createSocket } = process.getBuiltinModule("node:dgram");
      this.#socket = createSocket(this.opts.host.includes(":") ? "udp6" : "udp4");
      this.#socket.on("error", () => this.sendErrors++);
      this.#socket.unref();
    }
    for (const packet of packLines(lines)) {
      const sent = new Promise<void>((resolve) => {
        this.#socket!.send(packet, this.opts.port, this.opts.host, (err) => {
          if (err) this.sendErrors++;
          resolve();
        });
      });
      this.#inFlight.add(sent);
      sent.then(() => this.#inFlight.delete(sent));
    }
  }

  override async flush(): Promise<void> {
    this.#send();
    await Promise.all(this.#inFlight);
  }
}
