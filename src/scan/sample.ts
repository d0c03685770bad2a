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
