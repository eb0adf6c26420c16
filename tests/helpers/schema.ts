// Validates a JSON document against one of the schemas kept in schemas/ (draft 2020-12), with
// ajv in strict mode, so the documented shapes and the real outputs cannot drift apart.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import { REPO_ROOT } from "./cli.ts";

export function schemaErrors(schemaFile: string, doc: unknown): string[] {
  const schema = JSON.parse(readFileSync(join(REPO_ROOT, "schemas", schemaFile), "utf8"));
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  // The one format the schemas use; RFC 3339 date-time as Docker and Date#toISOString write it.
  ajv.addFormat(
    "date-time",
    (v: string) =>
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v) &&
      !Number.isNaN(Date.parse(v)),
  );
  const validate = ajv.compile(schema);
  if (validate(doc)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`);
}
