import { STATEMENT_FILE_BYTES_MAX } from '@rtp/shared/statements';

export interface BankStatementSourceOptions {
  baseUrl: string;
  apiKey: string;
  /** `camt.053.001.08`, `camt.053.001.02` (XML) or `csv`. */
  format: 'camt.053.001.08' | 'camt.053.001.02' | 'csv';
  timeoutMs: number;
  attemptsMax: number;
  retryDelayMs: number;
}

export type FetchedStatement =
  { ok: true; content: string; kind: 'xml' | 'csv' } | { ok: false; reason: string };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `GET /v1/statements/{date}` at the bank: a daily call, so it goes outside the payouts' breakers,
 * with its own timeout and a few bounded attempts (a 5xx, a reset, a timeout is tried again; a
 * 4xx is not). A file larger than the parser accepts is not read to its end.
 */
export class BankStatementSource {
  constructor(private readonly options: BankStatementSourceOptions) {}

  async fetch(date: string): Promise<FetchedStatement> {
    let reason = 'no attempt';
    for (let attempt = 1; attempt <= this.options.attemptsMax; attempt += 1) {
      if (attempt > 1) await sleep(this.options.retryDelayMs * 2 ** (attempt - 2));
      try {
        const response = await fetch(this.url(date), {
          headers: {
            authorization: `Bearer ${this.options.apiKey}`,
            accept: this.options.format === 'csv' ? 'text/csv' : 'application/xml',
          },
          signal: AbortSignal.timeout(this.options.timeoutMs),
        });
        const declared = Number(response.headers.get('content-length') ?? '0');
        if (declared > STATEMENT_FILE_BYTES_MAX) {
          await response.body?.cancel();
          return { ok: false, reason: `statement of ${declared} bytes is too large` };
        }
        const content = await response.text();
        if (response.ok) {
          return { ok: true, content, kind: this.options.format === 'csv' ? 'csv' : 'xml' };
        }
        reason = `bank answered ${response.status}: ${content.slice(0, 200)}`;
        if (response.status < 500) return { ok: false, reason };
      } catch (error) {
        reason = `bank call failed: ${(error as Error).message}`;
      }
    }
    return { ok: false, reason };
  }

  private url(date: string): string {
    const path = `${this.options.baseUrl}/v1/statements/${encodeURIComponent(date)}`;
    return this.options.format === 'camt.053.001.02' ? `${path}?format=camt.053.001.02` : path;
  }
}
