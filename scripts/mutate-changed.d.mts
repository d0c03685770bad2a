export function globToRegExp(glob: string): RegExp;
export function filesToMutate(changedFiles: readonly string[], mutatePatterns: readonly string[]): string[];
