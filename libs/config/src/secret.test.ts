import { ConfigError, secret } from './parse-env';

const prod = (v: Record<string, string>) => ({ NODE_ENV: 'production', ...v });
const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  return 'accepted';
};

describe('secret', () => {
  it('uses the development default outside production', () => {
    expect(secret('JWT_SECRET', {})).toBe('dev-secret');
    expect(secret('INGEST_TOKEN', { INGEST_TOKEN: 't' })).toBe('t');
  });
  it('refuses an empty secret everywhere', () => {
    expect(refusal(() => secret('JWT_SECRET', { JWT_SECRET: '' }))).toBe('JWT_SECRET is empty; set it to a secret value');
    expect(refusal(() => secret('INGEST_TOKEN', prod({ INGEST_TOKEN: '  ' })))).toBe('INGEST_TOKEN is empty; set it to a secret value');
  });
  it('in production refuses unset, the development default, and a JWT secret under 32 bytes', () => {
    expect(refusal(() => secret('JWT_SECRET', prod({})))).toBe('JWT_SECRET must be set when NODE_ENV=production');
    expect(refusal(() => secret('INGEST_TOKEN', prod({})))).toBe('INGEST_TOKEN must be set when NODE_ENV=production');
    expect(refusal(() => secret('JWT_SECRET', prod({ JWT_SECRET: 'dev-secret' })))).toBe(
      'JWT_SECRET must be set to a non-default value when NODE_ENV=production',
    );
    expect(refusal(() => secret('INGEST_TOKEN', prod({ INGEST_TOKEN: 'dev-ingest-token' })))).toBe(
      'INGEST_TOKEN must be set to a non-default value when NODE_ENV=production',
    );
    expect(refusal(() => secret('JWT_SECRET', prod({ JWT_SECRET: 'x'.repeat(31) })))).toBe(
      'JWT_SECRET must be at least 32 bytes when NODE_ENV=production (got 31)',
    );
    expect(secret('JWT_SECRET', prod({ JWT_SECRET: 'x'.repeat(32) }))).toBe('x'.repeat(32));
    expect(secret('INGEST_TOKEN', prod({ INGEST_TOKEN: 'short-but-not-default' }))).toBe('short-but-not-default');
  });
});
