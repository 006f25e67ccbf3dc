import { setTimeout as sleep } from 'node:timers/promises';
import { ServiceExit, ServiceHandle, services, supervision } from '../../tools/service-processes';
import { REPO_ROOT, requireEnv } from '../support/platform';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

jest.setTimeout(180_000);

const READY_TIMEOUT_MS = 90_000;
const alive = (pid: number | undefined) => {
  try {
    process.kill(pid ?? 0, 0);
    return pid !== undefined;
  } catch {
    return false;
  }
};

describe('when a supervised ledger is killed with SIGKILL', () => {
  it('starts it again after the first delay, it becomes ready, and no restart follows a stop', async () => {
    const port = await services.freePort();
    const url = `http://127.0.0.1:${port}/health/ready`;
    const lines: string[] = [];
    const exits: ServiceExit[] = [];
    const starts: ServiceHandle[] = [];
    const supervisor = supervision.supervise({
      name: 'ledger',
      log: (line) => lines.push(line),
      start: () =>
        services.startService({
          repoRoot: REPO_ROOT,
          app: 'ledger',
          logDir: process.env.RTP_TEST_LOG_DIR ?? join(tmpdir(), 'rtp-test-service-logs'),
          env: {
            DATABASE_URL: requireEnv('DATABASE_URL'),
            KAFKA_BROKERS: requireEnv('KAFKA_BROKERS'),
            LEDGER_PORT: String(port),
            LOG_LEVEL: 'warn',
          },
        }),
      onStart: (handle) => starts.push(handle),
      onExit: (exit) => exits.push(exit),
    });
    try {
      await services.waitForReady(url, READY_TIMEOUT_MS, starts[0]);
      const killedPid = starts[0].child.pid;
      await starts[0].kill('SIGKILL');

      while (starts.length < 2) await sleep(50);
      await services.waitForReady(url, READY_TIMEOUT_MS, starts[1]);

      expect(exits).toEqual([
        expect.objectContaining({ signal: 'SIGKILL', pid: killedPid, delayMs: 500 }),
      ]);
      expect(lines).toEqual([
        expect.stringMatching(
          new RegExp(
            `^ledger \\(pid ${killedPid}\\) ` +
              'exited with signal SIGKILL after [\\d.]+ s; restarting in 0\\.5 s$',
          ),
        ),
      ]);
      expect(supervisor.restarts).toBe(1);
      expect(supervisor.current?.child.pid).toBe(starts[1].child.pid);
    } finally {
      await supervisor.stop();
    }
    await sleep(1_500);
    expect(starts).toHaveLength(2);
    expect(alive(starts[1].child.pid)).toBe(false);
    expect(supervisor.current).toBeNull();
  });
});
