// A real HTTP server speaking the OpenAI chat-completions protocol, started in
// the test process on 127.0.0.1:0 and scripted per request (status, headers,
// body, delay). It records every request (headers, parsed JSON body, whether
// the client aborted it) so tests can count requests and check their shape.
// Also: a small sample thread (messages + the rules' verdict) for the LLM tests.

import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Message, Verdict } from '../../src/core/types.js';
import { makeMessage } from './unit.js';

export interface Step {
  status?: number;
  headers?: Record<string, string>;
  /** raw body (string) or JSON body (object); default: a completion of `content` */
  body?: string | object;
  /** the model's message content; an object is JSON-encoded */
  content?: string | object;
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  /** wait this long before answering */
  delayMs?: number;
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  raw: string;
  /** the parsed JSON body (undefined when not JSON) */
  json: any;
  receivedAt: number;
  /** the client went away before the answer was complete */
  aborted: boolean;
}

export type Script = Step[] | ((req: RecordedRequest, n: number) => Step);

export interface LlmServer {
  /** base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** An OpenAI chat.completion envelope around `content`. */
export function completion(content: string | object, usage = { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 }): object {
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'test-model',
    choices: [{ index: 0, message: { role: 'assistant', content: typeof content === 'string' ? content : JSON.stringify(content) }, finish_reason: 'stop' }],
    usage,
  };
}

export function startLlmServer(script: Script): Promise<LlmServer> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        json = undefined;
      }
      const rec: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, raw, json, receivedAt: Date.now(), aborted: false };
      const n = requests.length;
      requests.push(rec);
      const step: Step = Array.isArray(script) ? (script[Math.min(n, script.length - 1)] ?? {}) : script(rec, n);
      let timer: NodeJS.Timeout | undefined;
      res.on('close', () => {
        if (!res.writableFinished) {
          rec.aborted = true;
          if (timer) clearTimeout(timer);
        }
      });
      const send = () => {
        if (res.destroyed) return;
        const status = step.status ?? 200;
        const body = step.body ?? (status === 200 ? completion(step.content ?? '{}', step.usage) : { error: { message: `scripted ${status}` } });
        const text = typeof body === 'string' ? body : JSON.stringify(body);
        res.writeHead(status, { 'content-type': 'application/json', ...step.headers });
        res.end(text);
      };
      if (step.delayMs) timer = setTimeout(send, step.delayMs);
      else send();
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        requests,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}

// ---- a sample thread ---------------------------------------------------------

export const REPORT_ID = '<202403010900.robot@intel.com>';
export const PATCH_ID = '<20240301-zs-smp@example.org>';
export const REVIEW_ID = '<ZeRk-review@armlinux.org.uk>';

const REPORT_BODY = `Hi Matt,

kernel test robot noticed the following build errors:

arm-linux-gnueabi-ld: drivers/block/zram/zsmalloc.o: in function \`zs_unmap_object':
zsmalloc.c:(.text+0x1a4): undefined reference to \`flush_tlb_kernel_range'

config: arm-randconfig-r002 (CONFIG_SMP=n, CONFIG_MMU=n)
`;

const PATCH_BODY = `flush_tlb_kernel_range() is not available on !SMP ARM, so only use the
page table mapping on SMP.

Signed-off-by: Matt Sealey <matt@example.org>
---
 drivers/block/zram/zsmalloc.c | 2 +-
 1 file changed, 1 insertion(+), 1 deletion(-)

diff --git a/drivers/block/zram/zsmalloc.c b/drivers/block/zram/zsmalloc.c
--- a/drivers/block/zram/zsmalloc.c
+++ b/drivers/block/zram/zsmalloc.c
@@ -75,7 +75,7 @@
-#if defined(CONFIG_ARM)
+#if defined(CONFIG_ARM) && defined(CONFIG_SMP)
 #define USE_PGTABLE_MAPPING
 #endif
`;

const REVIEW_BODY = `On Fri, Mar 01, 2024, Matt Sealey wrote:
> -#if defined(CONFIG_ARM)
> +#if defined(CONFIG_ARM) && defined(CONFIG_SMP)

NAK. This papers over the problem: the code still calls
flush_tlb_kernel_range() on other configurations, and neither will I accept
a patch to add an export.

-- 
RMK's Patch system
`;

/** Messages of the sample thread, plus any extra replies (e.g. an injection attempt). */
export function sampleMessages(extra: Message[] = []): Message[] {
  return [
    makeMessage({
      messageId: REPORT_ID,
      subject: '[linux-next] arm: undefined reference to flush_tlb_kernel_range',
      from: { name: 'kernel test robot', address: 'lkp@intel.com' },
      date: '2024-03-01T09:00:00Z',
      body: REPORT_BODY,
    }),
    makeMessage({
      messageId: PATCH_ID,
      inReplyTo: REPORT_ID,
      references: [REPORT_ID],
      subject: '[PATCH] zsmalloc: only use page table mapping on SMP',
      from: { name: 'Matt Sealey', address: 'matt@example.org' },
      date: '2024-03-01T10:00:00Z',
      body: PATCH_BODY,
    }),
    makeMessage({
      messageId: REVIEW_ID,
      inReplyTo: PATCH_ID,
      references: [REPORT_ID, PATCH_ID],
      subject: 'Re: [PATCH] zsmalloc: only use page table mapping on SMP',
      from: { name: 'Russell King', address: 'rmk@armlinux.org.uk' },
      date: '2024-03-01T11:00:00Z',
      body: REVIEW_BODY,
    }),
    ...extra,
  ];
}

/** A reply with the given body, in the sample thread. */
export function reply(id: string, body: string, date = '2024-03-01T12:00:00Z', from = { name: 'Mallory', address: 'mallory@example.net' }): Message {
  return makeMessage({ messageId: id, inReplyTo: PATCH_ID, references: [REPORT_ID, PATCH_ID], subject: 'Re: [PATCH] zsmalloc: only use page table mapping on SMP', from, date, body });
}

/** The rules' verdict on the sample thread, as decideThread would shape it: hides. */
export function sampleVerdict(): Verdict {
  const failure = {
    kind: 'undefined-reference' as const,
    symbol: 'flush_tlb_kernel_range',
    inFunction: 'zs_unmap_object',
    message: "undefined reference to `flush_tlb_kernel_range'",
    tool: 'ld',
    arch: 'arm',
    configs: [
      { name: 'SMP', value: 'n' as const },
      { name: 'MMU', value: 'n' as const },
    ],
    configName: 'arm-randconfig-r002',
    fromRobot: true,
    cite: { messageId: REPORT_ID, line: 6 },
    quoteDepth: 0,
  };
  const evidence = [
    { source: 'mail' as const, cite: `${REPORT_ID}:L6`, text: "undefined reference to `flush_tlb_kernel_range'" },
    { source: 'mail' as const, cite: `${REVIEW_ID}:L5`, text: 'Russell King: "NAK. This papers over the problem"' },
    { source: 'mail' as const, cite: `${PATCH_ID}:L14`, text: 'drivers/block/zram/zsmalloc.c: `#if defined(CONFIG_ARM)` becomes `#if defined(CONFIG_ARM) && defined(CONFIG_SMP)`' },
    { source: 'index' as const, cite: 'tree:arch/arm/include/asm/tlbflush.h:612', text: 'flush_tlb_kernel_range declared for ARM; no definition under CONFIG_SMP=n && CONFIG_MMU=n' },
  ];
  return {
    verdict: 'hides',
    confidence: 0.9,
    summary: 'hides: the guard is narrowed so !SMP stops building the code',
    evidence,
    patches: [
      {
        messageId: PATCH_ID,
        subject: '[PATCH] zsmalloc: only use page table mapping on SMP',
        author: 'Matt Sealey',
        verdict: 'hides',
        confidence: 0.9,
        introduces: [],
        files: ['drivers/block/zram/zsmalloc.c'],
        effects: [
          {
            kind: 'guard-narrowed',
            detail: 'drivers/block/zram/zsmalloc.c: `#if defined(CONFIG_ARM)` becomes `#if defined(CONFIG_ARM) && defined(CONFIG_SMP)`',
            file: 'drivers/block/zram/zsmalloc.c',
            symbols: [],
            configs: ['SMP=y'],
            cite: { messageId: PATCH_ID, line: 14 },
          },
        ],
        evidence,
        reason: 'Russell King refuses it; the failing configuration (CONFIG_SMP=n) simply stops compiling the code',
        answers: [0],
      },
    ],
    failures: [failure],
    messages: 3,
    subject: '[linux-next] arm: undefined reference to flush_tlb_kernel_range',
    rootId: REPORT_ID,
    series: [],
    refs: [],
  };
}
