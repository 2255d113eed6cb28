// A source from what the user typed: a Maildir directory (cur/ or new/), a
// public-inbox v2 inbox (a directory holding git/N.git, or one epoch N.git),
// a public-inbox HTTP inbox (http(s)://host/list/), an IMAP folder
// (imap[s]://user@host:port/folder, the password from KTRIAGE_IMAP_PASSWORD or
// a netrc file, never argv), or an mbox / .mbox.gz / .eml file. lei-style
// prefixes (maildir:, mbox:) are accepted.

import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { KtriageError } from '../../core/errors.js';
import { imapPassword, imapSource, parseImapUrl } from './imap.js';
import { maildirSource } from './maildir.js';
import { mboxSource } from './mbox-file.js';
import { publicInboxHttpSource } from './public-inbox-http.js';
import { findInboxV2, publicInboxV2Source } from './public-inbox-v2.js';
import type { MailSource } from './source.js';

export type { MailSource, SourceItem } from './source.js';

export async function openSource(spec: string): Promise<MailSource> {
  if (/^imaps?:\/\//i.test(spec)) {
    const target = parseImapUrl(spec);
    return imapSource(target, { password: imapPassword(target) });
  }
  const m = /^(maildir|mbox):(.*)$/.exec(spec);
  const path = m ? m[2]! : spec;
  if (!m && /^https?:\/\//i.test(path)) return publicInboxHttpSource(path);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path))
    throw new KtriageError('E_USAGE', `${spec}: only files and Maildirs can be ingested so far, and public-inbox inboxes (a v2 directory, or http(s)://host/list/) and imap:// folders`);
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
    if (subs.some(Boolean)) return maildirSource(path);
    const inbox = m ? undefined : await findInboxV2(path);
    if (inbox) return publicInboxV2Source(inbox, path);
    throw new KtriageError('E_NOT_MAIL', `${path}: a directory, but not a Maildir (no cur/ or new/)${m ? '' : ' nor a public-inbox v2 inbox (no git/N.git)'}`);
  }
  if (m?.[1] === 'maildir') throw new KtriageError('E_NOT_MAIL', `${path}: not a Maildir directory`);
  if (!st.isFile()) throw new KtriageError('E_IO', `${path}: not a regular file`);
  return mboxSource(path);
}
