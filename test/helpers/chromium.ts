// Debian's chromium, headless, for the tests that look at rendered HTML: a
// screenshot of a local file with every host name unresolvable and every
// request sent to a proxy the test runs on loopback, which records what was
// asked and answers nothing, so a page that would fetch anything is caught.
// Installed with apt-get when missing and root.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server, type AddressInfo } from 'node:net';

export const CHROMIUM = '/usr/bin/chromium';

export function ensureChromium(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) return false;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { env, stdio: 'ignore' });
  spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { env, stdio: 'ignore' });
  return existsSync(CHROMIUM);
}

/** A loopback "proxy" that records the first line of each request it gets and closes the connection. */
export async function recordingProxy(): Promise<{ port: number; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server: Server = createServer((sock) => {
    sock.once('data', (d) => {
      requests.push(d.toString('latin1').split('\r\n')[0]!);
      sock.destroy();
    });
    sock.on('error', () => {});
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  return { port: (server.address() as AddressInfo).port, requests, close: () => new Promise((res) => server.close(() => res())) };
}

/**
 * Chromium's own service calls, which its flags do not all silence (156
 * headless still asks the component updater and sign-in, whatever the page):
 * they reach the recording proxy and no further. Anything else is the page's.
 */
const BROWSER_OWN = /^(?:CONNECT |[A-Z]+ http:\/\/)(?:update\.googleapis\.com|accounts\.google\.com|clients\d?\.google\.com)[:/]/;

export function pageRequests(requests: string[]): string[] {
  return requests.filter((r) => !BROWSER_OWN.test(r));
}

export interface Screenshot {
  code: number | null;
  stderr: string;
  ms: number;
}

/** `chromium --headless --screenshot` of a local file, offline: no name resolves, every request goes to `proxyPort`. */
export function screenshot(file: string, out: string, o: { proxyPort: number; width: number; height: number; profile: string }): Promise<Screenshot> {
  const t0 = Date.now();
  const args = [
    '--headless',
    '--no-sandbox', // root, and no user namespaces in a container
    '--disable-gpu',
    '--hide-scrollbars',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-extensions',
    // Chromium's own traffic (network time, updates, sign-in, safe browsing) off: the proxy should hear only the page
    '--disable-default-apps',
    '--disable-component-extensions-with-background-pages',
    '--no-service-autorun',
    '--disable-field-trial-config',
    '--disable-domain-reliability',
    '--disable-client-side-phishing-detection',
    '--no-pings',
    '--disable-breakpad',
    '--metrics-recording-only',
    '--disable-features=NetworkTimeServiceQuerying,OptimizationHints,Translate,MediaRouter,AutofillServerCommunication,CertificateTransparencyComponentUpdater',
    `--user-data-dir=${o.profile}`,
    `--proxy-server=http://127.0.0.1:${o.proxyPort}`,
    '--proxy-bypass-list=<-loopback>',
    '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
    `--window-size=${o.width},${o.height}`,
    `--screenshot=${out}`,
    `file://${file}`,
  ];
  return new Promise((resolve) => {
    const c = spawn(CHROMIUM, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => c.kill('SIGKILL'), 60_000);
    c.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, ms: Date.now() - t0 });
    });
  });
}
