import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { LookupFunction, isIP } from 'node:net';
import {
  AddressPolicy,
  checkWebhookUrl,
  forbiddenResolution,
  isIpLiteral,
} from '@rtp/gateway/domain';

export interface WebhookPostSettings {
  policy: AddressPolicy;
  /** The whole attempt: connecting, sending and the answer's headers. */
  timeoutMs: number;
  /** What is read of an answer's body at most (it is discarded). */
  responseBytesMax: number;
  /** How host names are resolved (the system's resolver unless a test stands in for DNS). */
  resolve?: (host: string) => Promise<string[]>;
}

export type WebhookPostResult =
  { statusCode: number; error: null } | { statusCode: null; error: string };

/** The addresses a host name resolves to now; none when it does not resolve. */
export async function resolveHost(host: string): Promise<string[]> {
  if (isIpLiteral(host)) return [host];
  try {
    return (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);
  } catch {
    return [];
  }
}

/**
 * POSTs one webhook without leaving a way in to the network (SSRF): the URL is checked again, its
 * host resolved here and every address checked, and the connection made to the checked address
 * (the request's `lookup` answers with it, so no second resolution can rebind the name); TLS still
 * verifies the certificate against the host name. Redirects are answers like any other: not
 * followed. Bounded in time and in what is read of the answer.
 */
export async function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  settings: WebhookPostSettings,
): Promise<WebhookPostResult> {
  const checked = checkWebhookUrl(url, settings.policy);
  if (!checked.ok) return { statusCode: null, error: `url_forbidden: ${checked.reason}` };
  const host = checked.url.hostname.replace(/^\[|\]$/g, '');
  const addresses = await (settings.resolve ?? resolveHost)(host);
  const plainHttp = checked.url.protocol === 'http:';
  const forbidden = forbiddenResolution(host, addresses, settings.policy, plainHttp);
  if (forbidden) return { statusCode: null, error: `address_forbidden: ${forbidden}` };
  const address = addresses[0];
  const family = isIP(address);
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
  const transport = checked.url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: WebhookPostResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const request = transport.request(
      checked.url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body, 'utf8')) },
        lookup: pinned,
        agent: false,
      },
      (response) => {
        finish({ statusCode: response.statusCode ?? 0, error: null });
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > settings.responseBytesMax) response.destroy();
        });
        response.on('error', () => undefined);
      },
    );
    const timer = setTimeout(() => {
      finish({ statusCode: null, error: `timeout after ${settings.timeoutMs} ms` });
      request.destroy();
    }, settings.timeoutMs);
    request.on('error', (error) => finish({ statusCode: null, error: error.message }));
    request.end(body);
  });
}
