/**
 * Wraps plain text at word boundaries to `width` columns, keeping each line's indentation for
 * its continuation lines; a word longer than the width is left whole rather than cut.
 */
export function wrapText(text: string, width: number): string {
  return text
    .split('\n')
    .map((line) => wrapLine(line, Math.max(width, 20)))
    .join('\n');
}

function wrapLine(line: string, width: number): string {
  if (line.length <= width) return line;
  const indent = /^\s*/.exec(line)?.[0] ?? '';
  const out: string[] = [];
  let current = '';
  for (const word of line.trim().split(/\s+/)) {
    const candidate = current === '' ? `${indent}${word}` : `${current} ${word}`;
    if (candidate.length > width && current !== '') {
      out.push(current);
      current = `${indent}${word}`;
    } else {
      current = candidate;
    }
  }
  if (current !== '') out.push(current);
  return out.join('\n');
}
