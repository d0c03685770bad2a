import { isAbsolute, resolve } from 'node:path';

/**
 * Where the user stood when they ran the command. `npm start` runs scripts in the package
 * folder but keeps the caller's folder in INIT_CWD, so relative paths resolve against it.
 */
export function userCwd(env: NodeJS.ProcessEnv = process.env): string {
  return env.INIT_CWD && isAbsolute(env.INIT_CWD) ? env.INIT_CWD : process.cwd();
}

export function fromUserCwd(path: string, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(userCwd(env), path);
}
