import { expect, it } from 'vitest';

/** What a tampering test needs of its file: upload as the app, read and replace stored bytes, run the client. */
export interface TamperingTarget {
  object: string;
  /** Another key of the same bucket, to store the message under. */
  movedTo: string;
  upload(): Promise<unknown>;
  stored(key: string): Promise<Buffer>;
  putAsApp(key: string, body: Buffer): Promise<unknown>;
  asApp(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/**
 * The two tampering cases every keyring must refuse: a flipped byte anywhere in the message,
 * and a message whose encryption context no longer names where it is stored.
 */
export function itRefusesTampering(target: TamperingTarget): void {
  it('a flipped byte fails, wherever it is: header, encrypted content, signature', async () => {
    await target.upload();
    const bytes = await target.stored(target.object);
    // The message id, the middle, the last frame's tag area, the footer's signature.
    for (const at of [5, Math.floor(bytes.length / 2), bytes.length - 110, bytes.length - 1]) {
      const flipped = Buffer.from(bytes);
      flipped[at] = (flipped[at] ?? 0) ^ 0x01;
      await target.putAsApp(target.object, flipped);
      const run = await target.asApp(['download-and-decrypt', target.object]);
      expect(run.code, `byte ${at}`).toBe(1);
      expect(run.stdout).toBe('');
    }
  });

  it('a changed encryption context fails: the object copied under another name, or its context edited', async () => {
    await target.upload();
    const bytes = await target.stored(target.object);
    await target.putAsApp(target.movedTo, bytes);
    const moved = await target.asApp(['download-and-decrypt', target.movedTo]);
    expect(moved.code).toBe(1);
    expect(moved.stderr).toContain(
      `refused: the message's encryption context object-key is "${target.object}"`,
    );
    const edited = Buffer.from(bytes.toString('latin1').replace(target.object, target.movedTo), 'latin1');
    expect(edited.equals(bytes)).toBe(false);
    await target.putAsApp(target.movedTo, edited);
    const forged = await target.asApp(['download-and-decrypt', target.movedTo]);
    expect(forged.code).toBe(1);
    expect(forged.stdout).toBe('');
  });
}
