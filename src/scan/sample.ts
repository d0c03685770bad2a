import { ENCRYPTION_CLASSES, type EncryptionClass } from './classify.js';

/**
 * Reservoir sampling: `item` is the `seen`-th of a stream (0-based); the sample keeps `size`
 * items, every one of the stream equally likely, without holding the stream in memory.
 */
export function keepInSample<T>(
  sample: T[],
  item: T,
  seen: number,
  size: number,
  random: () => number,
): void {
  if (seen < size) {
    sample.push(item);
    return;
  }
  const slot = Math.floor(random() * (seen + 1));
  if (slot < size) sample[slot] = item;
}

interface Totals {
  count: number;
  bytes: number;
}

/**
 * A sample's shares applied to the whole listing: counts by the share of objects, bytes by the
 * share of bytes (sizes vary by class).
 */
export function estimateFromSample(
  classes: Record<EncryptionClass, Totals>,
  inspected: number,
  listed: Totals,
): Record<EncryptionClass, Totals> {
  const sampleBytes = ENCRYPTION_CLASSES.reduce((sum, name) => sum + classes[name].bytes, 0);
  return Object.fromEntries(
    ENCRYPTION_CLASSES.map((name) => [
      name,
      {
        count: inspected === 0 ? 0 : Math.round((classes[name].count / inspected) * listed.count),
        bytes: sampleBytes === 0 ? 0 : Math.round((classes[name].bytes / sampleBytes) * listed.bytes),
      },
    ]),
  ) as Record<EncryptionClass, Totals>;
}
