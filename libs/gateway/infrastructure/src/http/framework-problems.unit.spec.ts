import { gatewayFrameworkErrors } from './framework-problems';

describe("the gateway's answers to Node's and Fastify's own errors", () => {
  it.each([
    ['HPE_INVALID_CONTENT_LENGTH', 400, 'malformed_request'],
    ['HPE_INVALID_HEADER_TOKEN', 400, 'malformed_request'],
    ['HPE_SOMETHING_NEW', 400, 'malformed_request'],
    [undefined, 400, 'malformed_request'],
    ['HPE_HEADER_OVERFLOW', 431, 'headers_too_large'],
    ['ERR_HTTP_REQUEST_TIMEOUT', 408, 'request_timeout'],
  ])('answers the parser error %s with %i %s', (code, status, problemCode) => {
    const response = gatewayFrameworkErrors.clientError({ code, message: 'x' });
    expect(response.status).toBe(status);
    expect(response.headers['Content-Type']).toBe('application/problem+json; charset=utf-8');
    expect(JSON.parse(response.body)).toMatchObject({ status, code: problemCode });
    expect(JSON.parse(response.body)).not.toHaveProperty('instance');
  });

  it.each([
    ['FST_ERR_BAD_URL', 400, 'malformed_request'],
    ['FST_ERR_MAX_PARAM_LENGTH', 414, 'uri_too_long'],
    ['FST_ERR_ASYNC_CONSTRAINT', 400, 'malformed_request'],
  ])('answers the router error %s with %i %s', (code, status, problemCode) => {
    const response = gatewayFrameworkErrors.routerError({ code, message: 'x' }, '/v1/accounts/%zz');
    expect(response.status).toBe(status);
    expect(JSON.parse(response.body)).toMatchObject({
      status,
      code: problemCode,
      instance: '/v1/accounts/%zz',
      type: `https://docs.rtp.example/problems/${problemCode}`,
    });
  });

  it('answers 503 shutting_down with Retry-After while shutting down', () => {
    const response = gatewayFrameworkErrors.shuttingDown('/v1/payments');
    expect(response).toMatchObject({
      status: 503,
      headers: { 'Content-Type': 'application/problem+json; charset=utf-8', 'Retry-After': '1' },
    });
    expect(JSON.parse(response.body)).toMatchObject({ code: 'shutting_down', status: 503 });
  });
});
