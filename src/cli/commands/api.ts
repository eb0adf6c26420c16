// `sentryctl api [-X METHOD] PATH [-d JSON | --input FILE | -f key=value… | -F key=typed…]
// [--paginate] [--url BASE|sentry] [--token T]` (SPEC §6), like `gh api`, with Sentry's API
// client conventions (src/api/client.ts).

import type { Command } from "../command.ts";

export const apiCommand: Command = {
  words: ["api"],
  summary: "Make an authenticated request to the status server's or Sentry's API",
  args: "PATH",
  description: [
    "PATH gets the /api/0 prefix unless it contains it. The method is GET, or POST when a body",
    "is given. -f adds a string field, -F a typed one (true, false, null, numbers, @FILE); fields",
    "form one JSON object (with -X GET they become query parameters). The response is printed",
    "as JSON. A status outside 200–399 prints 'status=<code> body=<body>' and exits 1.",
    "Base: the local status server by default (the address a running serve recorded, else",
    "status.bind); --url sentry is system.url-prefix. Token: --token, else $SENTRY_AUTH_TOKEN",
    "(only for system.url-prefix or the --url given), else <state dir>/status-token (only for",
    "the local status server). No credential goes to another origin (absolute paths, links).",
  ].join("\n"),
  positionals: { min: 1, max: 1 },
  options: {
    method: { type: "string", short: "X", value: "METHOD", help: "HTTP method" },
    data: { type: "string", short: "d", value: "JSON", help: "request body (JSON text)" },
    input: { type: "string", value: "FILE", help: "read the body from FILE ('-' for stdin)" },
    "raw-field": {
      type: "string",
      short: "f",
      multiple: true,
      value: "KEY=VALUE",
      help: "add a string field to the body",
    },
    field: {
      type: "string",
      short: "F",
      multiple: true,
      value: "KEY=VALUE",
      help: "add a typed field (true/false/null/number/@FILE)",
    },
    header: {
      type: "string",
      short: "H",
      multiple: true,
      value: "NAME:VALUE",
      help: "add a request header",
    },
    paginate: { type: "boolean", help: 'follow Link rel="next" pages; print one merged array' },
    url: { type: "string", value: "BASE", help: "base URL, or 'sentry' for system.url-prefix" },
    token: { type: "string", value: "TOKEN", help: "bearer token" },
  },
  async run(ctx, args) {
    const { runApi } = await import("../../api/command.ts");
    const state = await ctx.chain.throughLevel("options");
    const { getOption } = await import("../../options/index.ts");
    const { sentryOptions } = await import("../../settings/state.ts");
    const { stateDirFor } = await import("../../settings/state-dir.ts");
    const options = sentryOptions(state);
    const env = ctx.inputs.env;
    const v = args.values;
    return await runApi({
      path: args.positionals[0]!,
      method: v.method as string | undefined,
      data: v.data as string | undefined,
      input: v.input as string | undefined,
      rawFields: (v["raw-field"] as string[] | undefined) ?? [],
      typedFields: (v.field as string[] | undefined) ?? [],
      headers: (v.header as string[] | undefined) ?? [],
      paginate: Boolean(v.paginate),
      urlFlag: v.url as string | undefined,
      tokenFlag: v.token as string | undefined,
      env,
      statusBind: String(getOption(options, "status.bind", env)),
      urlPrefix: (getOption(options, "system.url-prefix", env) as string | undefined) || undefined,
      stateDir: stateDirFor(state.location, ctx.inputs.home),
      stdout: ctx.inputs.stdout,
    });
  },
};
