import type { Readable, Writable } from 'node:stream';

/** The process's streams, injectable so tests can run main() in-process. */
export interface Io {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable;
  stderr: Writable;
}

export function processIo(): Io {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
}
