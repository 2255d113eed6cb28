// The fixture threads and the window the digest tests fill a store with (the
// same as test/cli/digest.test.ts's golden digest).

import { join } from 'node:path';

const FIX = join(import.meta.dirname, '..', 'fixtures');

export const DIGEST_THREADS = [
  'series/linux-next-merge-failure.mbox',
  'series/robot-breaks-member.mbox',
  'series/robot-breaks-v2-answers.mbox',
  'reference/fix-closes-report-in-thread.mbox',
  'reference/fix-credits-robot.mbox',
  'store/corvid-adc.mbox',
].map((t) => join(FIX, t));

export const DIGEST_WINDOW = ['--since', '2023-12-01', '--until', '2024-07-01'];
