type Child = Node | string | number | null | undefined | false;

/** A small element builder: tag, attributes (strings; `on*` functions become listeners), children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | ((e: Event) => void) | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(typeof c === 'number' ? String(c) : c);
  return el;
}

/**
 * Whether the page may load a thumb's address under its CSP (img-src 'self' data: https:): a data:
 * image, https, or a path on this origin. Anything else (http:, another scheme, a protocol-relative
 * //host) would be blocked with a console error, so it gets the initials at once.
 */
export function loadableThumb(src: string): boolean {
  if (/^(?:data:image\/|https:\/\/)/i.test(src)) return true;
  return src !== '' && !src.startsWith('//') && !/^[a-z][a-z\d+.-]*:/i.test(src);
}

/**
 * An asset's thumb over its initials: the initials show until the image has loaded and stay when
 * it fails, so a missing or broken thumb never shows the browser's broken-image icon. Decorative
 * (the name is next to it), hence alt="".
 */
export function thumb(src: string, initialsText: string, size = 40): HTMLElement {
  // The initials are drawn by CSS from data-initials, so they are not part of the row's text.
  const box = h('span', {
    class: 'thumb thumb-fallback',
    'aria-hidden': 'true',
    'data-initials': initialsText,
    style: `width:${size}px;height:${size}px`,
  });
  if (!loadableThumb(src)) return box;
  const img = h('img', { class: 'thumb-img', src, alt: '', width: size, height: size, decoding: 'async' });
  img.addEventListener('load', () => box.classList.add('thumb-loaded'), { once: true });
  img.addEventListener('error', () => img.remove(), { once: true });
  box.append(img);
  return box;
}

/** A progress bar with its label and value, readable by screen readers. */
export function progress(label: string, value: number, text: string): HTMLElement {
  const id = `p-${Math.random().toString(36).slice(2)}`;
  return h(
    'div',
    { class: 'progress-row' },
    h('span', { id, class: 'progress-label' }, label),
    h(
      'div',
      { class: 'progress', role: 'progressbar', 'aria-labelledby': id, 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': value },
      h('div', { class: 'progress-fill', style: `width:${Math.max(0, Math.min(100, value))}%` }),
    ),
    h('span', { class: 'progress-value' }, text),
  );
}

/** A figure: big number with its label. */
export const stat = (label: string, value: string, testId?: string): HTMLElement =>
  h('div', { class: 'stat' }, h('div', { class: 'stat-value', 'data-value': testId }, value), h('div', { class: 'stat-label' }, label));
