import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureBuilt, type ProcessResult, REPO_ROOT, runProgram, strangerEnv } from './support/built-cli.js';

/*
 * The package as a user receives it: `npm pack`, installed into an empty project far from
 * the source tree, run through the bin link npm creates. Catches what only packaging can
 * break: `files`, the shebang, the bin link, templates found beside the bundle, and any
 * import that still needs a package from the registry.
 */

interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: { path: string }[];
}

let root: string;
let project: string;
let pack: PackResult;
let installed: ProcessResult;
let env: NodeJS.ProcessEnv;

function cli(args: readonly string[]): ProcessResult {
  return runProgram(join(project, 'node_modules', '.bin', 'create-encrypted-bucket'), args, {
    cwd: project,
    env,
  });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}

beforeAll(() => {
  ensureBuilt();
  root = mkdtempSync(join(tmpdir(), 'ceb-packed-'));
  const home = join(root, 'home');
  project = join(root, 'project');
  for (const dir of [home, project, join(root, 'tarball')]) mkdirSync(dir);
  // A home with no ~/.npmrc, a cold cache, and a registry that does not answer: the install
  // succeeds only if the tarball needs nothing from any registry.
  env = strangerEnv(home, {
    npm_config_cache: join(root, 'npm-cache'),
    npm_config_registry: 'http://127.0.0.1:9/',
    npm_config_fetch_retries: '0',
    npm_config_update_notifier: 'false',
  });

  const packed = runProgram('npm', ['pack', '--json', '--pack-destination', join(root, 'tarball')], {
    cwd: REPO_ROOT,
    env,
  });
  if (packed.code !== 0) throw new Error(`npm pack failed:\n${packed.stderr}`);
  const [result] = JSON.parse(packed.stdout) as PackResult[];
  if (!result) throw new Error(`npm pack printed no result:\n${packed.stdout}`);
  pack = result;

  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify({ name: 'empty-project', private: true })}\n`,
  );
  installed = runProgram(
    'npm',
    ['install', '--no-audit', '--no-fund', join(root, 'tarball', pack.filename)],
    {
      cwd: project,
      env,
    },
  );
  console.info(
    `packed ${pack.filename}: tarball ${(pack.size / 1024).toFixed(0)} kB, unpacked ${(pack.unpackedSize / 1024).toFixed(0)} kB, ${pack.entryCount} files`,
  );
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('the packed package', () => {
  test('ships only the bundle, the templates and the package files', () => {
    const tops = new Set(pack.files.map((file) => file.path.split('/')[0]));
    for (const top of tops)
      expect(['dist', 'templates', 'package.json', 'README.md', 'LICENSE']).toContain(top);
    const paths = pack.files.map((file) => file.path);
    expect(paths).toContain('dist/bin.js');
    expect(paths.some((path) => path.startsWith('templates/') && path.endsWith('.hbs'))).toBe(true);
    expect(paths.filter((path) => path.endsWith('.ts') || path.endsWith('.map'))).toEqual([]);
    // create-vite installs as one 1.9 MB package; this one carries the AWS SDK and stays near it.
    expect(pack.unpackedSize).toBeLessThan(3 * 1024 * 1024);
  });

  test('declares no runtime dependencies, and installing it adds exactly one package', () => {
    expect(installed.code, installed.stderr).toBe(0);
    const manifest = JSON.parse(
      readFileSync(join(project, 'node_modules', 'create-encrypted-bucket', 'package.json'), 'utf8'),
    ) as Record<string, unknown>;
    expect(manifest.dependencies).toBeUndefined();
    expect(manifest.optionalDependencies).toBeUndefined();
    expect(manifest.peerDependencies).toBeUndefined();
    expect(manifest.bin).toEqual({ 'create-encrypted-bucket': 'dist/bin.js' });
    expect(manifest.engines).toHaveProperty('node');

    const lock = JSON.parse(readFileSync(join(project, 'node_modules', '.package-lock.json'), 'utf8')) as {
      packages: Record<string, unknown>;
    };
    expect(Object.keys(lock.packages)).toEqual(['node_modules/create-encrypted-bucket']);
  });

  test('holds no path into the source tree it was built from', () => {
    const dir = join(project, 'node_modules', 'create-encrypted-bucket');
    const leaks = filesUnder(dir).filter((file) => readFileSync(join(dir, file), 'utf8').includes(REPO_ROOT));
    expect(leaks).toEqual([]);
  });

  test('--help prints the help page and exits 0', () => {
    const help = cli(['--help']);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toContain('Usage');
    expect(help.stdout).toContain('--render DIR');
    expect(help.stdout).toContain('Exit codes');
    expect(help.stderr).toBe('');
  });

  test('--version prints the packed version and exits 0', () => {
    const manifest = JSON.parse(
      readFileSync(join(project, 'node_modules', 'create-encrypted-bucket', 'package.json'), 'utf8'),
    ) as { version: string };
    const version = cli(['--version']);
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout).toBe(`${manifest.version}\n`);
  });

  test('a full non-interactive --render run writes the files it reports', () => {
    const out = join(project, 'acme-contracts-encryption');
    const run = cli([
      ...['--yes', '--json', '--scheme', 'sse-kms', '--create-bucket'],
      ...['--bucket', 'acme-contracts', '--region', 'eu-west-1', '--account-id', '111122223333'],
      ...[
        '--app-role',
        'contracts-app',
        '--app-role',
        'arn:aws:iam::111122223333:role/contracts-batch',
        '--key-admin-role',
        'key-admin',
      ],
      ...[
        '--operator-role',
        'platform-ops',
        '--auditor-role',
        'security-audit',
        '--key-admin-role',
        'key-admins',
      ],
      ...['--key-alias', 'alias/acme-contracts', '--rotation-days', '180'],
      ...['--enforcement', 'strict', '--requests-per-month', '250000'],
      ...['--render', './acme-contracts-encryption'],
    ]);
    expect(run.code, run.stderr).toBe(0);

    const result = JSON.parse(run.stdout) as { mode: string; dir: string; files: string[] };
    expect(result.mode).toBe('render');
    expect(result.dir).toBe(out);
    expect(filesUnder(out).sort()).toEqual([...result.files].sort());

    for (const script of ['setup.sh', 'verify.sh']) {
      expect(statSync(join(out, script)).mode & 0o111, `${script} is executable`).toBe(0o111);
      expect(readFileSync(join(out, script), 'utf8')).toMatch(/^#!/);
    }
    const documents = readdirSync(join(out, 'policies'));
    for (const name of documents)
      expect(() => JSON.parse(readFileSync(join(out, 'policies', name), 'utf8')), name).not.toThrow();
    // The key policy, the bucket policy, and one identity policy per role kind.
    const policies = ['key', 'bucket', 'app', 'operator', 'auditor', 'key-admin'].map(
      (name) => `${name}-policy.json`,
    );
    for (const name of policies) {
      const policy = JSON.parse(readFileSync(join(out, 'policies', name), 'utf8')) as { Statement?: unknown };
      expect(Array.isArray(policy.Statement), `${name} has a Statement list`).toBe(true);
    }
    expect(readFileSync(join(out, 'policies', 'bucket-policy.json'), 'utf8')).toContain(
      'arn:aws:s3:::acme-contracts',
    );
    const mainTf = readFileSync(join(out, 'terraform', 'main.tf'), 'utf8');
    expect(mainTf).toContain('resource "aws_kms_key"');
    expect(mainTf).toMatch(/rotation_period_in_days\s*=\s*180\b/);
    expect(mainTf).toContain('resource "aws_s3_bucket"');
    expect(existsSync(join(out, 'README.md'))).toBe(true);
  });

  test('finds its own templates when a folder named templates sits beside it in node_modules', () => {
    // e.g. the project also depends on the npm package "templates", or npx's cache holds one.
    const stranger = join(project, 'node_modules', 'templates');
    mkdirSync(stranger);
    writeFileSync(join(stranger, 'index.js'), 'module.exports = {};\n');
    try {
      const run = cli([
        ...['--yes', '--bucket', 'acme-contracts', '--region', 'eu-west-1', '--account-id', '111122223333'],
        ...['--app-role', 'contracts-app', '--key-admin-role', 'key-admin', '--render', './beside-templates'],
      ]);
      expect(run.code, run.stderr).toBe(0);
      expect(existsSync(join(project, 'beside-templates', 'setup.sh'))).toBe(true);
    } finally {
      rmSync(stranger, { recursive: true, force: true });
    }
  });
});
