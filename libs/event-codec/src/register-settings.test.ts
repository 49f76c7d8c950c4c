import { ConfigError } from '@fan/config';
import { registerSettings } from './register-settings';

const refusal = (env: Record<string, string>) => {
  try {
    registerSettings(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  return 'accepted';
};

describe('registerSettings', () => {
  it('defaults to the local registry and a 60 s wait', () => {
    expect(registerSettings({})).toEqual({ registryUrl: 'http://127.0.0.1:8081/apis/ccompat/v7', waitMs: 60_000 });
    expect(registerSettings({ SCHEMA_REGISTRY_URL: 'http://r:1/x//', REGISTER_WAIT_MS: '0' })).toEqual({
      registryUrl: 'http://r:1/x',
      waitMs: 0,
    });
  });

  it.each([
    ['abc', 'invalid settings:\n  REGISTER_WAIT_MS: Expected number, received nan'],
    ['1.5', 'invalid settings:\n  REGISTER_WAIT_MS: Expected integer, received float'],
    ['-1', 'invalid settings:\n  REGISTER_WAIT_MS: Number must be greater than or equal to 0'],
  ])('REGISTER_WAIT_MS=%s is refused, naming the variable', (value, message) => {
    expect(refusal({ REGISTER_WAIT_MS: value })).toBe(message);
  });
});
