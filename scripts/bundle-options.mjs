// The esbuild options every bundle of this project shares: the CLI build and the benches.
export const BUNDLE_OPTIONS = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  // The SDK's CommonJS builds crash in an ESM bundle ("Dynamic require of node:https").
  mainFields: ['module', 'main'],
  // CommonJS dependencies (handlebars) still call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: 'warning',
};
