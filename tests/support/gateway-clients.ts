import { GatewayClient } from './http-client';

/** A new API client of the gateway, created by the admin: the same gateway, its own key. */
export async function newClient(admin: GatewayClient, name: string): Promise<GatewayClient> {
  const created = await admin.post<{ apiKey: string }>('/v1/admin/clients', { name });
  if (created.status !== 201) throw new Error(`creating client ${name} answered ${created.status}`);
  return admin.withKey(created.body.apiKey);
}

/** Opens an account for `client`, waiting up to 10 s for the ledger to open it. */
export async function openAccount<T>(client: GatewayClient, body: Record<string, unknown>) {
  return (await client.post<T>('/v1/accounts', body, { prefer: 'wait=10' })).body;
}
