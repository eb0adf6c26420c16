// `with`'s isolated copy of a project file: the run's own name for the project and for the
// file's own networks and volumes, no fixed container names; shared resources stay shared.

import { test } from "node:test";
import assert from "node:assert/strict";
import { load } from "../../tests/helpers/compose-project.ts";
import { isolatedCopy } from "./project-stack.ts";

test("an isolated copy renames the project and its own resources, drops container_name", async () => {
  const p = await load(`
name: shop
services:
  db:
    image: postgres
    container_name: shop-db
    volumes: [data:/data, cache:/cache]
    networks: [default, shared]
volumes:
  data: {}
  cache: { name: shared-cache }
networks:
  shared: { external: true, name: sentry }
`);
  const copy = isolatedCopy(p, "sentry-with-0123abcd");
  assert.equal(copy.name, "sentry-with-0123abcd");
  assert.equal(copy.model.services.db!.container_name, undefined);
  assert.equal(copy.model.volumes.data!.name, "sentry-with-0123abcd_data");
  assert.equal(copy.model.volumes.cache!.name, "shared-cache", "an explicit name: is shared");
  assert.equal(copy.model.networks.default!.name, "sentry-with-0123abcd_default");
  assert.equal(copy.model.networks.shared!.name, "sentry", "external stays");
  // The original is untouched (the file's own project is what --reuse runs).
  assert.equal(p.model.services.db!.container_name, "shop-db");
  assert.equal(p.model.volumes.data!.name, "shop_data");
});
