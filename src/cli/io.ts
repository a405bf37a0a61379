// How commands talk to the outside world: results to stdout, diagnostics to stderr,
// and an exit code. Tests substitute a capturing implementation.
import { readFileSync } from 'node:fs';

export interface CliIo {
  readonly version: string;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** stdout is a terminal (colors, progress bars). */
  readonly isTty: boolean;
  /** stdin is a terminal: a person can answer a confirmation prompt. */
  readonly stdinIsTty: boolean;
  /** Asks a question on the terminal and returns the answer line. Only called when stdinIsTty. */
  prompt(question: string): Promise<string>;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Records the command's exit code; the highest code set wins. */
  exit(code: number): void;
  exitCode(): number;
}

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export function processIo(): CliIo {
  let code = 0;
  return {
    version: packageVersion(),
    cwd: process.cwd(),
    env: process.env,
    isTty: Boolean(process.stdout.isTTY),
    stdinIsTty: Boolean(process.stdin.isTTY),
    async prompt(question) {
      const { createInterface } = await import('node:readline/promises');
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await rl.question(question);
      } finally {
        rl.close();
      }
    },
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    exit: (c) => void (code = Math.max(code, c)),
    exitCode: () => code,
  };
}

export interface CapturedIo extends CliIo {
  readonly out: string[];
  readonly err: string[];
}

/** An in-memory CliIo for tests. */
export function captureIo(opts: { cwd?: string; env?: Record<string, string>; isTty?: boolean; answers?: string[] } = {}): CapturedIo {
  const answers = [...(opts.answers ?? [])];
  const out: string[] = [];
  const err: string[] = [];
  let code = 0;
  return {
    version: packageVersion(),
    cwd: opts.cwd ?? process.cwd(),
    env: opts.env ?? {},
    isTty: opts.isTty ?? false,
    stdinIsTty: opts.answers !== undefined,
    async prompt(question) {
      err.push(question);
      return answers.shift() ?? '';
    },
    out,
    err,
    stdout: (text) => void out.push(text),
    stderr: (text) => void err.push(text),
    exit: (c) => void (code = Math.max(code, c)),
    exitCode: () => code,
  };
}
