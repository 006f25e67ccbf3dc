import { forbiddenAddressReason } from './webhook-address-policy';
import { checkWebhookUrl, forbiddenResolution } from './webhook-url';

const production = { allowLoopback: false };
const development = { allowLoopback: true };

describe('the addresses webhooks may be sent to', () => {
  it.each([
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['127.0.0.1', 'loopback'],
    ['127.5.5.5', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['169.254.10.10', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.100.100.200', 'metadata'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fd00:ec2::254', 'metadata'],
    ['fc00::5', 'unique local'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['64:ff9b::a00:1', 'private'],
    ['224.0.0.1', 'multicast'],
  ])('refuses %s (%s)', (address, kind) => {
    expect(forbiddenAddressReason(address, production)).toContain(kind);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700::1111', '100.128.0.1'])(
    'allows the public address %s',
    (address) => {
      expect(forbiddenAddressReason(address, production)).toBeNull();
    },
  );

  it('allows loopback only in development, and never the metadata service', () => {
    expect(forbiddenAddressReason('127.0.0.1', development)).toBeNull();
    expect(forbiddenAddressReason('::1', development)).toBeNull();
    expect(forbiddenAddressReason('10.0.0.1', development)).toContain('private');
    expect(forbiddenAddressReason('169.254.169.254', development)).toContain('metadata');
  });

  it('refuses a host when any one of its addresses is forbidden (no partial trust)', () => {
    expect(forbiddenResolution('a.example', ['93.184.216.34', '10.0.0.1'], production)).toMatch(
      /a\.example resolves to .*private/,
    );
    expect(forbiddenResolution('a.example', [], production)).toContain('no address');
    expect(forbiddenResolution('a.example', ['93.184.216.34'], production)).toBeNull();
  });

  it('lets plain http (development only) go to loopback addresses only', () => {
    expect(forbiddenResolution('localhost', ['127.0.0.1', '::1'], development, true)).toBeNull();
    expect(
      forbiddenResolution('localhost', ['127.0.0.1', '93.184.216.34'], development, true),
    ).toBe('localhost resolves to 93.184.216.34: plain http goes to loopback only');
  });
});

describe('the URLs webhooks may be registered at', () => {
  it.each([
    ['http://example.com/hook', production, 'only https'],
    ['ftp://example.com/hook', production, 'only https'],
    ['https://user:secret@example.com/hook', production, 'credentials'],
    ['https://example.com/hook#part', production, 'fragment'],
    ['https://10.0.0.8/hook', production, 'private'],
    ['https://[::1]/hook', production, 'loopback'],
    ['https://169.254.169.254/latest/meta-data', development, 'metadata'],
    ['http://127.0.0.1:8080/hook', production, 'only https'],
    ['http://10.0.0.8/hook', development, 'only https'],
    ['not a url', production, 'absolute URL'],
  ])('refuses %s', (url, policy, reason) => {
    const checked = checkWebhookUrl(url, policy);
    expect(checked.ok).toBe(false);
    expect(!checked.ok && checked.reason).toContain(reason);
  });

  it.each([
    ['https://example.com/hook', production],
    ['https://93.184.216.34:8443/hook?x=1', production],
    ['http://127.0.0.1:8080/hook', development],
    ['http://localhost:8080/hook', development],
  ])('accepts %s', (url, policy) => {
    expect(checkWebhookUrl(url, policy).ok).toBe(true);
  });
});
