export interface NewOperator {
  name: string;
  clientId: string;
  keyHash: string;
  keyPrefix: string;
  createdBy: string;
}

export interface OperatorView {
  name: string;
  keyPrefix: string;
  createdBy: string;
  createdAt: Date;
  revokedAt: Date | null;
}

export interface OperatorStore {
  /** Stores the operator and its key (admin scope), atomically; false when the name is taken. */
  createOperator(operator: NewOperator): Promise<boolean>;
  listOperators(): Promise<OperatorView[]>;
  /** Revokes the operator's key (once; every replica forgets it at the commit); null if unknown. */
  revokeOperator(name: string): Promise<OperatorView | null>;
}
