import { cp, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, expect, test } from 'vitest';
import { readTemplates } from '../../src/output/read-templates.js';
import { makeTempDir, removeTempDirs } from './helpers/temp-dirs.js';

afterAll(removeTempDirs);

const root = new URL('../../', import.meta.url);

test('from source (src/output/) it finds templates/ two levels up, partials included', async () => {
  const templates = await readTemplates();
  expect(Object.keys(templates)).toEqual(
    expect.arrayContaining([
      'setup.sh.hbs',
      'terraform/main.tf.hbs',
      'snippets/aws-cli.sh.hbs',
      '_partials/shell-helpers.hbs',
    ]),
  );
  expect(templates['setup.sh.hbs']).toMatch(/^#!\/usr\/bin\/env bash\n/);
});

test('from the bundle (dist/*.js) it finds templates/ one level up', async () => {
  // A copy of the package layout, so the source-tree candidate cannot answer instead.
  const pkg = await makeTempDir('ceb-pkg-');
  await cp(new URL('templates', root), join(pkg, 'templates'), { recursive: true });
  await mkdir(join(pkg, 'dist'));
  const fromBundle = await readTemplates(pathToFileURL(join(pkg, 'dist', 'bin.js')).href);
  expect(fromBundle).toEqual(await readTemplates());
});

test('says where it looked when there is no templates/ folder', async () => {
  const empty = await makeTempDir('ceb-empty-');
  await expect(readTemplates(pathToFileURL(join(empty, 'a', 'b.js')).href)).rejects.toThrow(
    /templates\/ not found; looked in/,
  );
});
