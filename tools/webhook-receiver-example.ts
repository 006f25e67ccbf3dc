// An example webhook receiver for the gateway's payment events: a plain Node HTTP server that
// verifies every request with the `standardwebhooks` library before it trusts it, answers 2xx
// quickly, and handles each webhook-id once (deliveries are at least once).
//
//   WEBHOOK_SECRET=whsec_... PORT=4000 node -r @swc-node/register tools/webhook-receiver-example.ts
//
// Register it with POST /v1/webhook-endpoints {"url": "https://<your host>/webhooks", ...}; the
// secret is in the answer (shown once). During a secret rotation the gateway signs with both
// secrets, so the receiver may switch to the new one at any time within the overlap.
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

export interface PaymentWebhook {
  webhookId: string;
  type: string;
  timestamp: string;
  data: { eventId: string; payment: { id: string; status: string }; statusSequence: number };
}

const BODY_BYTES_MAX = 1_048_576;

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_BYTES_MAX) request.destroy(new Error('body too large'));
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** Starts the receiver; `onEvent` sees each verified webhook once. */
export async function startWebhookReceiver(options: {
  secret: string;
  port: number;
  onEvent: (event: PaymentWebhook) => void;
}): Promise<{ server: Server; url: string }> {
  const webhook = new Webhook(options.secret);
  const seen = new Set<string>();
  const server = createServer(async (request, response) => {
    try {
      const body = await readBody(request);
      // verify() checks the signature (any one of those sent) and that the timestamp is recent.
      const event = webhook.verify(body, {
        'webhook-id': String(request.headers['webhook-id'] ?? ''),
        'webhook-timestamp': String(request.headers['webhook-timestamp'] ?? ''),
        'webhook-signature': String(request.headers['webhook-signature'] ?? ''),
      }) as Omit<PaymentWebhook, 'webhookId'>;
      const webhookId = String(request.headers['webhook-id']);
      // A redelivery has the same webhook-id: acknowledge it, do not handle it twice.
      if (!seen.has(webhookId)) {
        seen.add(webhookId);
        options.onEvent({ webhookId, ...event });
      }
      response.writeHead(204).end();
    } catch (error) {
      const status = error instanceof WebhookVerificationError ? 401 : 400;
      response.writeHead(status, { 'content-type': 'text/plain' }).end('refused\n');
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/webhooks` };
}

if (require.main === module) {
  const secret = process.env.WEBHOOK_SECRET;
  if (!secret) throw new Error('WEBHOOK_SECRET is not set');
  void startWebhookReceiver({
    secret,
    port: Number(process.env.PORT ?? 4000),
    onEvent: (event) =>
      console.log(`${event.type} ${event.data.payment.id} -> ${event.data.payment.status}`),
  }).then(({ url }) => console.log(`listening on ${url}`));
}
