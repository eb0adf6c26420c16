// Sentry's `ApiError`: an HTTP status and the response body; its text is `status=<code>
// body=<body>` (Sentry's `__str__`). A SentryctlError of category "failure", so the CLI exits 1.

import { SentryctlError } from "../errors.ts";

export class ApiError extends SentryctlError {
  readonly status: number;
  readonly body: string;

  constructor(status: number, body: string, hint?: string) {
    super("failure", `status=${status} body=${body}`, { statusCode: status, hint });
    this.name = "ApiError";
    this.status = status;
    this.body = body;
  }
}
