// A source from what the user typed: a Maildir directory (cur/ or new/), an
// mbox / .mbox.gz / .eml file, or an IMAP folder (imap[s]://user@host:port/folder,
// the password from KTRIAGE_IMAP_PASSWORD or a netrc file, never argv).
// lei-style prefixes (maildir:, mbox:) are accepted.

import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { KtriageError } from '../../core/errors.js';
import { imapPassword, imapSource, parseImapUrl } from './imap.js';
import { maildirSource } from './maildir.js';
import { mboxSource } from './mbox-file.js';
import type { MailSource } from './source.js';

export type { MailSource, SourceItem } from './source.js';

export async function openSource(spec: string): Promise<MailSource> {
  if (/^imaps?:\/\//i.test(spec)) {
    const target = parseImapUrl(spec);
    return imapSource(target, { password: imapPassword(target) });
  }
  const m = /^(maildir|mbox):(.*)$/.exec(spec);
  const path = m ? m[2]! : spec;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) throw new KtriageError('E_USAGE', `${spec}: only files, Maildirs and imap:// folders can be ingested so far`);
  let st;
  try {
    st = await fsp.stat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new KtriageError('E_NOT_FOUND', `${path}: no such file or directory`);
    throw new KtriageError('E_IO', `${path}: cannot read (${code ?? (e as Error).message})`);
  }
  if (st.isDirectory()) {
    const subs = await Promise.all(
      ['cur', 'new'].map((d) =>
        fsp.stat(join(path, d)).then(
          (s) => s.isDirectory(),
          () => false,
        ),
      ),
    );
    if (!subs.some(Boolean)) throw new KtriageError('E_NOT_MAIL', `${path}: a directory, but not a Maildir (no cur/ or new/)`);
    return maildirSource(path);
  }
  if (m?.[1] === 'maildir') throw new KtriageError('E_NOT_MAIL', `${path}: not a Maildir directory`);
  if (!st.isFile()) throw new KtriageError('E_IO', `${path}: not a regular file`);
  return mboxSource(path);
}
