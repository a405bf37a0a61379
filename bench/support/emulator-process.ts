// `iotops emulator` in its own process, for benchmarks whose memory figures must be the planner's
// or applier's alone. Resolves once the emulator printed its endpoint; `stop()` sends SIGTERM
// (the emulator saves its state file, if any, before exiting).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'bin', 'iotops.js');

export interface EmulatorProcess {
  readonly endpoint: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

export async function startEmulatorProcess(opts: { readonly throttle: 'aws' | 'off'; readonly statePath?: string }): Promise<EmulatorProcess> {
  const args = [BIN, 'emulator', '--port', '0', ...(opts.statePath ? ['--state', opts.statePath] : []), '--throttle', opts.throttle];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const endpoint = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /(http:\/\/\S+)/.exec(buf);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  return {
    endpoint,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
