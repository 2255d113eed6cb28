// When each mainline kernel was released: a kernel fact, kept as a table so
// that a tree named "6.1.192" can be placed in time next to a thread's date
// (the dates of Linus's release announcements, as kernel.org lists them).
// A stable or distribution update (6.1.192) keeps its mainline's code base,
// so it is dated by its mainline release.

export const MAINLINE_RELEASES: readonly { version: string; date: string }[] = [
  { version: '4.19', date: '2018-10-22' },
  { version: '4.20', date: '2018-12-23' },
  { version: '5.0', date: '2019-03-03' },
  { version: '5.1', date: '2019-05-05' },
  { version: '5.2', date: '2019-07-07' },
  { version: '5.3', date: '2019-09-15' },
  { version: '5.4', date: '2019-11-24' },
  { version: '5.5', date: '2020-01-26' },
  { version: '5.6', date: '2020-03-29' },
  { version: '5.7', date: '2020-05-31' },
  { version: '5.8', date: '2020-08-02' },
  { version: '5.9', date: '2020-10-11' },
  { version: '5.10', date: '2020-12-13' },
  { version: '5.11', date: '2021-02-14' },
  { version: '5.12', date: '2021-04-25' },
  { version: '5.13', date: '2021-06-27' },
  { version: '5.14', date: '2021-08-29' },
  { version: '5.15', date: '2021-10-31' },
  { version: '5.16', date: '2022-01-09' },
  { version: '5.17', date: '2022-03-20' },
  { version: '5.18', date: '2022-05-22' },
  { version: '5.19', date: '2022-07-31' },
  { version: '6.0', date: '2022-10-02' },
  { version: '6.1', date: '2022-12-11' },
  { version: '6.2', date: '2023-02-19' },
  { version: '6.3', date: '2023-04-23' },
  { version: '6.4', date: '2023-06-25' },
  { version: '6.5', date: '2023-08-27' },
  { version: '6.6', date: '2023-10-29' },
  { version: '6.7', date: '2024-01-07' },
  { version: '6.8', date: '2024-03-10' },
  { version: '6.9', date: '2024-05-12' },
  { version: '6.10', date: '2024-07-14' },
  { version: '6.11', date: '2024-09-15' },
  { version: '6.12', date: '2024-11-17' },
  { version: '6.13', date: '2025-01-19' },
  { version: '6.14', date: '2025-03-24' },
  { version: '6.15', date: '2025-05-25' },
  { version: '6.16', date: '2025-07-27' },
  { version: '6.17', date: '2025-09-28' },
  { version: '6.18', date: '2025-11-30' },
];

const BY_VERSION = new Map(MAINLINE_RELEASES.map((r) => [r.version, r.date]));

/** "6.1.192", "6.12.0-rc3", "v6.8", "6.1-subset" to its mainline "6.1" / "6.12" / "6.8". */
export function mainlineOf(version: string): string | undefined {
  const m = /^v?(\d+)\.(\d+)(?![\d])/.exec(version.trim());
  return m ? `${m[1]}.${m[2]}` : undefined;
}

const DAY = 24 * 3600 * 1000;

/**
 * The date a tree's code base was released, from its version: the mainline
 * release for a release or stable update; for a release candidate (X.Y-rcN)
 * the week it was tagged, counted back from X.Y (rc1 comes two weeks after
 * X.Y-1, one rc a week: Documentation/process/2.Process.rst), an estimate.
 */
export function releaseDateOf(version: string): { date: string; estimated: boolean } | undefined {
  const main = mainlineOf(version);
  if (!main) return undefined;
  const rc = /-rc(\d+)/.exec(version)?.[1];
  if (rc) {
    const [maj, min] = main.split('.').map(Number) as [number, number];
    const prev = MAINLINE_RELEASES[MAINLINE_RELEASES.findIndex((r) => r.version === main) - 1] ?? (min > 0 ? { version: `${maj}.${min - 1}`, date: BY_VERSION.get(`${maj}.${min - 1}`) } : undefined);
    if (prev?.date) return { date: isoDay(Date.parse(prev.date) + (7 + 7 * Number(rc)) * DAY), estimated: true };
    return undefined;
  }
  const date = BY_VERSION.get(main);
  return date ? { date, estimated: false } : undefined;
}

export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
