import { parseSse } from './sse';

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
});
