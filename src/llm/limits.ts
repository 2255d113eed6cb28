// Every bound of the optional LLM step, in one place, each with its reason.
// (Bounds on untrusted mail live in src/core/limits.ts; these bound what we
// send to a model server and how long we wait for it.) A few of them can be
// overridden per config (LlmConfig: timeoutMs, maxAttempts, backoffBaseMs,
// maxInputTokens), which the tests use to stay fast; the rest are fixed.

export const LLM_LIMITS = {
  /** One HTTP request, from connect to the last body byte. A local 7B model
   *  answers a ~6k-token prompt in 5-20 s; a hosted one in a few seconds. Past
   *  30 s something is stuck, and `ktriage thread` must not hang on it. */
  requestTimeoutMs: 30_000,

  /** Attempts per call, the first one included. Three retries ride out a
   *  rate-limit window or a server restart; more only delays the rules' answer,
   *  which is always available. */
  maxAttempts: 4,

  /** Backoff before retry n (n = 1, 2, ...) is base * 2^(n-1), capped, with
   *  "equal jitter" (half fixed, half random) so parallel ktriage runs (the
   *  daemon) do not retry in lockstep (AWS architecture blog, "Exponential
   *  Backoff And Jitter", 2015). */
  backoffBaseMs: 500,
  backoffCapMs: 8_000,

  /** Longest Retry-After (RFC 9110 §10.2.3: delay-seconds or an HTTP-date) we
   *  honour. A server asking for more is not going to answer this run in time:
   *  we give up rather than retry earlier than it asked. */
  maxRetryAfterMs: 20_000,

  /** Extra wait added on top of Retry-After, as a share of it (never less than
   *  asked), so clients released together do not arrive together. */
  retryAfterJitter: 0.1,

  /** Wall-clock budget of one call across all attempts and waits: the verdict
   *  must come back even when every attempt is slow. */
  maxTotalMs: 90_000,

  /** Approximate input budget in tokens for system + user message. Tokens are
   *  estimated as characters / 4 (OpenAI's rule of thumb for English; code and
   *  mail headers run a little denser, so the estimate errs on the safe side
   *  with the margin below). 8k fits every current chat model's context with
   *  room for the answer, and keeps a local model's prompt time in seconds. */
  maxInputTokens: 8_000,
  charsPerToken: 4,

  /** Tokens the model may write: the JSON answer is a verdict, a confidence,
   *  a few paragraphs of prose and a list of ids. */
  maxOutputTokens: 1_000,

  /** Excerpts below this many tokens of room are dropped, not cut: a 20-line
   *  stub of a review is more misleading than its absence. */
  minExcerptTokens: 120,

  /** One mail excerpt (a review message, a failure context) before the budget
   *  even looks at it; the patch gets more because its hunks are the subject. */
  maxExcerptChars: 4_000,
  maxPatchExcerptChars: 16_000,

  /** Lines of context shown around a failure's cited line: ld names the
   *  function on the line before ("in function `x':"), robot reports give the
   *  config and compiler on the lines after. */
  failureContextBefore: 2,
  failureContextAfter: 4,

  /** Evidence items given ids (E1..En) and the length of each text. Engine
   *  evidence is a handful of lines per patch; this only bounds a pathological
   *  thread. */
  maxEvidenceItems: 60,
  maxEvidenceChars: 500,

  /** Excerpts considered at all (after that the budget would drop them anyway). */
  maxExcerpts: 200,

  /** Largest response body read from the server; a chat completion with 1k
   *  output tokens is a few KB. Anything bigger is not an answer to us. */
  maxResponseBytes: 1024 * 1024,

  /** Bytes of an error response kept for the message (HTML error pages). */
  maxErrorBodyChars: 500,

  /** Length of the model's summary we accept (schema bound), and of its cite list. */
  maxSummaryChars: 8_000,
  maxCites: 64,
} as const;
