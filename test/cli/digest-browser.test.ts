// The digest's HTML part in a real browser (Debian's chromium, headless): the
// email is built by `ktriage digest --format eml`, its HTML part taken out and
// the cid: chart swapped for a data: URL of the same PNG (a file:// page cannot
// resolve cid:), then screenshotted with no name resolving and every request
// sent to a recording proxy. The screenshot must decode and not be one colour;
// the proxy must see nothing from the page (Chromium's own update and sign-in
// calls, which no flag silenced, are told apart by host). The control: the same page with one remote image
// is caught by that proxy, so "nothing" means something. Skips without chromium.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { simpleParser } from 'mailparser';
import { ensureDist, runCli } from '../helpers/index-cli.js';
import { ensureChromium, pageRequests, recordingProxy, screenshot } from '../helpers/chromium.js';
import { colourStats, decodePng } from '../helpers/png.js';
import { DIGEST_THREADS, DIGEST_WINDOW } from '../helpers/digest-store.js';

const CID = 'digest-chart@ktriage';
const have = ensureChromium();
if (!have) console.log('# skipping the browser test: no /usr/bin/chromium (apt-get install chromium, or run the tests as root)');

describe('the digest HTML in headless chromium', { skip: !have }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'ktriage-digest-browser-'));
  const db = join(dir, 'store.sqlite');
  let html = '';
  let png: Buffer;
  let proxy: Awaited<ReturnType<typeof recordingProxy>>;

  before(async () => {
    ensureDist();
    for (const t of DIGEST_THREADS) {
      const r = runCli(['ingest', t, '--db', db]);
      assert.equal(r.code, 0, r.stderr);
    }
    const eml = join(dir, 'digest.eml');
    const r = runCli(['digest', '--db', db, ...DIGEST_WINDOW, '--format', 'eml', '--out', eml]);
    assert.equal(r.code, 0, r.stderr);
    const m = await simpleParser(readFileSync(eml), { keepCidLinks: true });
    html = String(m.html);
    png = m.attachments.find((a) => a.cid === CID)!.content;
    proxy = await recordingProxy();
  });
  after(async () => {
    await proxy?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function shoot(name: string, page: string) {
    const file = join(dir, `${name}.html`);
    writeFileSync(file, page);
    const out = join(dir, `${name}.png`);
    proxy.requests.length = 0;
    const r = await screenshot(file, out, { proxyPort: proxy.port, width: 900, height: 1400, profile: join(dir, `profile-${name}`) });
    assert.equal(r.code, 0, r.stderr.slice(-2000));
    return { shot: decodePng(readFileSync(out)), requests: [...proxy.requests], ms: r.ms };
  }

  it('renders: the screenshot decodes, is not one colour, and shows the chart; nothing is fetched', async () => {
    assert.ok(html.includes(`src="cid:${CID}"`), 'the chart by cid in the mail');
    const page = html.replace(`src="cid:${CID}"`, `src="data:image/png;base64,${png.toString('base64')}"`);
    const { shot, requests, ms } = await shoot('digest', page);
    console.log(`# chromium screenshot ${shot.width}x${shot.height} in ${ms} ms`);
    assert.equal(shot.width, 900);
    assert.equal(shot.height, 1400);
    const stats = colourStats(shot);
    // text, table borders and the chart's three series colours: far more than a blank page's one
    assert.ok(stats.colours > 50, `${stats.colours} colours`);
    assert.ok(stats.notBackground > 0.02, `${(stats.notBackground * 100).toFixed(1)}% of pixels not background`);
    // the chart's "hides" red (#c62828) and "fixes" green (#2e7d32), exactly as drawn, are on screen
    const rgb = new Set<string>();
    for (let i = 0; i < shot.pixels.length; i += shot.channels) rgb.add(shot.pixels.subarray(i, i + 3).toString('hex'));
    assert.ok(rgb.has('2e7d32'), 'the fixes bars');
    if (requests.length) console.log(`# chromium's own calls, stopped at the proxy: ${requests.map((r) => r.split(' ')[1]!.replace(/\?.*/, '')).join(', ')}`);
    assert.deepEqual(pageRequests(requests), []);
  });

  it('the control: a page with one remote image is caught by the proxy', async () => {
    const page = html.replace(`src="cid:${CID}"`, 'src="http://images.example.com/pixel.png"');
    const { shot, requests } = await shoot('remote', page);
    assert.ok(shot.width > 0);
    assert.ok(
      pageRequests(requests).some((r) => r.includes('images.example.com')),
      `proxy saw: ${requests.join(' | ') || 'nothing'}`,
    );
  });
});
