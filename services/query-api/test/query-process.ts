import { createHmac } from 'node:crypto';
import { waitFor, type ServiceProcess, type TestPipeline } from '@fan/test-support';

/**
 * A token built by hand (base64url header.payload + HMAC-SHA256), as any identity service may
 * issue it, so that no assumption of the jsonwebtoken library leaks into what the tests prove.
 */
export function handMadeToken(payload: object, secret: string, header: object = { alg: 'HS256', typ: 'JWT' }): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const signed = `${b64(header)}.${b64(payload)}`;
  return `${signed}.${createHmac('sha256', secret).update(signed).digest('base64url')}`;
}

/** The query API as its own OS process (main.ts, config from the environment) on a test pipeline. */
export async function startQueryProcess(
  p: TestPipeline,
  env: Record<string, string>,
): Promise<{ base: string; proc: ServiceProcess; metric: (name: string) => Promise<number> }> {
  const proc = p.start('query-api', { QUERY_PORT: '0', ...env });
  const port = await waitFor('query API listening', async () => /"port":(\d+),"clock"/.exec(proc.output())?.[1], 60_000, 50);
  const base = `http://127.0.0.1:${port}`;
  /** One unlabelled sample of /metrics. */
  const metric = async (name: string): Promise<number> => {
    const text = await (await fetch(`${base}/metrics`)).text();
    const m = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text);
    if (!m) throw new Error(`no ${name} in /metrics`);
    return Number(m[1]);
  };
  return { base, proc, metric };
}
