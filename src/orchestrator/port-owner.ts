// Names whatever holds a host port: a container publishing it, or (on Linux) the listening
// process found through /proc. Used to turn Docker's "port is already allocated" into an answer.

import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import type { Engine } from "../docker/engine.ts";

export async function describePortOwner(
  docker: Engine,
  port: number,
): Promise<string | undefined> {
  try {
    const containers = await docker.listContainers([], false);
    const holder = containers.find((c) => c.Ports.some((p) => p.PublicPort === port));
    if (holder) {
      return `container '${holder.Names[0]?.replace(/^\//, "") ?? holder.Id.slice(0, 12)}'`;
    }
  } catch {
    // Fall through to the process lookup.
  }
  const process = listeningProcess(port);
  return process ? `process ${process.pid} (${process.command})` : undefined;
}

/** Linux only: the process owning a TCP socket listening on `port`, if we may see it. */
export function listeningProcess(port: number): { pid: number; command: string } | undefined {
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text: string;
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      const local = fields[1];
      if (!local || fields[3] !== "0A") continue; // 0A = LISTEN
      const hexPort = local.split(":").pop() ?? "";
      if (parseInt(hexPort, 16) === port && fields[9]) inodes.add(fields[9]);
    }
  }
  if (inodes.size === 0) return undefined;
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((d) => /^\d+$/.test(d));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
        if (inode && inodes.has(inode)) {
          const command = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean)
            .join(" ");
          return { pid: Number(pid), command: command || "unknown" };
        }
      } catch {
        // The fd closed while we looked, or it is not ours to read.
      }
    }
  }
  return undefined;
}
