// `sentryctl serve --link`: asks the running status server for a fresh one-time dashboard link
// (POST /api/0/link/), found the way `tail` and `with` find it (the recorded address, then
// status.bind). The status token goes only to that local server's origin.

import { readStatusToken } from "../api/status-token.ts";
import { failure } from "../errors.ts";
import { candidateOrigins, type Fetch, findStatusServer } from "./locate.ts";

export interface LinkRequest {
  stateDir: string;
  /** status.bind, tried when no running serve recorded its address. */
  bind: string;
  fetch: Fetch;
}

export async function requestDashboardLink(req: LinkRequest): Promise<string> {
  const candidates = candidateOrigins(req.stateDir, req.bind);
  // Generous: a busy server (or machine) still answers /health within seconds.
  const origin = await findStatusServer(candidates, req.fetch, 5000);
  if (origin === undefined) {
    throw failure(`no status server answers (tried ${candidates.join(", ")})`, {
      hint: "start one with `sentryctl serve`; run --link with the --config that serve runs with",
    });
  }
  const { path: tokenPath, token, error } = readStatusToken(req.stateDir);
  if (token === undefined) {
    throw failure(`cannot read the status token ${tokenPath}: ${error}`, {
      hint: "run --link with the --config that serve runs with",
    });
  }
  const res = await req.fetch(`${origin}/api/0/link/`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(5000),
  }).catch((err: Error) => {
    throw failure(`the status server at ${origin} did not answer: ${err.message}`);
  });
  const body = await res.json().catch(() => undefined) as
    | { link?: unknown; detail?: unknown }
    | undefined;
  if (res.status === 401) {
    throw failure(`the status server at ${origin} refused the token in ${tokenPath}`, {
      hint: "run --link with the --config (state directory) that serve runs with",
    });
  }
  if (!res.ok || typeof body?.link !== "string") {
    const why = typeof body?.detail === "string" ? `: ${body.detail}` : "";
    throw failure(`the status server at ${origin} gave no link (HTTP ${res.status}${why})`, {
      hint: "a server older than this sentryctl has no --link; restart `sentryctl serve`",
    });
  }
  return body.link;
}
