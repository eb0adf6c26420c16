// The plan as text (`--dry-run`, and the unit tests' view of decisions): one operation a line.

import type { Operation, Plan } from "./operations.ts";

function shortId(id: string): string {
  return id.slice(0, 12);
}

function describe(op: Operation): string {
  switch (op.op) {
    case "create-network":
      return `create network ${op.name}`;
    case "create-volume":
      return `create volume ${op.name}`;
    case "pull":
      return `pull ${op.image}${op.platform ? ` (${op.platform})` : ""}`;
    case "build":
      return `build ${op.build.tag} from ${op.build.context}${
        op.build.target ? ` (target ${op.build.target})` : ""
      }`;
    case "stop":
      return `stop ${op.container} (${shortId(op.id)}${
        op.graceSeconds === undefined ? "" : `, grace ${op.graceSeconds}s`
      })`;
    case "remove":
      return `remove ${op.container} (${shortId(op.id)})`;
    case "create":
      return `create ${op.container}`;
    case "put-files":
      return `copy ${op.files.map((f) => f.path).join(", ")} into ${op.container}`;
    case "start":
      return `start ${op.id ? `existing ${op.container} (${shortId(op.id)})` : op.container}${
        op.publishesPorts ? " (publishes ports)" : ""
      }`;
    case "reuse":
      return `reuse running ${op.container} (${shortId(op.id)})${
        op.madeBy ? `, made by ${op.madeBy}` : ""
      }`;
    case "attached-elsewhere":
      return `leave ${op.container} (${shortId(op.id)}): attached elsewhere`;
    case "wait-healthy":
      return `wait until healthy: ${op.probe}`;
    case "wait-completed":
      return `wait until it exits 0`;
    case "remove-volume":
      return `remove volume ${op.name}${op.legacy ? " (unlabelled, --legacy)" : ""}`;
    case "remove-network":
      return `remove network ${op.name}`;
  }
}

/** The plan as text, one operation a line (`--dry-run`). */
export function renderPlan(plan: Plan): string {
  const lines: string[] = [];
  for (const p of plan.problems) lines.push(`refuse: ${p.message}`, `  hint: ${p.hint}`);
  for (const op of plan.prelude) lines.push(describe(op));
  for (const s of plan.services) {
    const head = s.after.length > 0 ? `${s.service} (after ${s.after.join(", ")})` : s.service;
    for (const op of s.ops) lines.push(`${head}: ${describe(op)}`);
  }
  for (const op of plan.finale) lines.push(describe(op));
  if (lines.length === 0) lines.push("nothing to do");
  return lines.join("\n") + "\n";
}

/** True when running the plan would change nothing in the engine. */
export function isNoop(plan: Plan): boolean {
  const passive = new Set(["reuse", "attached-elsewhere", "wait-healthy", "wait-completed"]);
  return plan.prelude.length === 0 && plan.finale.length === 0 &&
    plan.services.every((s) => s.ops.every((op) => passive.has(op.op)));
}
