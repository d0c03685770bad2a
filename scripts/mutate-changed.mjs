#!/usr/bin/env node
/*
 * `npm run mutate:changed [-- BASE [stryker options]]`: Stryker over the files of
 * stryker.config.mjs's mutate list that changed since BASE (default origin/main, else main),
 * committed or not. A whole run takes too long for every change; this one covers what a change
 * touches.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** A glob of the mutate list (`**`, `*`, `?`, `{a,b}`) as an anchored regular expression. */
export function globToRegExp(glob) {
  let source = '';
  for (let index = 0; index < glob.length; index++) {
    const char = glob[index];
    if (glob.startsWith('**/', index)) {
      source += '(?:.*/)?';
      index += 2;
    } else if (glob.startsWith('**', index)) {
      source += '.*';
      index += 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '{') source += '(?:';
    else if (char === '}') source += ')';
    else if (char === ',' && glob.lastIndexOf('{', index) > glob.lastIndexOf('}', index)) source += '|';
    else source += char.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** The changed files the mutate list covers (a `!pattern` excludes), in the list's own order of files. */
export function filesToMutate(changedFiles, mutatePatterns) {
  const include = mutatePatterns.filter((pattern) => !pattern.startsWith('!')).map(globToRegExp);
  const exclude = mutatePatterns
    .filter((pattern) => pattern.startsWith('!'))
    .map((p) => globToRegExp(p.slice(1)));
  const unique = [...new Set(changedFiles.map((file) => file.replaceAll('\\', '/')))];
  return unique
    .filter((file) => include.some((pattern) => pattern.test(file)))
    .filter((file) => !exclude.some((pattern) => pattern.test(file)))
    .sort();
}

function git(args) {
  return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function refExists(ref) {
  try {
    git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
    return true;
  } catch {
    return false;
  }
}

/** Files changed between the merge base with `base` and the working tree, plus untracked ones. */
function changedSince(base) {
  const mergeBase = git(['merge-base', base, 'HEAD']).trim();
  const lines = (text) => text.split('\n').filter(Boolean);
  return [
    ...lines(git(['diff', '--name-only', '--diff-filter=d', mergeBase])),
    ...lines(git(['ls-files', '--others', '--exclude-standard'])),
  ];
}

async function main(args) {
  const explicitBase = args[0] !== undefined && !args[0].startsWith('-') ? args[0] : undefined;
  const strykerArgs = explicitBase === undefined ? args : args.slice(1);
  const base = explicitBase ?? (refExists('origin/main') ? 'origin/main' : 'main');
  if (!refExists(base)) {
    console.error(
      `mutate:changed: base ref ${base} not found; pass one, e.g. npm run mutate:changed -- main`,
    );
    return 2;
  }
  const { default: config } = await import(pathToFileURL('stryker.config.mjs').href);
  const files = filesToMutate(changedSince(base), config.mutate ?? []);
  if (files.length === 0) {
    console.log(`nothing to mutate: no file of the mutate list changed since ${base}`);
    return 0;
  }
  console.log(`mutate:changed since ${base}: ${files.join(', ')}`);
  const run = spawnSync('npx', ['stryker', 'run', '--mutate', files.join(','), ...strykerArgs], {
    stdio: 'inherit',
  });
  return run.status ?? 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await main(process.argv.slice(2));
}
