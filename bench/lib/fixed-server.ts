import { spawn, type ChildProcess } from 'node:child_process';

/**
 * A node HTTP server in its own process that answers every request with the same body from
 * memory: no I/O, no parsing, so what a load generator measures against it is its own tail
 * (plus the kernel's and one event loop's), the floor under any real read's figures.
 */
export async function startFixedServer(bodyBytes = 1024): Promise<{ url: string; pid: number; stop: () => Promise<void> }> {
  const code = `
    const body = Buffer.from(JSON.stringify({ code: 200, data: { fill: 'x'.repeat(${bodyBytes}) } }));
    const headers = { 'content-type': 'application/json', 'content-length': body.length };
    const server = require('node:http').createServer((_req, res) => { res.writeHead(200, headers); res.end(body); });
    server.keepAliveTimeout = 60000;
    server.listen(0, '127.0.0.1', () => console.log(server.address().port));
    process.on('SIGTERM', () => server.close(() => process.exit(0)));`;
  const child: ChildProcess = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
