// Refusing a port that something else holds, with a message that says what holds it and which
// setting moves us elsewhere: a server of ours must never quietly talk to another one's port.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';

/** Best effort: pid and command line of the process listening on the port, for the message. */
function describeListener(port) {
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
 * @param {number} port
 * @param {{ what: string, setting?: string }} options
 */
export function assertPortFree(port, { what, setting }) {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (error) => {
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
