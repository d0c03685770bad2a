/*
 * Send UpdateObjectEncryption first, or HeadObject first? Optimistic costs one request per
 * object S3 updates and three per object it refuses (the refusal, HeadObject, the copy);
 * inspecting first costs two for every object. So the run keeps the share of objects that
 * needed the copy path among the last ones it learnt about, and goes optimistic while that
 * share is under a half: a bucket of SSE-S3 objects gets one request each, a bucket of
 * unencrypted ones two.
 */
const WINDOW = 64;

export class PathChoice {
  private readonly recent: boolean[] = [];
  private copies = 0;

  /** True: the object took (or could take) UpdateObjectEncryption. */
  learn(updatable: boolean): void {
    this.recent.push(!updatable);
    if (!updatable) this.copies += 1;
    if (this.recent.length > WINDOW && this.recent.shift()) this.copies -= 1;
  }

  get optimistic(): boolean {
    return this.copies * 2 <= this.recent.length;
  }
}
