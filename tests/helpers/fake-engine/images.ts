// The fake engine's images: inspect, a registry check, pulls from `registry` (progress per
// layer, an optional delay a test can abort) and builds that record what they were given.

import type { BuildOptions } from "../../../src/docker/engine.ts";
import type { ImageInspect, PullProgress } from "../../../src/docker/types.ts";
import { engineError, newId } from "./state.ts";
import { FakeStreams } from "./streams.ts";

export class FakeImages extends FakeStreams {
  inspectImage(ref: string): Promise<ImageInspect | undefined> {
    this.maybeFail("inspectImage");
    return Promise.resolve(this.images.get(ref));
  }

  checkRegistry(ref: string): Promise<string | undefined> {
    this.calls.push(`check-registry ${ref}`);
    return Promise.resolve(
      this.registry.has(ref) ? undefined : `manifest for ${ref} not found: manifest unknown`,
    );
  }

  async pullImage(
    ref: string,
    _platform: string | undefined,
    onProgress: (p: PullProgress) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    this.calls.push(`pull ${ref}`);
    this.maybeFail("pullImage");
    const layers = this.registry.get(ref);
    if (!layers) {
      throw engineError("not_found", `manifest for ${ref} not found: manifest unknown`, 404);
    }
    layers.forEach((total, i) => {
      onProgress({
        status: "Downloading",
        id: `layer${i}`,
        progressDetail: { current: total, total },
      });
    });
    if (this.pullDelayMs > 0) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, this.pullDelayMs);
        signal?.addEventListener("abort", () => {
          clearTimeout(timer);
          reject(engineError("server", "pull aborted"));
        }, { once: true });
      });
    }
    this.images.set(ref, { Id: `sha256:${newId()}`, RepoTags: [ref] });
  }

  /** Builds record their options and context size; the image then exists under its tag. */
  readonly builds: { opts: BuildOptions; bytes: number }[] = [];

  buildImage(
    context: Uint8Array,
    opts: BuildOptions,
    onProgress: (line: string) => void,
  ): Promise<void> {
    this.calls.push(`build ${opts.tag}`);
    this.maybeFail("buildImage");
    this.builds.push({ opts, bytes: context.byteLength });
    onProgress("Step 1/1\n");
    this.images.set(opts.tag, { Id: `sha256:${newId()}`, RepoTags: [opts.tag] });
    return Promise.resolve();
  }
}
