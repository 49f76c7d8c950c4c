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

/** An asset's thumb, or its initials when the image is missing or fails to load. */
export function thumb(src: string, name: string, initialsText: string, size = 40): HTMLElement {
  const fallback = h(
    'span',
    { class: 'thumb thumb-fallback', 'aria-hidden': 'true', style: `width:${size}px;height:${size}px` },
    initialsText,
  );
  if (!src) return fallback;
  const img = h('img', { class: 'thumb', src, alt: name, width: size, height: size, loading: 'lazy', decoding: 'async' });
  img.addEventListener('error', () => img.replaceWith(fallback), { once: true });
  return img;
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
