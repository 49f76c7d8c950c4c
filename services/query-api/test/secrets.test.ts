import { startService } from '@fan/test-support';

/** CONTRACT §4: weak production secrets stop the service at start, naming the variable. */
describe('weak production secrets stop the service', () => {
  it.each([
    ['query-api', { JWT_SECRET: '' }, 'JWT_SECRET is empty'],
    ['query-api', { JWT_SECRET: 'dev-secret' }, 'JWT_SECRET must be set to a non-default value'],
    ['query-api', { JWT_SECRET: 'only-twenty-bytes-xx' }, 'JWT_SECRET must be at least 32 bytes'],
    ['ingest', { INGEST_TOKEN: '' }, 'INGEST_TOKEN is empty'],
    ['ingest', {}, 'INGEST_TOKEN must be set when NODE_ENV=production'],
  ])('%s with %j', async (service, env, message) => {
    const base: Record<string, string> = { NODE_ENV: 'production', QUERY_PORT: '0', INGEST_PORT: '0', JWT_SECRET: 'x'.repeat(40) };
    if (service === 'ingest') delete base.JWT_SECRET;
    const proc = startService(service, { ...base, ...env });
    expect(await proc.stop('SIGCONT')).toBe(1);
    expect(proc.output()).toContain(message);
  });
});
