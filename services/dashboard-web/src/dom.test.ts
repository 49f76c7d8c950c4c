import { loadableThumb } from './dom';

describe('loadableThumb (what the CSP img-src lets the page load)', () => {
  it('loads data: images, https and paths of this origin', () => {
    expect(loadableThumb('data:image/svg+xml,%3Csvg%3E')).toBe(true);
    expect(loadableThumb('https://cdn.example/t/1.jpg')).toBe(true);
    expect(loadableThumb('/assets/demo/1.svg')).toBe(true);
    expect(loadableThumb('a1.png')).toBe(true);
  });

  it('shows the initials at once for what would be blocked or is no image', () => {
    for (const src of ['', 'http://cdn.example/1.jpg', '//cdn.example/1.jpg', 'javascript:alert(1)', 'data:text/html,x', 'ftp://x/1.png'])
      expect([src, loadableThumb(src)]).toEqual([src, false]);
  });
});
