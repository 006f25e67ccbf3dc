export interface NewClient {
  clientId: string;
  name: string;
  keyHash: string;
  keyPrefix: string;
}

export interface ClientStore {
  /** Stores the client and its first API key (payments scope), atomically. */
  createClient(client: NewClient): Promise<void>;
}
