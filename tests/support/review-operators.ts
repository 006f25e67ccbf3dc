import { GatewayClient } from './http-client';

/** A named operator, created by the bootstrap admin key, with a client on their own key. */
export async function newOperator(
  admin: GatewayClient,
  name: string,
): Promise<{ name: string; apiKey: string; client: GatewayClient }> {
  const response = await admin.post<{ name: string; apiKey: string }>('/v1/admin/operators', {
    name,
  });
  if (response.status !== 201) {
    throw new Error(`operator ${name}: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return { name, apiKey: response.body.apiKey, client: admin.withKey(response.body.apiKey) };
}

/** Polls `read` until `done` holds (the projection is asynchronous), or fails after `timeoutMs`. */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!done(last)) {
    if (Date.now() > deadline)
      throw new Error(`not reached in time; last: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    last = await read();
  }
  return last;
}
