export * from './ports/gateway-store.port';
export * from './ports/payment-acceptance.port';
export * from './create-client/create-client.handler';
export * from './authenticate/authenticate.handler';
export * from './open-account/open-account.handler';
export * from './submit-payment/submit-payment.handler';
export * from './freeze-account/freeze-account.handler';
export * from './change-account-settings/change-account-settings.handler';
