import { nextRetry, parseSse } from './sse';

describe('parseSse', () => {
  it('returns complete events, skips comments, keeps the unfinished rest', () => {
    const first = parseSse('retry: 2000\n\nevent: ready\ndata: {}\n\n: keep-alive\n\nevent: changed\ndata: {"reads":["top-');
    expect(first.events).toEqual([{ event: 'ready', data: '{}' }]);
    const second = parseSse(`${first.rest}assets"]}\n\ndata: a\ndata: b\n\n`);
    expect(second.events).toEqual([
      { event: 'changed', data: '{"reads":["top-assets"]}' },
      { event: 'message', data: 'a\nb' },
    ]);
    expect(second.rest).toBe('');
  });

  it('accepts CRLF line ends', () => {
    expect(parseSse('event: changed\r\ndata: x\r\n\r\n').events).toEqual([{ event: 'changed', data: 'x' }]);
  });

  it('reads the expired event that ends a stream', () => {
    expect(parseSse('event: expired\ndata: {"message":"token expired"}\n\n').events).toEqual([
      { event: 'expired', data: '{"message":"token expired"}' },
    ]);
  });
});

describe('nextRetry', () => {
  const none = () => 0;
  const most = () => 0.999;

  it('doubles from 0.5 s up to 10 s after a dropped stream', () => {
    expect(nextRetry(500)).toEqual({ waitMs: 500, nextDelay: 1000 });
    expect(nextRetry(8000)).toEqual({ waitMs: 8000, nextDelay: 10_000 });
    expect(nextRetry(10_000)).toEqual({ waitMs: 10_000, nextDelay: 10_000 });
  });

  it('waits at least 5 s when refused as busy (429/503) without Retry-After, doubling up to 60 s', () => {
    expect(nextRetry(500, { retryAfter: null }, none)).toEqual({ waitMs: 5000, nextDelay: 10_000 });
    expect(nextRetry(10_000, { retryAfter: null }, none)).toEqual({ waitMs: 10_000, nextDelay: 20_000 });
    expect(nextRetry(40_000, { retryAfter: 'soon' }, none)).toEqual({ waitMs: 40_000, nextDelay: 60_000 });
  });

  it("honours the server's Retry-After within 60 s", () => {
    expect(nextRetry(500, { retryAfter: '3' }, none)).toEqual({ waitMs: 3000, nextDelay: 6000 });
    expect(nextRetry(500, { retryAfter: '3600' }, none)).toEqual({ waitMs: 60_000, nextDelay: 60_000 });
  });

  it('adds up to a quarter of jitter to a busy wait only', () => {
    expect(nextRetry(500, { retryAfter: '4' }, most).waitMs).toBe(4999);
    expect(nextRetry(500, undefined, most).waitMs).toBe(500);
  });
});
