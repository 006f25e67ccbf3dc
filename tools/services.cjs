// Runs the platform's services as child processes, straight from TypeScript through SWC.
// CommonJS so that both the ESM tools and the jest tests (CommonJS) can load it.
const { spawn } = require('node:child_process');
const { createWriteStream, mkdirSync } = require('node:fs');
const { createServer } = require('node:net');
const { join } = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');

const SERVICES = [
  { app: 'ledger', portVariable: 'LEDGER_PORT', port: 3001 },
  { app: 'gateway', portVariable: 'GATEWAY_PORT', port: 3000 },
  { app: 'partner-adapter', portVariable: 'PARTNER_ADAPTER_PORT', port: 3002 },
  { app: 'reconciler', portVariable: 'RECONCILER_PORT', port: 3003 },
  { app: 'sandbox-bank', portVariable: 'SANDBOX_BANK_PORT', port: 3004 },
];

/**
 * @param {{ repoRoot: string, app: string, env: Record<string,string>, logDir: string }} options
 */
function startService({ repoRoot, app, env, logDir }) {
  mkdirSync(logDir, { recursive: true });
  const log = createWriteStream(join(logDir, `${app}.log`), { flags: 'a' });
  const childEnv = { ...process.env, ...env, SWC_NODE_PROJECT: join(repoRoot, 'tsconfig.json') };
  // node refuses --cpu-prof in NODE_OPTIONS: CPU_PROFILE_DIR asks for a V8 CPU profile per service,
  // written there when it stops (`npm run profile:top -- <dir>` summarises them).
  const profile = childEnv.CPU_PROFILE_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${childEnv.CPU_PROFILE_DIR}`]
    : [];
  const child = spawn(
    process.execPath,
    // kafkajs 2.2.4 sets negative timeouts that Node 24 warns about (kafkajs issue #1751); harmless.
    [
      '--enable-source-maps',
      '--disable-warning=TimeoutNegativeWarning',
      ...profile,
      '-r',
      '@swc-node/register',
      join('apps', app, 'src', 'main.ts'),
    ],
    {
      cwd: repoRoot,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Own process group: Ctrl-C reaches the orchestrator only, which stops services in order.
      detached: true,
    },
  );
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = new Promise((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    app,
    child,
    exited,
    /** SIGTERM, then SIGKILL after `graceMs`. */
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    kill(signal = 'SIGKILL') {
      child.kill(signal);
      return exited;
    },
  };
}

async function waitForReady(url, timeoutMs, service) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (service && (service.child.exitCode !== null || service.child.signalCode !== null)) {
      throw new Error(`${service.app} exited before it was ready`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = error.message;
    }
    await sleep(250);
  }
  throw new Error(`${url} not ready within ${timeoutMs} ms: ${last}`);
}

/** A TCP port free on 127.0.0.1 right now (the kernel picks it). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

module.exports = { SERVICES, startService, waitForReady, freePort };
