/** The bad inputs of the gateway-input-hardening e2e test, each with the problem it must answer. */
export interface InputCase {
  name: string;
  path: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  status: number;
  code: string;
}

/** A request written byte for byte: `head` is the request line and any headers of the case. */
export interface RawCase {
  name: string;
  head: string;
  status: number;
  code: string;
}

/** Stands for the test client's account in paths and bodies; the test puts the real id in. */
export const ACCOUNT = '{account}';

const cursor = (position: unknown) => Buffer.from(JSON.stringify(position)).toString('base64url');
const invalidUtf8 = Buffer.concat([
  Buffer.from('{"name":"'),
  Buffer.from([0xc3, 0x28]),
  Buffer.from('"}'),
]);
const text = (name: string, path: string, body: string): InputCase => ({
  name,
  path,
  body,
  status: 400,
  code: 'invalid_text',
});

const pay = (fields: string) =>
  `{"sourceAccountId":"${ACCOUNT}","destinationAccountId":"${ACCOUNT}",${fields}}`;
const payment = (name: string, fields: string, code: string): InputCase => ({
  name,
  path: '/v1/payments',
  body: pay(fields),
  status: 400,
  code,
});

export const INPUT_CASES: InputCase[] = [
  text(
    'a NUL in a reference',
    '/v1/payments',
    pay('"amount":"1","currency":"EUR","reference":"\\u0000"'),
  ),
  text(
    'a lone surrogate in a reference',
    '/v1/payments',
    pay('"amount":"1","currency":"EUR","reference":"\\ud800"'),
  ),
  text('a NUL in a metadata key', '/v1/accounts', '{"currency":"EUR","metadata":{"k\\u0000":"v"}}'),
  text(
    'a lone surrogate in a metadata value',
    '/v1/accounts',
    '{"currency":"EUR","metadata":{"k":"\\udc00"}}',
  ),
  text('a NUL in an account name', '/v1/accounts', '{"currency":"EUR","name":"\\u0000"}'),
  text('a NUL in a client name', '/v1/admin/clients', '{"name":"x\\u0000"}'),
  payment('a duplicate key', '"amount":"1","amount":"250","currency":"EUR"', 'duplicate_key'),
  {
    name: 'invalid UTF-8',
    path: '/v1/admin/clients',
    body: invalidUtf8,
    status: 400,
    code: 'malformed_json',
  },
  payment(
    'a fraction in a string field',
    '"amount":"1","currency":"EUR","reference":1.5',
    'validation_failed',
  ),
  payment('a fractional amount', '"amount":1.5,"currency":"EUR"', 'invalid_amount'),
  payment('an exponent amount', '"amount":1e3,"currency":"EUR"', 'invalid_amount'),
  payment('a payment in XAU', '"amount":"1","currency":"XAU"', 'invalid_currency'),
  {
    name: 'an account in XXX',
    path: '/v1/accounts',
    body: '{"currency":"XXX"}',
    status: 400,
    code: 'invalid_currency',
  },
  ...['1e1', '0x10', '%205', '5.0', '0'].map((limit): InputCase => ({
    name: `limit=${limit}`,
    path: `/v1/payments?limit=${limit}`,
    status: 400,
    code: 'validation_failed',
  })),
  ...[['x'], ['x', 'y'], ['99999999999999999999'], [1], 'x'].map((position): InputCase => ({
    name: `an entries cursor of ${JSON.stringify(position)}`,
    status: 400,
    code: 'invalid_cursor',
    path: `/v1/accounts/${ACCOUNT}/entries?cursor=${cursor(position)}`,
  })),
  ...[
    ['x'],
    ['x', 'y'],
    ['2026-02-30T00:00:00.000Z', 'id'],
    ['Mon, 2 Mar 2026', 'id'],
    ['2026-03-02T00:00:00.000Z', 'a"b'],
  ].map((position): InputCase => ({
    name: `a payments cursor of ${JSON.stringify(position)}`,
    status: 400,
    code: 'invalid_cursor',
    path: `/v1/payments?cursor=${cursor(position)}`,
  })),
  {
    name: 'a 200-character account id',
    path: `/v1/accounts/${'a'.repeat(200)}`,
    status: 404,
    code: 'account_not_found',
  },
  {
    name: 'a 200-character payment id',
    path: `/v1/payments/${'a'.repeat(200)}`,
    status: 404,
    code: 'payment_not_found',
  },
  {
    name: 'a 2000-character id',
    path: `/v1/accounts/${'a'.repeat(2_000)}`,
    status: 414,
    code: 'uri_too_long',
  },
  {
    name: 'a body that is not JSON',
    path: '/v1/accounts',
    body: '<currency/>',
    status: 415,
    code: 'unsupported_media_type',
    headers: { 'content-type': 'application/xml' },
  },
  {
    name: 'a text/plain body',
    path: '/v1/accounts',
    body: '{"currency":"EUR"}',
    status: 415,
    code: 'unsupported_media_type',
    headers: { 'content-type': 'text/plain' },
  },
  {
    name: 'a body over 64 KiB',
    path: '/v1/accounts',
    status: 413,
    code: 'body_too_large',
    body: JSON.stringify({ currency: 'EUR', name: 'x'.repeat(70_000) }),
  },
];

export const RAW_CASES: RawCase[] = [
  {
    name: 'Content-Length: abc',
    status: 400,
    code: 'malformed_request',
    head: 'POST /v1/accounts HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: abc',
  },
  {
    name: 'a malformed percent escape',
    status: 400,
    code: 'malformed_request',
    head: 'GET /v1/accounts/%zz HTTP/1.1',
  },
  {
    name: 'a NUL in Idempotency-Key',
    status: 400,
    code: 'malformed_request',
    head: 'GET /v1/payments HTTP/1.1\r\nIdempotency-Key: a\x00b',
  },
  {
    name: 'a control character in Idempotency-Key',
    status: 400,
    code: 'malformed_request',
    head: 'GET /v1/payments HTTP/1.1\r\nIdempotency-Key: a\x01b',
  },
  {
    name: 'DEL in Idempotency-Key',
    status: 400,
    code: 'malformed_request',
    head: 'POST /v1/payments HTTP/1.1\r\nIdempotency-Key: a\x7fb',
  },
  // Node lets a tab through in a header value; the gateway's own key check refuses it.
  {
    name: 'a tab in Idempotency-Key',
    status: 400,
    code: 'idempotency_key_required',
    head: 'POST /v1/payments HTTP/1.1\r\nIdempotency-Key: a\tb',
  },
  {
    name: 'headers over 16 KiB',
    status: 431,
    code: 'headers_too_large',
    head: `GET /v1/payments HTTP/1.1\r\nX-Padding: ${'p'.repeat(20_000)}`,
  },
];
