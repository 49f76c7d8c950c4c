import { parseDatabaseHosts } from './hosts';

describe('parseDatabaseHosts', () => {
  it('splits libpq multi-host URLs and keeps the rest of the URL for each host', () => {
    const d = parseDatabaseHosts(
      'postgres://app:s%40cret@10.0.0.1:5432,10.0.0.2:5433,[::1]:6000/dash?sslmode=require&target_session_attrs=read-write',
    );
    expect(d.hosts).toEqual([
      { host: '10.0.0.1', port: '5432' },
      { host: '10.0.0.2', port: '5433' },
      { host: '[::1]', port: '6000' },
    ]);
    expect(d.readWrite).toBe(true);
    expect(d.urlFor(1)).toBe('postgres://app:s%40cret@10.0.0.2:5433/dash?sslmode=require');
    expect(d.urlFor(2)).toBe('postgres://app:s%40cret@[::1]:6000/dash?sslmode=require');
  });

  it('leaves a single-host URL as it is', () => {
    const d = parseDatabaseHosts('postgres://postgres@127.0.0.1:5432/dashboard');
    expect(d.hosts).toEqual([{ host: '127.0.0.1', port: '5432' }]);
    expect(d.readWrite).toBe(false);
    expect(d.urlFor(0)).toBe('postgres://postgres@127.0.0.1:5432/dashboard');
    expect(parseDatabaseHosts('postgresql://h/db?target_session_attrs=primary').readWrite).toBe(true);
    expect(parseDatabaseHosts('postgresql://h/db?target_session_attrs=any').urlFor(0)).toBe('postgresql://h/db');
  });
});
