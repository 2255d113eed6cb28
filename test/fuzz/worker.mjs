// One fuzz worker: reads inputs (files) one at a time and runs the whole of
// `ktriage thread` on each (read, parse, thread, extract, judge, render every
// format). It answers per input: ok, refused (a KtriageError: a clean one-line
// refusal) or crash (anything else). The parent times it and kills it on a hang.
import { parentPort } from 'node:worker_threads';

const root = new URL('../../dist/', import.meta.url);
const { loadMessages } = await import(new URL('cli/load.js', root).href);
const { triageMessages } = await import(new URL('analyze/triage.js', root).href);
const { renderText, renderMarkdown, toJson } = await import(new URL('report/render.js', root).href);
const { KtriageError } = await import(new URL('core/errors.js', root).href);

parentPort.on('message', async ({ id, path }) => {
  const t = performance.now();
  try {
    const messages = await loadMessages(path);
    for (const blind of [false, true]) {
      const v = triageMessages(messages, { blind });
      renderText(v);
      renderMarkdown(v);
      JSON.stringify(toJson(v));
    }
    parentPort.postMessage({ id, result: 'ok', ms: performance.now() - t, heap: process.memoryUsage().heapUsed });
  } catch (e) {
    const refused = e instanceof KtriageError;
    parentPort.postMessage({
      id,
      result: refused ? 'refused' : 'crash',
      error: refused ? e.message : String(e?.stack ?? e).slice(0, 600),
      ms: performance.now() - t,
      heap: process.memoryUsage().heapUsed,
    });
  }
});
parentPort.postMessage({ ready: true });
