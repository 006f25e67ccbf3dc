import { UsageError, readCommandLine } from '../../tools/bench/harness/command-line';
import { cpuFigure } from '../../tools/bench/harness/process-cpu';
import { groupLogMessages } from '../../tools/bench/harness/service-log';
import { loadApiBenchConfig } from '../../tools/bench/api/api-bench-config';
import { loadBenchConfig } from '../../tools/bench/ledger/ledger-bench-config';
import { loadChaosConfig } from '../../tools/chaos/chaos-config';

const SPEC = {
  usage: 'usage: bench [options]',
  environment: { RATE: 'rate' },
  flags: { '--rate': 'rate', '--duration': 'duration' },
  switches: { '--keep': 'keep' },
};

describe('the benchmarks command line', () => {
  describe('when an option comes from the environment and the command line', () => {
    it('takes the command line', () => {
      expect(readCommandLine(['--rate', '700'], { RATE: '500' }, SPEC)).toEqual({ rate: '700' });
    });
  });

  describe('when a value is given after = and a switch is set', () => {
    it('reads both', () => {
      expect(readCommandLine(['--duration=30s', '--keep'], {}, SPEC)).toEqual({
        duration: '30s',
        keep: true,
      });
    });
  });

  describe('when an option is unknown, lacks its value or is a positional', () => {
    it.each([[['--rat', '5']], [['--rate']], [['500']]])('refuses %j with the usage', (argv) => {
      expect(() => readCommandLine(argv, {}, SPEC)).toThrow(UsageError);
      try {
        readCommandLine(argv, {}, SPEC);
      } catch (error) {
        expect((error as UsageError).exitCode).toBe(2);
        expect((error as UsageError).message).toContain(SPEC.usage);
      }
    });
  });

  describe('when --help or -h is asked for', () => {
    it.each([['--help'], ['-h']])('%s answers the usage with exit code 0', (flag) => {
      expect(() => readCommandLine([flag], {}, SPEC)).toThrow(
        expect.objectContaining({ exitCode: 0, message: SPEC.usage }),
      );
    });
  });
});

describe('the benchmarks configurations', () => {
  describe('when nothing is given', () => {
    it('the ledger benchmark has its documented defaults', () => {
      const config = loadBenchConfig([], {});
      expect(config).toMatchObject({
        accounts: 10_000,
        hotAccounts: 5,
        transfers: 200_000,
        hotTransferShare: 0.1,
        drainTimeoutMs: 900_000,
        calibrationSeconds: 20,
        keep: false,
        consumerGroup: 'ledger',
      });
      expect(config.ledgerSettings.LEDGER_BATCH_SIZE_MAX).toBe('500');
    });

    it('the API benchmark has its documented defaults', () => {
      expect(loadApiBenchConfig([], {})).toMatchObject({
        ratesPerSecond: [500],
        durationMs: 30_000,
        connections: 64,
        accounts: 2_000,
        clients: 4,
        sweep: false,
      });
    });
  });

  describe('when the API benchmark is given a sweep and a duration in seconds', () => {
    it('runs one step per rate for that long', () => {
      const config = loadApiBenchConfig(['--sweep', '100,200', '--duration', '5s'], {});
      expect(config).toMatchObject({ ratesPerSecond: [100, 200], durationMs: 5_000, sweep: true });
    });
  });

  describe('when chaos is asked for the short profile', () => {
    it('injects one fault of each kind at 20 payments/s', () => {
      const config = loadChaosConfig(['--profile', 'short'], {});
      expect(config.faults).toHaveLength(5);
      expect(config.ratePerSecond).toBe(20);
    });
  });

  describe('when a value is out of range or a service setting is wrong', () => {
    it('refuses with a usage error', () => {
      expect(() => loadBenchConfig(['--accounts', '2'], {})).toThrow(UsageError);
      expect(() => loadBenchConfig([], { LEDGER_BATCH_SIZE_MAX: '0' })).toThrow(
        /^ledger settings: /,
      );
      expect(() => loadApiBenchConfig(['--accounts', '3', '--clients', '2'], {})).toThrow(
        /at least two accounts/,
      );
    });
  });
});

describe('the harness figures', () => {
  describe('when a process was found at both ends of a window', () => {
    it('gives its CPU seconds and share of one core', () => {
      const figure = cpuFigure({ seconds: 1, processes: 1 }, { seconds: 2.5, processes: 3 }, 2);
      expect(figure).toEqual({ seconds: 1.5, percentOfOneCore: 75, processes: 3 });
    });
  });

  describe('when it was not found at one end', () => {
    it('gives nothing', () => {
      expect(cpuFigure(null, { seconds: 2, processes: 1 }, 2)).toBeNull();
      expect(cpuFigure({ seconds: 1, processes: 0 }, { seconds: 2, processes: 1 }, 2)).toBeNull();
    });
  });

  describe('when a service logs the same warning on several partitions', () => {
    it('groups them, most frequent first, and leaves info out', () => {
      const lines = [
        { level: 40, msg: 'partition [3] stalled' },
        { level: 40, msg: 'partition [7] stalled' },
        { level: 30, msg: 'started' },
        { level: 'ERROR', message: 'broker down', error: 'ECONNREFUSED' },
      ].map((line) => JSON.stringify(line));
      expect(groupLogMessages(lines.join('\n'))).toEqual([
        { level: 'warn', message: 'partition [N] stalled', count: 2 },
        { level: 'error', message: 'broker down: ECONNREFUSED', count: 1 },
      ]);
    });
  });
});
