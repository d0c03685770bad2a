/**
 * `npm start` prints a banner before the wizard runs (npm 10 and 11, @npmcli/run-script):
 * "\n> name@version start\n> <script> <args>\n" plus a newline, and no .npmrc setting but
 * --silent hides it. Under our own start script the banner is rebuilt from npm's variables
 * and its rows counted, so the wizard can erase exactly those rows. Anything else: 0, erase nothing.
 */
export function npmBannerRows(env: NodeJS.ProcessEnv, args: readonly string[], columns: number): number {
  const script = env.npm_lifecycle_script;
  if (env.npm_lifecycle_event !== 'start' || env.npm_package_name !== 'create-encrypted-bucket' || !script)
    return 0;
  // build.mjs --quiet prints nothing, so the banner is the last thing above the cursor; a
  // changed start script could print more, and then nothing is erased.
  if (!script.includes('build.mjs --quiet && node dist/bin.js') || script.includes('\n')) return 0;
  const lines = [
    `> ${env.npm_package_name}@${env.npm_package_version} start`,
    `> ${script.trim()}${args.length ? ` ${args.join(' ')}` : ''}`,
  ];
  const rows = (line: string) => Math.max(1, Math.ceil(line.length / Math.max(1, columns)));
  return 1 + rows(lines[0] ?? '') + rows(lines[1] ?? '') + 1;
}

/** Cursor up over the banner's rows, then erase from there to the end of the screen. */
export function eraseRows(rows: number): string {
  return rows > 0 ? `\x1b[${rows}A\x1b[0J` : '';
}
