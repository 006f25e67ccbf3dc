export * from './webhook-address-policy';
export * from './webhook-url';
export * from './webhook-retry';
export * from './webhook-secret';
