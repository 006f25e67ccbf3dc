import { serverArguments } from '../../tools/infra/postgres-cluster';

describe('the local PostgreSQL server settings', () => {
  const paths = {
    bin: '/pg/bin',
    dataDir: '/data/pg',
    clusterDir: '/data/pg/cluster',
    owner: null,
  };
  const args = serverArguments(paths, 54329, { shared_preload_libraries: 'pg_stat_statements' });
  const settings = args.filter((_, index) => args[index - 1] === '-c');

  it('serves the cluster folder on 127.0.0.1 only, with its socket in the data folder', () => {
    expect(args.slice(0, 2)).toEqual(['-D', '/data/pg/cluster']);
    expect(settings).toEqual(
      expect.arrayContaining([
        'port=54329',
        'listen_addresses=127.0.0.1',
        'unix_socket_directories=/data/pg',
      ]),
    );
  });

  it('keeps fsync and synchronous commit on: durability is measured with them', () => {
    expect(settings).toEqual(expect.arrayContaining(['fsync=on', 'synchronous_commit=on']));
  });

  it('adds the given settings after the fixed ones', () => {
    expect(settings[settings.length - 1]).toBe('shared_preload_libraries=pg_stat_statements');
  });
});
