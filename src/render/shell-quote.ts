/**
 * The one way a value enters a rendered shell script: POSIX single quotes, in which nothing
 * is special except the closing quote itself, so `$(...)`, backticks, `$VAR`, globs and
 * newlines stay literal. An embedded quote closes the string, adds an escaped quote and
 * reopens it ('it'\''s').
 */
export function shellQuote(value: string): string {
  if (value.includes('\0')) throw new Error('a shell argument cannot contain a NUL byte');
  return `'${value.replaceAll("'", () => `'\\''`)}'`;
}
