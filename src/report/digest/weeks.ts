// ISO 8601 weeks, as the digest names its windows ("2026-W49": Monday 00:00 UTC to the next Monday).

import { KtriageError } from '../../core/errors.js';
import type { DigestWindow } from './model.js';

const DAY = 86_400_000;

/** ISO 8601 week "2026-W49": Monday 00:00 UTC to the next Monday. */
export function isoWeek(spec: string): DigestWindow {
  const m = /^(\d{4})-?W(\d{1,2})$/i.exec(spec.trim());
  if (!m) throw new KtriageError('E_USAGE', `--week must look like 2026-W49 (got "${spec}")`);
  const year = Number(m[1]);
  const week = Number(m[2]);
  // week 1 holds the year's first Thursday: its Monday is Jan 4th's Monday
  const jan4 = Date.UTC(year, 0, 4);
  const jan4Dow = (new Date(jan4).getUTCDay() + 6) % 7;
  const start = jan4 - jan4Dow * DAY + (week - 1) * 7 * DAY;
  const weeksInYear = isoWeekOf(new Date(Date.UTC(year, 11, 28))).week;
  if (week < 1 || week > weeksInYear) throw new KtriageError('E_USAGE', `--week: ${year} has weeks 1 to ${weeksInYear} (got ${week})`);
  return { start: new Date(start), end: new Date(start + 7 * DAY), label: `${year}-W${String(week).padStart(2, '0')}` };
}

export function isoWeekOf(d: Date): { year: number; week: number } {
  const t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const dow = (new Date(t).getUTCDay() + 6) % 7;
  const thursday = t - dow * DAY + 3 * DAY;
  const year = new Date(thursday).getUTCFullYear();
  return { year, week: 1 + Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY)) };
}
