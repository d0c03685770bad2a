// Bundles the CLI into dist/: ESM, split so the AWS SDK loads only for commands that need it.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';

await rm(new URL('../dist/', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: ['src/bin.ts'],
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  // The SDK's CommonJS builds crash in an ESM bundle ("Dynamic require of node:https").
  mainFields: ['module', 'main'],
  // CommonJS dependencies (handlebars) still call require() for Node built-ins.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  minify: true,
  legalComments: 'linked',
  logLevel: 'warning',
});
