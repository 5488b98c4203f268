/**
 * The bundled bin (esbuild, ESM output) contains CommonJS dependencies, such as `yaml`, that call
 * require() for Node built-ins ("process"). An ES module has no require, so esbuild's stub would throw
 * "Dynamic require of "process" is not supported" at start-up. This provides a global require limited
 * to Node built-ins. main.ts imports it first; under tsx it is harmless (CommonJS modules have their own).
 */
import { createRequire, isBuiltin } from "node:module";

const scope = globalThis as { require?: (id: string) => unknown };
if (typeof scope.require === "undefined") {
  const nodeRequire = createRequire(import.meta.url);
  scope.require = (id: string) => {
    if (!isBuiltin(id)) throw new Error(`osiris-appliance: the bundle cannot require "${id}"`);
    return nodeRequire(id);
  };
}
