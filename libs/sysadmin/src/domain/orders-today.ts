import { businessDate } from '@coffee/orders';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A restaurant's order counter for one business date, with the restaurant's time zone. */
export interface DailyCounter {
  businessDate: string;
  lastNumber: number;
  timeZone: string;
}

/**
 * The business dates that can be "today" somewhere at `now`: every time zone
 * is within a day of UTC (UTC−12 to UTC+14), so each restaurant's local date
 * is the UTC date of yesterday, today or tomorrow.
 */
export function candidateBusinessDates(now: Date): string[] {
  return [-1, 0, 1].map((days) => new Date(now.getTime() + days * DAY_MS).toISOString().slice(0, 10));
}

/**
 * Orders placed today across the platform: each restaurant's daily counter
 * for its own local date (its last daily number is how many orders it took
 * that day), ignoring the counters of a neighbouring date.
 */
export function ordersToday(counters: readonly DailyCounter[], now: Date): number {
  const todayIn = new Map<string, string>();
  let total = 0;
  for (const counter of counters) {
    let today = todayIn.get(counter.timeZone);
    if (today === undefined) {
      today = businessDate(now, counter.timeZone);
      todayIn.set(counter.timeZone, today);
    }
    if (counter.businessDate === today) total += counter.lastNumber;
  }
  return total;
}
