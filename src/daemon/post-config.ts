// The posting policy as the watch config file states it (the watch helper embeds
// postConfigSchema under its `post` key). Every field has a default that posts
// nothing: without `smtp` and a list set to `post: true`, replies only reach the outbox.

import { z } from 'zod';

export const POSTABLE_VERDICTS = ['hides', 'partial', 'breaks', 'fixes'] as const;

const smtpSchema = z
  .object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(25),
    /** implicit TLS (port 465); otherwise STARTTLS when the server offers it */
    secure: z.boolean().default(false),
    user: z.string().min(1).optional(),
    /** the environment variable holding the password: never the password itself in a file */
    passwordEnv: z.string().min(1).optional(),
  })
  .strict();

export const postConfigSchema = z
  .object({
    smtp: smtpSchema.optional(),
    /** the From of every reply, e.g. "ktriage <ktriage@example.org>" */
    from: z.string().min(3).default('ktriage <ktriage@localhost.invalid>'),
    /** verdicts below this confidence reach the outbox only */
    minConfidence: z.number().min(0).max(1).default(0.8),
    /** which verdicts may be sent (unclear, no-failure and no-patch never are) */
    verdicts: z.array(z.enum(POSTABLE_VERDICTS)).default([...POSTABLE_VERDICTS]),
    /** minutes after the patch arrived before its reply goes out: a human may answer first, a quick v2 supersedes it */
    embargoMinutes: z.number().min(0).default(60),
    rate: z
      .object({
        perListPerHour: z.number().int().min(0).default(4),
        perHour: z.number().int().min(0).default(20),
      })
      .strict()
      .default({}),
    /** keyed by List-Id (angle brackets optional); a list not named here is muted */
    lists: z.record(z.string(), z.object({ post: z.boolean().default(false) }).strict()).default({}),
    /** post again when a patch already answered gets a different verdict later */
    repostOnChange: z.boolean().default(false),
    /** answer stable backports too ("[PATCH 6.1 …]", "commit … upstream."): their change was reviewed upstream, and a review series repeats it once per tree */
    stableBackports: z.boolean().default(false),
    /** retries of a deferred (4xx) or unreachable SMTP: doubling from baseSeconds up to maxSeconds, given up after giveUpHours (Postfix's queue lifetime is 5 days) */
    retry: z
      .object({
        baseSeconds: z.number().min(1).default(60),
        maxSeconds: z.number().min(1).default(3600),
        giveUpHours: z.number().min(0).default(120),
      })
      .strict()
      .default({}),
  })
  .strict();

export type PostConfigInput = z.input<typeof postConfigSchema>;
export type PostConfig = z.output<typeof postConfigSchema>;

/** The config with its defaults; throws zod's error on a bad value (the config loader turns it into lines). */
export function parsePostConfig(input: unknown): PostConfig {
  return postConfigSchema.parse(input ?? {});
}

/** A List-Id as the config keys it: lower case, without angle brackets. */
export function listKey(list: string): string {
  return list.trim().replace(/^<|>$/g, '').toLowerCase();
}

export function listAllowed(config: PostConfig, list: string | undefined): boolean {
  if (!list) return false;
  const key = listKey(list);
  return Object.entries(config.lists).some(([name, l]) => listKey(name) === key && l.post);
}
