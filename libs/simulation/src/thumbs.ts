/**
 * The demo's asset thumbs: small SVG pictures as data: URLs, so the demo page loads every thumb
 * without a network or a CDN (the page's CSP allows data: images). One of eight colours and four
 * shapes, chosen by the asset id, so that an asset keeps its picture. Well under the 1 KiB limit
 * of an event's properties (about 300 bytes).
 */
const COLOURS = ['#5b4bdb', '#d9480f', '#2b8a3e', '#1971c2', '#c2255c', '#e67700', '#0c8599', '#6741d9'];
const SHAPES = [
  // star
  '<path d="M32 12l6 13 14 2-10 10 2 14-12-7-12 7 2-14-10-10 14-2z"/>',
  // heart
  '<path d="M32 50S12 38 12 25a10 10 0 0 1 20-3 10 10 0 0 1 20 3c0 13-20 25-20 25z"/>',
  // music note
  '<path d="M26 16h20v8H32v20a8 8 0 1 1-6-8z"/>',
  // disc
  '<circle cx="32" cy="32" r="18"/><circle cx="32" cy="32" r="6" fill="#0003"/>',
];

export function demoThumb(assetId: string): string {
  // The last digits vary between assets; a bigint-sized id never passes through a number whole.
  const n = Number(assetId.slice(-6)) || 0;
  const colour = COLOURS[n % COLOURS.length];
  const shape = SHAPES[(n + Math.floor(n / COLOURS.length)) % SHAPES.length]; // neighbours differ in both
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="${colour}"/><g fill="#fff">${shape}</g></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}
