import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ConfigError } from '../errors.js';
import type { ObjectAction, SkipReason, SourceEncryption, Tally } from './types.js';

/**
 * Progress that survives Ctrl-C and crashes. The listing is in key order, so "finished" is a
 * cursor (every key up to `after` is finished) plus the few keys past it that finished out
 * of order: small whatever the bucket's size. Failures are kept by key so a re-run retries
 * exactly them. Even if the file is lost, nothing is copied twice: each object's HeadObject
 * shows it already on the key.
 */
export interface CheckpointData {
  version: 1;
  bucket: string;
  keyArn: string;
  createdAt: string;
  updatedAt: string;
  listing: { after?: string; complete: boolean };
  finishedAfter: string[];
  totals: {
    done: Tally & {
      byAction: Partial<Record<ObjectAction, number>>;
      from: Partial<Record<SourceEncryption, number>>;
    };
    skipped: Partial<Record<SkipReason, Tally & { examples: string[] }>>;
    finished: number;
  };
  failed: { key: string; error: string }[];
  /** Set once the bucket went to Batch Operations; `complete` when every job was created. */
  batch?: { runId: string; jobIds: string[]; manifests: string[]; complete: boolean };
}

/**
 * Where --checkpoint points by default: per bucket *and* key, under the current folder. A run
 * onto another key must not resume this one's cursor: the objects this one finished are on
 * the old key, and would be skipped.
 */
export function defaultCheckpointPath(bucket: string, keyArn: string, cwd: string = process.cwd()): string {
  const keyId = keyArn.slice(keyArn.lastIndexOf('/') + 1).replace(/[^A-Za-z0-9-]/g, '_');
  return join(cwd, '.create-encrypted-bucket', `reencrypt-${bucket}-${keyId}.json`);
}

export function newCheckpoint(bucket: string, keyArn: string, now = new Date()): CheckpointData {
  return {
    version: 1,
    bucket,
    keyArn,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    listing: { complete: false },
    finishedAfter: [],
    totals: { done: { count: 0, bytes: 0, byAction: {}, from: {} }, skipped: {}, finished: 0 },
    failed: [],
  };
}

export async function loadCheckpoint(
  path: string,
  bucket: string,
  keyArn: string,
): Promise<CheckpointData | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let data: CheckpointData;
  try {
    data = JSON.parse(text) as CheckpointData;
  } catch {
    throw new ConfigError(`the checkpoint ${path} is not valid JSON`, {
      field: '--checkpoint',
      hint: 'delete it to start over (objects already on the key are still not copied again)',
    });
  }
  if (data.version !== 1 || data.bucket !== bucket || data.keyArn !== keyArn) {
    throw new ConfigError(
      `the checkpoint ${path} belongs to another run (bucket ${data.bucket}, key ${data.keyArn})`,
      { field: '--checkpoint', hint: 'pass another --checkpoint path, or delete that file to start over' },
    );
  }
  return data;
}

/** Write to a temporary file, then rename over the old one: a reader sees the old or the new, never half. */
export async function saveCheckpoint(path: string, data: CheckpointData): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(data, null, 2)}\n`, 'utf8');
  await rename(temporary, path);
}

export async function removeCheckpoint(path: string): Promise<void> {
  await rm(path, { force: true });
}

/**
 * Saves at most once per interval and never two writes at once; `flush` waits for the last
 * state to be on disk.
 */
export function checkpointWriter(path: string, snapshot: () => CheckpointData, intervalMs = 1_000) {
  let chain: Promise<void> = Promise.resolve();
  let lastStart = 0;
  let queued = false;
  const write = () => {
    queued = false;
    lastStart = Date.now();
    return saveCheckpoint(path, snapshot());
  };
  return {
    maybeSave(): void {
      if (queued || Date.now() - lastStart < intervalMs) return;
      queued = true;
      chain = chain.then(write);
    },
    async flush(): Promise<void> {
      chain = chain.then(write);
      await chain;
    },
  };
}

/**
 * Turns out-of-order completions into the checkpoint's cursor. Keys enter in listing order;
 * `after` advances over the longest finished prefix. Only the window between the cursor and
 * the newest key is held, so memory follows the concurrency, not the bucket.
 */
export class ListingCursor {
  private next = 0;
  private low = 0;
  private readonly window = new Map<number, { key: string; finished: boolean }>();
  private waiters: (() => void)[] = [];
  after: string | undefined;

  constructor(after?: string) {
    this.after = after;
  }

  add(key: string): number {
    this.window.set(this.next, { key, finished: false });
    return this.next++;
  }

  finish(position: number): void {
    const entry = this.window.get(position);
    if (entry) entry.finished = true;
    for (let head = this.window.get(this.low); head?.finished; head = this.window.get(this.low)) {
      this.after = head.key;
      this.window.delete(this.low);
      this.low += 1;
    }
    if (this.waiters.length > 0 && this.window.size < CURSOR_WINDOW_LIMIT) {
      for (const wake of this.waiters.splice(0)) wake();
    }
  }

  finishedAfter(): string[] {
    return [...this.window.values()].filter((entry) => entry.finished).map((entry) => entry.key);
  }

  /**
   * Waits while the window is full: one slow object (a multi-terabyte copy) must not let
   * millions of finished keys pile up behind the cursor.
   */
  async room(): Promise<void> {
    while (this.window.size >= CURSOR_WINDOW_LIMIT) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }
}

const CURSOR_WINDOW_LIMIT = 50_000;
