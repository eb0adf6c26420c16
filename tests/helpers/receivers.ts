// Real listeners on 127.0.0.1 for telemetry tests: an HTTP receiver that records every request
// (arrival order shared across receivers through one sequence counter) and answers from a
// script, and a UDP socket that records statsd packets.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createSocket } from "node:dgram";
import type { AddressInfo } from "node:net";

export interface Received {
  seq: number;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
}

let sequence = 0;

export type Answer = (req: Received, res: ServerResponse) => void;

export const answerOk: Answer = (_req, res) => {
  res.writeHead(200, { "Content-Type": "application/json" });
  res.end("{}");
};

export interface HttpReceiver {
  port: number;
  received: Received[];
  close(): Promise<void>;
}

export async function httpReceiver(answer: Answer = answerOk): Promise<HttpReceiver> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const seq = ++sequence; // counted on arrival, before the body
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r = {
        seq,
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      received.push(r);
      answer(r, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    received,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A parsed envelope: its header and items as [header, payload] (payload parsed when JSON). */
export function parseEnvelope(body: string): {
  header: Record<string, unknown>;
  items: [Record<string, unknown>, unknown][];
} {
  const lines = body.split("\n");
  const header = JSON.parse(lines[0]!);
  const items: [Record<string, unknown>, unknown][] = [];
  for (let i = 1; lines[i]; i += 2) {
    const itemHeader = JSON.parse(lines[i]!);
    const raw = lines[i + 1] ?? "";
    let payload: unknown = raw;
    try {
      payload = JSON.parse(raw);
    } catch { /* statsd items are plain text */ }
    items.push([itemHeader, payload]);
  }
  return { header, items };
}

export interface UdpReceiver {
  port: number;
  packets: string[];
  /** Waits until a packet line matches, or fails after `ms`. */
  waitFor(pattern: RegExp, ms?: number): Promise<string>;
  close(): void;
}

export async function udpReceiver(): Promise<UdpReceiver> {
  const socket = createSocket("udp4");
  const packets: string[] = [];
  socket.on("message", (msg) => packets.push(msg.toString("utf8")));
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return {
    port: socket.address().port,
    packets,
    async waitFor(pattern, ms = 3000) {
      const deadline = Date.now() + ms;
      while (Date.now() < deadline) {
        const line = packets.flatMap((p) => p.split("\n")).find((l) => pattern.test(l));
        if (line) return line;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`no statsd line matched ${pattern}; got:\n${packets.join("\n---\n")}`);
    },
    close: () => socket.close(),
  };
}
