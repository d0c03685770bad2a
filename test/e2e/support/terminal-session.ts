import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Fails with the install hint when tmux is missing, instead of a cryptic spawn error. */
export function requireTmux(): void {
  const probe = spawnSync('tmux', ['-V'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      'tmux is needed to drive the wizard in a real pseudo-terminal; install it with: apt-get install -y tmux',
    );
  }
}

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * One program running in a detached tmux pane of a fixed size, on a private tmux server (its
 * own socket, no user configuration) so tests never touch a tmux the developer is using.
 * The pane runs `program; echo EXIT=$?` and stays open, so the exit code can be read off
 * the screen like a user would see it.
 */
export class TerminalSession {
  private constructor(
    private readonly socketDir: string,
    private readonly socket: string,
  ) {}

  static async start(options: {
    command: readonly string[];
    cwd: string;
    env: NodeJS.ProcessEnv;
    columns?: number;
    rows?: number;
  }): Promise<TerminalSession> {
    // Socket paths are limited to ~100 bytes, so they live in a short temporary folder.
    const socketDir = mkdtempSync(join(tmpdir(), 'tmx-'));
    const session = new TerminalSession(socketDir, join(socketDir, 'sock'));
    const program = options.command.map(shellQuote).join(' ');
    await session.tmux(
      [
        'new-session',
        '-d',
        '-x',
        String(options.columns ?? 120),
        '-y',
        String(options.rows ?? 40),
        '-s',
        'e2e',
        '-c',
        options.cwd,
        `${program}; echo EXIT=$?; sleep 600`,
      ],
      options.env,
    );
    return session;
  }

  private async tmux(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
    const { stdout } = await run('tmux', ['-u', '-f', '/dev/null', '-S', this.socket, ...args], { env });
    return stdout;
  }

  /** The screen as last read, kept after the session closes so a failing test can save it. */
  lastScreen = '';

  /** Everything the pane has shown, scroll-back included, with wrapped lines joined. */
  async screen(): Promise<string> {
    const text = await this.tmux(['capture-pane', '-p', '-J', '-S', '-', '-t', 'e2e']);
    this.lastScreen = text.replace(/\s+$/, '');
    return this.lastScreen;
  }

  /** Named keys as tmux spells them: Enter, Down, Escape, BSpace, C-c. */
  async press(...keys: string[]): Promise<void> {
    await this.tmux(['send-keys', '-t', 'e2e', ...keys]);
  }

  /** Literal text, as if typed. */
  async type(text: string): Promise<void> {
    await this.tmux(['send-keys', '-t', 'e2e', '-l', text]);
  }

  /**
   * Polls the screen until it shows `expected`; on timeout the error carries the screen, so a
   * failing test shows what the user saw.
   */
  async waitForScreen(expected: string | RegExp, timeoutMs = 5_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let screen = '';
    for (;;) {
      screen = await this.screen();
      if (typeof expected === 'string' ? screen.includes(expected) : expected.test(screen)) return screen;
      if (Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    throw new Error(
      `waited ${timeoutMs} ms for ${String(expected)} on the terminal; it showed:\n${frame(screen)}`,
    );
  }

  /** Waits for the program to end and returns its exit code and the final screen. */
  async exit(timeoutMs = 10_000): Promise<{ code: number; screen: string }> {
    const screen = await this.waitForScreen(/^EXIT=\d+$/m, timeoutMs);
    const code = Number(/^EXIT=(\d+)$/m.exec(screen)?.[1]);
    return { code, screen };
  }

  async close(): Promise<void> {
    await this.tmux(['kill-server']).catch(() => undefined);
    rmSync(this.socketDir, { recursive: true, force: true });
  }
}

/** The last screenful, boxed, for error messages. */
export function frame(screen: string, rows = 40): string {
  const lines = screen.split('\n').slice(-rows);
  return ['+--- terminal ---', ...lines.map((line) => `| ${line}`), '+----------------'].join('\n');
}
