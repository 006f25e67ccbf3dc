// A Nest-free entry point (@rtp/gateway/config): the gateway's settings, for its app and for the
// tools that start it and report the settings it runs with.
export * from './gateway-config';
