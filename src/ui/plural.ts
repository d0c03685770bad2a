/** "1 change", "2 changes": a count with its noun, never "1 changes" or "change(s)". */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? noun : nouns}`;
}
