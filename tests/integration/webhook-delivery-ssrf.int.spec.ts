// The module itself: the library's index pulls in the HTTP layer (Nest), which jest cannot load.
import { postWebhook } from '../../libs/gateway/infrastructure/src/webhooks/safe-webhook-post';
import { RecordingReceiver } from '../support/webhooks';

jest.setTimeout(30_000);

const production = { allowLoopback: false };
const development = { allowLoopback: true };
const settings = (
  policy: { allowLoopback: boolean },
  resolve?: (host: string) => Promise<string[]>,
) => ({
  policy,
  timeoutMs: 2_000,
  responseBytesMax: 1_024,
  resolve,
});

describe('a webhook delivery, against real sockets', () => {
  const receiver = new RecordingReceiver();
  let url: URL;

  beforeAll(async () => {
    url = new URL(await receiver.start());
  });
  afterAll(() => receiver.stop());

  it('is refused before connecting when the host resolves to loopback outside development', async () => {
    const before = receiver.received.length;
    const result = await postWebhook(
      `https://localhost:${url.port}/hook`,
      {},
      '{}',
      settings(production),
    );
    expect(result.statusCode).toBeNull();
    expect(result.error).toMatch(/^address_forbidden: localhost resolves to .*loopback/);
    expect(receiver.received.length).toBe(before);
  });

  it('is refused when a name that was public now resolves to a private or metadata address (rebinding)', async () => {
    for (const address of ['10.0.0.5', '169.254.169.254', 'fd00:ec2::254', '100.64.0.9']) {
      const result = await postWebhook(
        'https://hooks.example.com/hook',
        {},
        '{}',
        settings(production, async () => ['93.184.216.34', address].slice(1)),
      );
      expect(result.error).toMatch(/^address_forbidden/);
    }
  });

  it('connects to the address it checked, not to a second resolution of the name', async () => {
    // The receiver listens on 127.0.0.2 only; the system resolves localhost to 127.0.0.1 (or
    // ::1). Only the checked address the resolver gave reaches it.
    const pinned = new RecordingReceiver();
    const port = new URL(await pinned.start('127.0.0.2')).port;
    const result = await postWebhook(
      `http://localhost:${port}/hook`,
      { 'webhook-id': 'msg_pinned' },
      '{"a":1}',
      settings(development, async () => ['127.0.0.2']),
    );
    expect(result).toEqual({ statusCode: 204, error: null });
    expect(pinned.received).toHaveLength(1);
    expect(pinned.received[0].headers.host).toBe(`localhost:${port}`);
    expect(pinned.received[0].headers['webhook-id']).toBe('msg_pinned');
    expect(pinned.received[0].body).toBe('{"a":1}');
    await pinned.stop();
  });

  it('does not follow a redirect: the 3xx is the answer', async () => {
    const fresh = new RecordingReceiver(() => 302);
    const target = await fresh.start();
    const result = await postWebhook(target, {}, '{}', settings(development));
    expect(result).toEqual({ statusCode: 302, error: null });
    expect(fresh.received).toHaveLength(1);
    await fresh.stop();
  });

  it('gives up after the timeout when the endpoint never answers', async () => {
    const { createServer } = await import('node:net');
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const started = Date.now();
    const result = await postWebhook(`http://127.0.0.1:${port}/`, {}, '{}', {
      ...settings(development),
      timeoutMs: 300,
    });
    expect(result).toEqual({ statusCode: null, error: 'timeout after 300 ms' });
    expect(Date.now() - started).toBeLessThan(2_000);
    silent.close();
  });
});
