import { addDays } from '@fan/events';

/** Monday (business calendar) of the week that contains `date` ('YYYY-MM-DD'). */
export function weekStart(date: string): string {
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(date, -((dow + 6) % 7));
}
