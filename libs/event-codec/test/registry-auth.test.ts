import http from 'node:http';
import { stackEnv, uniqueName } from '@fan/test-support';
import { createRegistry, lookupSchemaIds, registryHealthCheck } from '../src/registry';

const PASSWORD = `p@ss-${uniqueName('x')}`;

/**
 * The registry behind a gateway that demands HTTP basic auth (as hosted registries do): a real
 * Apicurio behind a real HTTP listener that checks the header and forwards everything else.
 */
function basicAuthGateway(target: string): Promise<{ url: (user: string, pass: string) => string; close: () => Promise<void> }> {
  const expected = `Basic ${Buffer.from(`svc:${PASSWORD}`).toString('base64')}`;
  const server = http.createServer((req, res) => {
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="registry"', 'content-type': 'application/json' });
      return void res.end('{"error_code":401,"message":"Unauthorized"}');
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      void fetch(`${target}${req.url!.replace(/^\/apis\/ccompat\/v7/, '')}`, {
        method: req.method,
        headers: { 'content-type': req.headers['content-type'] ?? 'application/json', accept: req.headers.accept ?? '*/*' },
        body: body.length ? body : undefined,
      }).then(async (r) => {
        res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' });
        res.end(Buffer.from(await r.arrayBuffer()));
      });
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({
        url: (user, pass) => `http://${user}:${encodeURIComponent(pass)}@127.0.0.1:${port}/apis/ccompat/v7`,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    }),
  );
}

describe('schema registry behind basic auth (credentials in SCHEMA_REGISTRY_URL)', () => {
  const direct = stackEnv().SCHEMA_REGISTRY_URL;
  let gw: Awaited<ReturnType<typeof basicAuthGateway>>;
  beforeAll(async () => {
    gw = await basicAuthGateway(direct);
  });
  afterAll(async () => {
    await gw.close();
  });

  it('looks ids up, fetches schemas and answers health with the credentials', async () => {
    const url = gw.url('svc', PASSWORD);
    const ids = await lookupSchemaIds(url);
    expect(ids).toEqual(await lookupSchemaIds(direct));
    const schema = (await createRegistry(url).getSchema(ids['asset.like'])) as unknown as { name: string };
    expect(schema.name).toBe('fan.dashboard.events.AssetLike');
    await expect(registryHealthCheck(url)()).resolves.toBeUndefined();
  });

  it('a wrong password fails clearly, and no message shows the password', async () => {
    const url = gw.url('svc', 'wrong-secret');
    const err = (await lookupSchemaIds(url).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/HTTP 401/);
    expect(err.message).not.toContain('wrong-secret');
    expect(err.message).toContain('http://127.0.0.1:');
    const health = (await registryHealthCheck(url)().catch((e: unknown) => e)) as Error;
    expect(health.message).toBe('HTTP 401');
  });
});
