export * from './amount';
export * from './fingerprint';
export * from './api-key';
export * from './account-visibility';
export * from './refusals';
export * from './beneficiary';
export * from './operator';
export * from './webhooks';
