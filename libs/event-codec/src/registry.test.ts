import { registryEndpoint } from './registry';

describe('registryEndpoint', () => {
  it('splits credentials from the address shown in errors and /healthz', () => {
    expect(registryEndpoint('https://svc:p%40ss@registry.example:8443/apis/ccompat/v7/')).toEqual({
      url: 'https://registry.example:8443/apis/ccompat/v7',
      auth: { username: 'svc', password: 'p@ss' },
    });
    expect(registryEndpoint('http://127.0.0.1:8081/apis/ccompat/v7')).toEqual({ url: 'http://127.0.0.1:8081/apis/ccompat/v7' });
  });
});
