// Refusing a port that something else holds, with a message that says what holds it and which
// setting moves us elsewhere: a server of ours must never quietly talk to another one's port.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Best effort: pid and command line of the process listening on the port, for the message. */
function describeListener(port: number): string | null {
  try {
    const output = execFileSync('ss', ['-Hltnp', `sport = :${port}`], { encoding: 'utf8' });
    const pid = /pid=(\d+)/.exec(output)?.[1];
    if (!pid) return null;
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    return `pid ${pid}: ${command.length > 120 ? `${command.slice(0, 117)}...` : command}`;
  } catch {
    return null;
  }
}

/**
 * Resolves when 127.0.0.1:port can be bound right now; otherwise rejects naming the port, its
 * holder when known, and `setting` (the variable that chooses another port).
 */
export function assertPortFree(
  port: number,
  { what, setting }: { what: string; setting?: string },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EADDRINUSE') {
        reject(new Error(`cannot bind ${what} port ${port}: ${error.message}`));
        return;
      }
      const holder = describeListener(port);
      const change = setting ? `set ${setting} to another port` : 'choose another port';
      const message =
        `${what} port 127.0.0.1:${port} is in use by a process this run did not ` +
        `start${holder ? ` (${holder})` : ''}; stop it or ${change}`;
      reject(Object.assign(new Error(message), { code: 'EPORTINUSE' }));
    });
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () =>
      server.close(() => resolve()),
    );
  });
}

/** A TCP port that is free on 127.0.0.1 right now (the kernel picks it). */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once 127.0.0.1:port accepts a TCP connection; rejects after timeoutMs. */
export async function waitForListening(port: number, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const accepted = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (accepted) return;
    await sleep(100);
  }
  throw new Error(`${what} did not listen on ${port} within ${timeoutMs} ms`);
}
