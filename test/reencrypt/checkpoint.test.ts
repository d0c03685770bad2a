import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import {
  defaultCheckpointPath,
  ListingCursor,
  loadCheckpoint,
  newCheckpoint,
  saveCheckpoint,
} from '../../src/reencrypt/checkpoint.js';

const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ceb-checkpoint-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('moves the cursor over the longest finished prefix and keeps only keys finished past it', () => {
  const cursor = new ListingCursor();
  const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((key) => cursor.add(key)) as [number, number, number, number];
  cursor.finish(c);
  expect(cursor.after).toBeUndefined();
  expect(cursor.finishedAfter()).toEqual(['c']);
  cursor.finish(a);
  expect(cursor.after).toBe('a');
  cursor.finish(b);
  expect(cursor.after).toBe('c');
  expect(cursor.finishedAfter()).toEqual([]);
  cursor.finish(d);
  expect(cursor.after).toBe('d');
});

it('saves atomically (no temporary file left) and loads what it saved', async () => {
  const path = join(dir, 'nested', 'cp.json');
  const data = newCheckpoint('acme', KEY, new Date('2026-01-01T00:00:00Z'));
  data.listing.after = 'k/0042';
  await saveCheckpoint(path, data);
  expect(readdirSync(join(dir, 'nested'))).toEqual(['cp.json']);
  expect(await loadCheckpoint(path, 'acme', KEY)).toEqual(data);
  expect(JSON.parse(readFileSync(path, 'utf8')).listing.after).toBe('k/0042');
});

it('refuses a checkpoint of another bucket or key, and a broken one, naming --checkpoint', async () => {
  const path = join(dir, 'cp.json');
  expect(await loadCheckpoint(path, 'acme', KEY)).toBeUndefined();
  await saveCheckpoint(path, newCheckpoint('other-bucket', KEY));
  await expect(loadCheckpoint(path, 'acme', KEY)).rejects.toBeInstanceOf(ConfigError);
  writeFileSync(path, '{ half');
  await expect(loadCheckpoint(path, 'acme', KEY)).rejects.toMatchObject({ field: '--checkpoint' });
});

it('keys the default checkpoint by bucket and key: a run onto another key starts afresh instead of resuming', async () => {
  const other = 'arn:aws:kms:eu-west-1:111122223333:key/99999999-12ab-34cd-56ef-1234567890ab';
  const forKey = defaultCheckpointPath('acme', KEY, dir);
  const forOther = defaultCheckpointPath('acme', other, dir);
  expect(forOther).not.toBe(forKey);
  const halfway = newCheckpoint('acme', KEY);
  halfway.listing.after = 'k/5000';
  await saveCheckpoint(forKey, halfway);
  // The run onto the other key finds no cursor of the first run: it skips nothing.
  expect(await loadCheckpoint(forOther, 'acme', other)).toBeUndefined();
  // And a checkpoint made for another key, passed explicitly, is refused.
  await expect(loadCheckpoint(forKey, 'acme', other)).rejects.toMatchObject({
    field: '--checkpoint',
    message: expect.stringContaining(KEY),
  });
});
