// A Nest-free entry point (@rtp/ledger/config): the ledger's settings, for its app and for the
// tools that start it and report the settings it runs with.
export * from './ledger-config';
