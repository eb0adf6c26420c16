// The npm `yaml` library, loaded on first need. Most settings and options files take the fast
// path (yaml-fast.ts) and never need it; loading it at start-up cost every command ~5 ms.
// Async code calls `loadYaml()`; the few synchronous users (`config set`'s type coercion, the
// full loader) run after it has resolved and use `loadedYaml()`.

type YamlLibrary = typeof import("yaml");

let library: YamlLibrary | undefined;

export async function loadYaml(): Promise<YamlLibrary> {
  library ??= await import("yaml");
  return library;
}

export function loadedYaml(): YamlLibrary {
  if (!library) throw new Error("internal error: the yaml library was used before loadYaml()");
  return library;
}
