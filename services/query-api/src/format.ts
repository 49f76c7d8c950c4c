/** "<hours>h<minutes, two digits>m" of whole seconds, e.g. 0h00m, 3h05m, 51h40m. */
export function durationText(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return `${h}h${m < 10 ? '0' : ''}${m}m`;
}

/** A Postgres bigint (text) as a JSON number; amounts and counts are far below 2^53. */
export const num = (v: string | number | null | undefined): number => (v === null || v === undefined ? 0 : Number(v));
