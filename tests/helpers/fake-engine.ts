// An in-memory Engine for unit tests: containers, images, networks and volumes as maps, a call
// log, scripted failures, scripted exec exit codes, a registry of pullable images and an event
// emitter. It keeps the Engine conventions (404 → undefined, idempotent stop/remove, 409 on a
// taken name) so plans, execution and attach's logic can be tested without Docker. The parts
// are in fake-engine/, one file a concern (state, containers, streams, images, networks, exec).

export { FakeEngine } from "./fake-engine/exec.ts";
export { readTar } from "./fake-engine/containers.ts";
export { engineError, type FakeContainer } from "./fake-engine/state.ts";
