/**
 * libpq's multi-host DATABASE_URL (`postgres://u@h1:5432,h2:5433/db?target_session_attrs=read-write`),
 * which node-postgres does not understand (brianc/node-postgres#1470): the hosts in order, whether
 * a connection must accept writes, and the single-host URL node-postgres is given for each.
 */
export interface DatabaseHosts {
  hosts: ReadonlyArray<{ host: string; port: string }>;
  /** target_session_attrs=read-write (or primary): a standby's connection is refused and the next host tried. */
  readWrite: boolean;
  /** The URL for one of `hosts`, without target_session_attrs. */
  urlFor(index: number): string;
}

const URL_PARTS = /^(postgres(?:ql)?:\/\/)([^@/?#]*@)?([^/?#]*)(.*)$/;

export function parseDatabaseHosts(url: string): DatabaseHosts {
  const m = URL_PARTS.exec(url);
  if (!m) return { hosts: [{ host: '', port: '' }], readWrite: false, urlFor: () => url };
  const [, scheme, auth = '', hostList, rest = ''] = m as unknown as [string, string, string | undefined, string, string];
  const hosts = hostList.split(',').map((h) => {
    // [::1]:5432, host:5432, host
    const v6 = /^(\[[^\]]*\])(?::(\d+))?$/.exec(h);
    if (v6) return { host: v6[1]!, port: v6[2] ?? '' };
    const i = h.lastIndexOf(':');
    return i < 0 ? { host: h, port: '' } : { host: h.slice(0, i), port: h.slice(i + 1) };
  });
  const q = rest.indexOf('?');
  const path = q < 0 ? rest : rest.slice(0, q);
  const params = new URLSearchParams(q < 0 ? '' : rest.slice(q + 1));
  const attrs = params.get('target_session_attrs') ?? 'any';
  params.delete('target_session_attrs');
  const query = params.toString();
  return {
    hosts,
    readWrite: attrs === 'read-write' || attrs === 'primary',
    urlFor: (index) => {
      const h = hosts[index]!;
      return `${scheme}${auth}${h.host}${h.port ? `:${h.port}` : ''}${path}${query ? `?${query}` : ''}`;
    },
  };
}
