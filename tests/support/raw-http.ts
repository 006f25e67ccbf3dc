import { Socket, connect } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Splits what a server wrote into responses (bodies by Content-Length, else the rest). */
function parseResponses(bytes: Buffer): RawResponse[] {
  const responses: RawResponse[] = [];
  let rest = bytes;
  while (rest.length > 0) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) throw new Error(`incomplete response: ${rest.toString('latin1')}`);
    const [statusLine, ...lines] = rest.subarray(0, end).toString('latin1').split('\r\n');
    const headers = Object.fromEntries(
      lines.map((line) => {
        const colon = line.indexOf(':');
        return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
      }),
    );
    const length =
      headers['content-length'] === undefined
        ? rest.length - end - 4
        : Number(headers['content-length']);
    const body = rest.subarray(end + 4, end + 4 + length).toString('utf8');
    responses.push({ status: Number(statusLine.split(' ')[1]), headers, body });
    rest = rest.subarray(end + 4 + length);
  }
  return responses;
}

/**
 * One TCP connection that writes bytes exactly as given: no client library refuses or repairs
 * `Content-Length: abc`, a control character in a header or a bad percent escape on the way.
 */
export class RawConnection {
  private readonly socket: Socket;
  private readonly received: Buffer[] = [];
  private readonly closed: Promise<void>;

  constructor(port: number) {
    this.socket = connect(port, '127.0.0.1');
    this.socket.on('data', (chunk: Buffer) => this.received.push(chunk));
    this.closed = new Promise((resolve) => {
      this.socket.on('close', () => resolve());
      this.socket.on('error', () => resolve());
    });
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** Everything the server answered, once it closed the connection (or after `timeoutMs`). */
  async responses(timeoutMs = 10_000): Promise<RawResponse[]> {
    const timer = setTimeout(() => this.socket.destroy(), timeoutMs);
    await this.closed;
    clearTimeout(timer);
    return parseResponses(Buffer.concat(this.received));
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** Sends one request over a fresh connection and returns the server's first answer. */
export async function sendRaw(port: number, request: string | Buffer): Promise<RawResponse> {
  const connection = new RawConnection(port);
  connection.write(request);
  const [response] = await connection.responses();
  if (!response) throw new Error('the server closed the connection without an answer');
  return response;
}
