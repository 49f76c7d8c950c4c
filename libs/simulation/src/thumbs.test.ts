import { demoThumb } from './thumbs';

describe('demoThumb', () => {
  it('is a small SVG data: URL, the same for the same asset', () => {
    const t = demoThumb('7000000007000000001');
    expect(t.startsWith('data:image/svg+xml,%3Csvg%20xmlns%3D%22http%3A%2F%2Fwww.w3.org%2F2000%2Fsvg%22')).toBe(true);
    expect(decodeURIComponent(t.slice('data:image/svg+xml,'.length))).toBe(
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="#d9480f"/><g fill="#fff"><path d="M32 50S12 38 12 25a10 10 0 0 1 20-3 10 10 0 0 1 20 3c0 13-20 25-20 25z"/></g></svg>',
    );
    expect(demoThumb('7000000007000000001')).toBe(t);
  });

  it('varies by asset and stays far below the 1 KiB properties limit', () => {
    const all = Array.from({ length: 32 }, (_, i) => demoThumb(`70000000070000000${String(i).padStart(2, '0')}`));
    expect(new Set(all).size).toBe(32);
    expect(Math.max(...all.map((t) => Buffer.byteLength(t)))).toBeLessThan(512);
  });
});
