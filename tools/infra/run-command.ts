// One helper command (Maven, Kafka's storage tool) run to its end, its output kept for the error.
import { spawn } from 'node:child_process';
import { open } from 'node:fs/promises';

export interface CommandResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** stdout and stderr, interleaved. */
  out: string;
}

/** `notFound`: the message when the command is not installed (ENOENT). */
export function runCommand(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; notFound: string },
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // A Windows batch file (mvn.cmd) runs only through the shell.
      shell: process.platform === 'win32' && command.endsWith('.cmd'),
      windowsHide: true,
    });
    let out = '';
    child.stdout.on('data', (data) => (out += data));
    child.stderr.on('data', (data) => (out += data));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new Error(options.notFound) : error),
    );
    child.on('close', (code, signal) => resolve({ code, signal, out }));
  });
}

/** Throws with the tail of the output unless the command exited with 0. */
export function assertSucceeded(what: string, result: CommandResult): void {
  if (result.code === 0) return;
  throw new Error(
    `${what} failed (exit ${result.code ?? result.signal}):\n${result.out.slice(-4000)}`,
  );
}

/** The last `bytes` of a log file, for an error message. */
export async function tailFile(file: string, bytes = 8000): Promise<string> {
  try {
    const handle = await open(file, 'r');
    try {
      const { size } = await handle.stat();
      const start = Math.max(0, size - bytes);
      const buffer = Buffer.alloc(size - start);
      await handle.read(buffer, 0, buffer.length, start);
      return buffer.toString('utf8');
    } finally {
      await handle.close();
    }
  } catch {
    return '(no log)';
  }
}
