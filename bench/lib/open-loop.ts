import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { quantile } from './report';

export interface OpenLoopRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}

export interface OpenLoopResult {
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  errors: number;
}

/**
 * Requests sent on a fixed schedule (rate per second), whether or not earlier ones have answered,
 * and each latency measured from its scheduled time, so a stall shows in the tail instead of
 * silently slowing the sender (coordinated omission). autocannon's rate option sends each second's
 * quota as fast as it can and then waits, which measures bursts rather than a steady load.
 */
export async function openLoop(
  base: string,
  headers: Record<string, string>,
  requests: OpenLoopRequest[],
  rate: number,
  seconds: number,
): Promise<OpenLoopResult> {
  const url = new URL(base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const latencies = new Float64Array(total);
  let answered = 0;
  let errors = 0;
  let sent = 0;
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const done = () => ++answered === total && resolve();
    const fire = (i: number) => {
      const r = requests[i % requests.length]!;
      const scheduled = start + i * interval;
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          method: r.method,
          path: r.path,
          agent,
          headers: r.body ? { ...headers, 'content-length': Buffer.byteLength(r.body) } : headers,
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies[i] = performance.now() - scheduled;
            if ((res.statusCode ?? 500) >= 300) errors++;
            done();
          });
        },
      );
      req.on('error', () => {
        latencies[i] = performance.now() - scheduled;
        errors++;
        done();
      });
      req.end(r.body);
    };
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - start) / interval) + 1);
      while (sent < due) fire(sent++);
      if (sent < total) setTimeout(tick, Math.max(0, interval - 1));
    };
    tick();
  });
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  return {
    rps: total / elapsed,
    p50: Math.round(quantile(latencies, 0.5) * 10) / 10,
    p90: Math.round(quantile(latencies, 0.9) * 10) / 10,
    p99: Math.round(quantile(latencies, 0.99) * 10) / 10,
    max: Math.round(quantile(latencies, 1) * 10) / 10,
    errors,
  };
}
