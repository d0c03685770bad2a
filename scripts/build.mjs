// Bundles the CLI into dist/: ESM, split so the AWS SDK loads only for commands that need it.
// Writes esbuild's metafile to .tmp/esbuild-meta.json (bench/startup.mjs and the e2e tests read
// it) and prints one line: what start-up loads, and where the SDK went. `--report` lists chunks.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { build } from 'esbuild';
import { BUNDLE_OPTIONS } from './bundle-options.mjs';

const root = new URL('../', import.meta.url);
await rm(new URL('dist/', root), { recursive: true, force: true });
const result = await build({
  absWorkingDir: new URL('.', root).pathname,
  entryPoints: ['src/bin.ts'],
  outdir: 'dist',
  ...BUNDLE_OPTIONS,
  splitting: true,
  minify: true,
  // Error class names are shown to users (AwsError, ConfigError); minifying must keep them.
  keepNames: true,
  legalComments: 'linked',
  metafile: true,
});

await mkdir(new URL('.tmp/', root), { recursive: true });
await writeFile(new URL('.tmp/esbuild-meta.json', root), JSON.stringify(result.metafile));

const outputs = result.metafile.outputs;
const kB = (bytes) => `${(bytes / 1024).toFixed(0)} kB`;
const packagesOf = (output) => [
  ...new Set(
    Object.keys(outputs[output].inputs)
      .map((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1])
      .filter(Boolean),
  ),
];
const isSdk = (output) => packagesOf(output).some((name) => /^@(aws-sdk|smithy)\//.test(name));

// What `node dist/bin.js` evaluates before main() runs: the entry and its static imports.
const startup = new Set();
const visit = (output) => {
  if (startup.has(output)) return;
  startup.add(output);
  for (const imported of outputs[output].imports) {
    if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
  }
};
visit('dist/bin.js');

const js = Object.keys(outputs).filter((output) => output.endsWith('.js'));
const sum = (list) => list.reduce((total, output) => total + outputs[output].bytes, 0);
const sdk = js.filter(isSdk);
const eagerSdk = sdk.filter((output) => startup.has(output));
// `npm start` builds with --quiet so the wizard's first line is the wizard's.
if (!process.argv.includes('--quiet'))
  console.log(
    `dist/: ${kB(sum(Object.keys(outputs)))} in ${Object.keys(outputs).length} files; start-up loads ` +
      `${kB(sum([...startup]))} in ${startup.size} files; AWS SDK ${kB(sum(sdk))} in ${sdk.length} chunks, ` +
      `${eagerSdk.length === 0 ? 'loaded on demand' : 'LOADED AT START-UP'}`,
  );
if (eagerSdk.length > 0) {
  console.error(
    `warning: ${eagerSdk.join(', ')} (AWS SDK) is imported statically from dist/bin.js; ` +
      'reach the AWS code only through a dynamic import() so --help and the wizard stay fast',
  );
}
if (process.argv.includes('--report')) {
  for (const output of js.sort((a, b) => outputs[b].bytes - outputs[a].bytes)) {
    const where = startup.has(output) ? 'start-up' : 'lazy    ';
    console.log(
      `  ${kB(outputs[output].bytes).padStart(7)}  ${where}  ${output}  ${packagesOf(output).join(' ')}`,
    );
  }
}
