// How kernel review says what it thinks of a patch: a table a reader can scan.
// Each entry is one phrase shape, the stance it takes, and an example that a
// test checks (test/unit/review-phrases.test.ts), with a near miss where one
// is easy to fall into. Entries are matched on whole sentences of the sender's
// own prose (wrapped lines joined, quotes, diffs and code left out), so a
// phrase split over two lines still matches.
//
// Stances (what the sentence does to the patch it answers):
//   object    : the patch should not go in as it is ("NAK", "not the right approach")
//   hides     : an explicit judgement that it only hides the problem ("papers over")
//   counter   : a different fix is proposed ("could we instead…", "why not just…")
//   stopgap   : presented as temporary or partial ("for now", "workaround")
//   withdraw  : the sender drops it ("please drop it", "scratch that")
//   supersede : something else replaces it (a v2, a fix already applied)
//   concede   : the sender agrees with criticism ("you're right", "fair enough")
//   accept    : it goes in or is endorsed ("Applied", "looks good", "folded it in")
//   tested    : someone built or ran it and the problem is gone
//   persists  : someone applied it and still sees the failure

import type { SignalKind } from '../../core/types.js';

export type Stance = 'object' | 'hides' | 'counter' | 'stopgap' | 'withdraw' | 'supersede' | 'concede' | 'accept' | 'tested' | 'persists';

export interface ReviewPhrase {
  name: string;
  kind: SignalKind;
  stance: Stance;
  re: RegExp;
  example: string;
  /** a sentence that looks alike and must not match */
  nearMiss?: string;
  /** questions: 'never' (default: a question is not a verdict), 'also', 'only' */
  question?: 'never' | 'also' | 'only';
  /** skipped when a negation comes right before the match ("not a hack") */
  negatable?: boolean;
}

const P = (name: string, kind: SignalKind, stance: Stance, re: RegExp, example: string, more: Partial<ReviewPhrase> = {}): ReviewPhrase => ({ name, kind, stance, re, example, ...more });

export const REVIEW_PHRASES: ReviewPhrase[] = [
  // ---- refusals ------------------------------------------------------------
  P('nak', 'nak', 'object', /\b(?:NAK|NACK|Nak|Nack)(?:ed)?\b(?!-)|\bself-?nak\b/, 'NAK, this is not how it should be done.', { nearMiss: 'The NAK-free path is fine.' }),
  P(
    'will-not-accept',
    'nak',
    'object',
    /\b(?:will|would|shall) _?(?:not|never)_? (?:accept|take|merge|apply)\b|\b(?:won't|wouldn't|can't|cannot) (?:accept|take|merge|apply) (?:this|that|it|such|a patch|these)\b|\bnot (?:going to|gonna) (?:accept|take|apply|merge)\b|\bI(?:'m| am) not (?:taking|applying|accepting|merging)\b/i,
    "I won't take this as it is.",
    { nearMiss: 'If nobody objects I will take it.' },
  ),
  P(
    'do-not-export',
    'refuse-export',
    'object',
    /\b(?:please )?(?:do not|don't|never) (?:re-?)?export\b|\b(?:won't|will _?not_?|not going to|never going to|refuse to|no need to)\b[^.]{1,30}\b(?:re-?)?export\w*\b|\b(?:should(?:n't| not)|must(?:n't| not)) (?:be )?(?:re-?)?exported\b|\b(?:re-?)?export(?:ing|ed)?\b[^.]{1,40}\b(?:NAK|nack|not acceptable|no way)\b|\bshould(?:n't| not) (?:be )?(?:using|used by|called (?:by|from)) (?:drivers|modules)\b|\b(?:drivers|modules) (?:should(?:n't| not)|must(?:n't| not)) (?:call|use)\b|\b(?:drivers|modules) (?:have|has) no business (?:calling|using)\b/i,
    'Please do not export this, it is an internal detail.',
    { nearMiss: 'It calls a function that is not exported.' },
  ),
  P(
    'not-right-approach',
    'objection',
    'object',
    /\bnot (?:the|a) (?:right|correct|proper|good|best|preferred) (?:approach|way|direction|place|thing to do)\b|\b(?:is not|isn't|doesn't look like) (?:the )?(?:correct|right|proper) (?:approach|way)\b|\b(?:the )?wrong (?:approach|direction|way to (?:fix|go|solve|handle))\b/i,
    "Thank you for the patch, but I think it's not the right approach.",
    { nearMiss: 'Is this the right approach?' },
  ),
  P(
    'too-drastic',
    'objection',
    'object',
    /\b(?:a (?:bit|little) |rather |way |too |quite )(?:drastic|heavy[- ]handed|big a hammer|much|extreme|excessive)\b|\boverkill\b|\b(?:too|very) (?:big|large|blunt) (?:a )?hammer\b|\bthrow(?:s|ing)? (?:out )?the baby out\b/i,
    'That sounds a bit drastic to me.',
    { nearMiss: 'It is not too much work.', negatable: true },
  ),
  P(
    'disagree',
    'objection',
    'object',
    /\bI (?:really )?(?:don't|do not) (?:like|think (?:this|that|it) is (?:right|correct|a good idea|the way|needed|necessary|acceptable))\b|\bI(?:'m| am) not (?:convinced|happy with|a fan of|sure (?:this|that) is (?:right|correct|the right))\b|\bI(?:'d| would) rather not\b|\b(?:this|that) (?:is|looks|seems) (?:wrong|incorrect|bogus|broken|not acceptable|unacceptable)\b|\bnot acceptable\b/i,
    "I'm not convinced this is correct.",
    { nearMiss: 'I think this is right.' },
  ),
  P(
    'dont-think-right',
    'objection',
    'object',
    /\bI (?:don't|do not) think (?:this|that|it)(?: patch| change)? is (?:the |a )?(?:right|correct|proper|good|best)\b|\b(?:this|that) (?:isn't|is not|doesn't look|does not look) (?:right|correct)\b/i,
    "I don't think this is the right fix.",
    { nearMiss: 'I think this is the right fix.' },
  ),
  P('will-break', 'objection', 'object', /\b(?:this|that|it|your patch|the patch) (?:will|would|does) (?:break|regress)\b/i, 'This will break the boards that boot without a device tree.', {
    nearMiss: 'Will this break anything?',
  }),
  P(
    'please-dont',
    'objection',
    'object',
    /^\s*(?:please,? )?(?:don't|do not) do (?:this|that)\b|\bplease (?:don't|do not) (?:do|add|use|paper|hide|silence|disable|make)\b/i,
    "Please don't add another config option for this.",
    { nearMiss: "Don't worry about the whitespace." },
  ),
  P(
    'should-not-do-that',
    'objection',
    'object',
    /\babuse of\b|\bnot how (?:it|this|that|we) should (?:be )?(?:done|fixed|handled|work)\b|\bshould not be doing (?:that|this)\b|\bdefinitely should not\b|\b(?:we|you) (?:really )?(?:should(?:n't| not)|must(?:n't| not)) (?:do|paper|hide|silence|work around) (?:this|that|it)\b/i,
    'We should not do that just to make the build pass.',
    { nearMiss: 'You should do that in a follow-up.' },
  ),

  // ---- "it only hides it" --------------------------------------------------
  P('papers-over', 'papers-over', 'hides', /\bpaper(?:s|ed|ing)? over\b/i, 'This papers over the real problem.'),
  P(
    'only-hides',
    'papers-over',
    'hides',
    /\b(?:just|only|merely|simply)\s+\*?(?:hid(?:es|ing)|hides?|mask(?:s|ing)?|silenc(?:es|ing)|shut(?:s|ting)? up|mov(?:es|ing) the problem)\*?\b/i,
    'Your patch just hides the misuse of a non-exported function.',
    { nearMiss: 'This only makes sense on arm64.' },
  ),
  P(
    'hides-the-problem',
    'papers-over',
    'hides',
    /\b\*?hid(?:e|es|ing)\*?\s+(?:the|this|that|an?)\s+(?:\w+\s+){0,2}(?:misuse|problem|issue|bug|error|real)\b|\binstead of hiding\b|\bhide (?:it|the (?:problem|issue|bug))\b|\bsweep(?:s|ing)? (?:it|the problem) under the (?:rug|carpet)\b/i,
    'It hides the real problem.',
  ),
  P(
    'wrong-fix',
    'papers-over',
    'hides',
    /\b(?:wrong|bogus) (?:fix|solution)\b|\b(?:is|looks like) (?:a |an )?(?:broken|incomplete|partial) (?:fix|solution)\b|\bnot (?:the|a) (?:right|correct|real|proper|complete|good) (?:fix|solution)\b|\b(?:is not|isn't|doesn't look like) (?:the )?(?:correct|right|proper|real) (?:fix|solution)\b/i,
    'That is the wrong fix.',
    { nearMiss: 'The broken fix from last week is reverted.' },
  ),
  P(
    'fixes-symptom',
    'papers-over',
    'hides',
    /\b(?:fix|fixes|silence[sd]?|treat(?:s|ing)?) the (?:warning|symptom)s? (?:but )?(?:not|rather than|instead of) the (?:issue|problem|bug|cause)\b|\bwithout (?:actually )?fixing (?:anything|the (?:issue|problem|bug|cause))\b|\bturns? a (?:build|compile|link)[- ]time (?:error|failure) into a run[- ]?time\b|\bcounterproductive\b|\bdoesn't (?:really )?(?:solve|fix|address) the (?:root|real|underlying|actual) (?:problem|cause|issue)\b|\bsymptom(?:s)?\b[^.]{1,30}\b(?:not|rather than) the cause\b/i,
    'This fixes the warning but not the problem.',
  ),

  // ---- counter-proposals ---------------------------------------------------
  P(
    'instead',
    'counter',
    'counter',
    /\b(?:could|can|couldn't|shouldn't|should|would) (?:we|you|it|this|they) (?:not )?(?:just |rather |simply )?instead\b|\binstead,? (?:please|you should|we should|I(?:'d| would) (?:prefer|suggest))\b|\bI(?:'d| would) (?:much )?(?:rather|prefer) (?:you|we|to|that|if|see|have|keep|fix|do|not)\b/i,
    'Could we instead make the driver non-modular?',
    { question: 'also' },
  ),
  P(
    'why-not',
    'counter',
    'counter',
    /\bwhy not (?:just )?(?:use|make|add|move|fix|select|depend|have|do)\b|\bwhat(?:'s| is) wrong with\b|\bwhy (?:don't|can't) (?:we|you) (?:just )?(?:use|make|add|move|fix|select|have)\b|\bcan't (?:you|we) just\b|\bwouldn't it be (?:better|simpler|easier|cleaner)\b|\bhow about (?:just )?(?:using|making|adding|moving|fixing|doing|something like)\b|\bdid you try (?:what|the|using|to)\b/i,
    "What's wrong with adding a stub for the missing function?",
    { question: 'also' },
  ),
  P(
    'better-fix',
    'counter',
    'counter',
    /\b(?:a|the) (?:better|simpler|cleaner|usual|preferred) (?:fix|solution|approach|way)(?: here)? (?:is|would be|will be|seems|might be)\b|\bit(?:'d| would) be (?:better|cleaner|preferable|nicer) to\b|\bthe (?:right|proper|usual|correct) (?:thing|way) (?:is|would be|to do is) to\b|\busually we (?:just )?(?:try to|add|implement|provide|fix)\b|\bI (?:think|believe) (?:we|you) (?:need|should|want) to (?:move|fix|add|make|use)\b|\bbasically we need to\b/i,
    'A better fix would be to move the function out of the #ifdef.',
    { question: 'also' },
  ),
  P(
    'root-cause',
    'root-cause-elsewhere',
    'counter',
    /\broot[- ]cause\b|\b(?:the|a) (?:proper|correct|right|real|full|complete) (?:fix|solution)(?: here)? (?:is|would be|will be|seems|might be|should be|(?:will|would) be (?:wanted|needed|required))\b|\bfix(?:ed)? (?:this |it )?properly\b|\bshould (?:be )?(?:fixed|done|solved) (?:properly|in the\b|elsewhere|at the source)\b|\bthe fix for this should be\b|\bthe (?:real|actual|underlying) (?:problem|issue|bug) is\b/i,
    'The real problem is that the driver calls an arch internal.',
    { nearMiss: 'The problem is fixed now.' },
  ),

  // ---- stop-gaps -------------------------------------------------------------
  P(
    'workaround',
    'workaround',
    'stopgap',
    /\b(?:is|as|be|being|was|an?|this|that|simple|simpler|easier|temporary|ugly|crude|hacky)\s+(?:an?\s+)?(?:easier\s+|simpler\s+|simple\s+|temporary\s+|quick\s+|ugly\s+|alternative\s+)?(?:work-?around|hack|stop-?gap|band-?aid|kludge|bodge)\b|\bhack(?:ish|y)? (?:fix|patch)\b|\bwork(?:s|ing)? around (?:it|this|that|the (?:problem|issue|bug|warning|error))\b/i,
    'This is a workaround at best.',
    { nearMiss: 'select ARM_ERRATA_WORKAROUNDS', negatable: true },
  ),
  P(
    'silence-warning',
    'workaround',
    'stopgap',
    /\bto (?:shut up|silence|quiet(?:en)?|suppress|get rid of) (?:the|this|a|that) (?:\w+ )?warning\b|\bmark(?:ing)? (?:it |this )?(?:as )?BROKEN\b/i,
    'Mark the variable unused to silence the warning.',
  ),
  P(
    'for-now',
    'temporary',
    'stopgap',
    /\b(?:for now|for the (?:moment|time being)|temporar(?:y|ily)|in the meantime|as an interim|interim (?:fix|solution)|short[- ]term|compromise (?:solution|fix))\b|\buntil\b[^.]{1,60}\b(?:is|are|gets?|has been) (?:fixed|posted|merged|resolved|sorted out)\b|\b(?:long|longer)[- ]term,? (?:we|the|I|it|a)\b/i,
    "Let's take this for now; long term we should add a tracepoint.",
    { nearMiss: 'This has been broken for a long time.' },
  ),

  // ---- the sender drops it or replaces it -------------------------------------
  P(
    'please-drop',
    'withdrawn',
    'withdraw',
    /\bplease (?:drop|ignore|disregard|revert)\b|\bscratch that\b|\bdrop (?:this|my|the) (?:patch|one|series)\b|\bI withdraw\b|\bwithdraw(?:n|ing)? (?:this|the|my) (?:patch|series)\b|\balternative workaround\b|\b(?:this|my) patch (?:is|was) (?:not correct|wrong|bogus|not needed|unnecessary)\b/i,
    'Please drop this patch.',
  ),
  P(
    'next-version',
    'superseded',
    'supersede',
    /\b(?:I(?:'ll| will)|let me|I am going to|I'm going to|will) (?:send|post|spin|prepare|submit|do) (?:a |an )?(?:v\d+|new version|updated version|updated patch|new patch|revised|respin|proper|better|different)\b|\bsuperseded\b|\breplaced by\b[^.]{1,40}\b(?:v\d+|patch|series)\b|\bv\d+ (?:is )?(?:coming|on the way|sent|posted)\b/i,
    "I'll send a v2 with the stub instead.",
    { nearMiss: 'Send a v2 if you like.' },
  ),
  P(
    'already-fixed',
    'superseded',
    'supersede',
    /\b(?:already|has been|was) (?:fixed|addressed|solved|handled|resolved) (?:by|in|upstream|in linux-next)\b|\ba (?:fix|patch) (?:for this )?(?:is )?already (?:queued|applied|in|merged|posted|pending)\b|\balready (?:have|had) a (?:fix|patch)\b|\bduplicate of\b|\b(?:is|are) (?:not|no longer) (?:needed|necessary)\b|\b(?:this|the) (?:patch|change) is unnecessary\b/i,
    'This was already fixed by commit 0123456789ab ("foo: bar").',
    { nearMiss: 'The warning is fixed by this patch.' },
  ),

  // ---- the author agrees with criticism ----------------------------------------
  P(
    'concede',
    'concede',
    'concede',
    /\b(?:you(?:'re| are) (?:right|correct)|fair enough|good point|agreed|makes sense,? I(?:'ll| will)|I see your point|point taken|I stand corrected|I(?:'ll| will) (?:try to )?(?:take a (?:closer )?look at|look (?:at|into)|check|try|rework|redo) (?:the )?(?:alternative|other|your|that|this|a better|a proper|it)\b)/i,
    "You're right, I'll rework it.",
    { nearMiss: 'Is that right?' },
  ),

  // ---- acceptance --------------------------------------------------------------
  P(
    'applied',
    'applied',
    'accept',
    /^\s*(?:thanks?[,!.]?\s*)?(?:now\s+)?(?:applied|queued|picked up|merged|pushed)\b(?! cleanly)|\b(?:I(?:'ve| have)?|we(?:'ve| have)?|has been|have been|it's|it is|Thanks,?)\s+(?:now\s+|also\s+|just\s+)?(?:applied|queued(?: up)?|picked(?: it)? up|merged|pushed)\b(?! (?:cleanly|on top))|^\s*(?:the )?(?:patch|patches|series|both|all)(?: \w+)? (?:is |are |has been |have been |was |were )?(?:now )?(?:applied|queued|picked up|merged)\b|\b(?:reviewed|tested|thanks),? and (?:applied|queued)\b/i,
    'Applied to mm-hotfixes, thanks.',
    { nearMiss: 'I have 4 small fixes for the patch series merged in the for-next branch.' },
  ),
  P(
    'added-to-tree',
    'applied',
    'accept',
    /\b(?:I(?:'ve| have)?|we(?:'ve| have)?)\s+(?:just\s+|now\s+)?added (?:the patch|this|it|them|the series|these|your patch)\b[^.]{1,80}\bto (?:my|the|our)\b|^\s*(?:thanks[,!.]?\s*)?(?:added|taken|took it)(?: to| into| in)?\b[^.?]{1,60}(?:thanks|tree|branch|queue)|^\s*(?:\w+(?: up)?,? )?and (?:applied|queued|pushed)\b|^\s*will (?:apply|queue|take)\b/i,
    'Fixed up and applied, thanks.',
    { nearMiss: 'I added a printk to see what happens.' },
  ),
  P('applied-bot', 'applied', 'accept', /\b(?:patch|series) was applied to\b|\bhas been (?:added|applied) to the\b[^.]{1,40}\b(?:tree|branch)\b/i, 'This patch was applied to netdev/net.git (main).'),
  P(
    'will-apply',
    'applied',
    'accept',
    /\bI (?:will|'ll|have|'ve|can) (?:apply|applied|queue|queued|take|taken|pick|picked) (?:it|this|that|the (?:fix|patch|series)|them|these|up)\b|\bI(?:'ll| will) apply that\b|\b(?:folded|squashed|merged) (?:it |this |that |the fix )?into\b|\bI(?:'ll| will| can) (?:squash|fold)(?: (?:it|this|them|these|that))?(?: in)?\s*[.!]?$|\bqueued (?:it )?for (?:stable|-?rc|\d|next|fixes)\b|\btaken (?:it |this )?(?:via|through|into) (?:my|the)\b/i,
    'I folded it into the original commit.',
    { nearMiss: 'Can you take it through your tree?' },
  ),
  P(
    'looks-good',
    'acked',
    'accept',
    /\b(?:looks|seems) (?:good|fine|correct|right|sane|reasonable)(?: to me)?\b|\bLGTM\b|\b(?:these|those|the|both)(?: \w+)? changes? (?:are|is|look|looks|seem|seems) (?:correct|good|fine|right|sane)\b|\bmakes sense to me\b|\bthis (?:works|is fine|is correct|is the right (?:fix|thing))\b|\bI(?:'m| am) (?:fine|ok|okay|happy) with (?:this|it|that)\b|\bfor (?:this|the) patch:?$/i,
    'Looks good to me.',
    { nearMiss: 'It looks good on paper but fails on arm.', negatable: true },
  ),
  P('right-fix', 'acked', 'accept', /\b(?:this|that|it)(?:'s| is) (?:indeed )?(?:the )?(?:right|correct|proper) (?:fix|thing|approach|solution|way)\b/i, "Thanks, that's the right fix.", {
    nearMiss: "I'm not sure that's the right fix.",
    negatable: true,
  }),
  P(
    'ack-word',
    'acked',
    'accept',
    /^\s*(?:thanks[,!.]?\s*)?(?:ack(?:ed)?|reviewed)(?: from me| for (?:this|the (?:series|patch)))?\s*[.!]?$|\b(?:feel free to|you (?:can|may)|please) add(?: my)? (?:Acked|Reviewed|Tested)-by\b/i,
    'Feel free to add my Acked-by.',
    { nearMiss: 'We ack the interrupt first.' },
  ),
  P(
    'will-include',
    'applied',
    'accept',
    /\bI(?:'ll| will| can) (?:include|carry|add|send|forward) (?:it|this|that|the (?:fix|patch))\b[^.]{1,40}\b(?:tree|pull|upstream|Linus|queue|fixes|next|branch|merge)/i,
    "I'll include it in my next pull request to Linus.",
    { nearMiss: 'I will include a Fixes tag next time.' },
  ),
  P('thanks-for-fixing', 'acked', 'accept', /\bthanks? (?:you )?for (?:fixing|the fix\b|catching|cleaning)|\bmy (?:mistake|bad|fault)\b|\b(?:good|nice) catch\b/i, 'Thanks for fixing this.'),

  // ---- testers -------------------------------------------------------------------
  P(
    'fixes-it',
    'tested',
    'tested',
    /\b(?:this|that|it|the patch|your patch|the fix|the change) (?:fixes|fixed|cures|cured|resolves|resolved|solves|solved) (?:it|the (?:build|issue|problem|error|warning|failure)|this|my|things|the build (?:error|failure) for me)\b|\bcures it\b/i,
    'Yes, this fixes the build on my board.',
    { nearMiss: 'Does this fix the build on arm?', negatable: true },
  ),
  P(
    'builds-now',
    'tested',
    'tested',
    /\b(?:build (?:error|failure|issue|problem|warning)s? (?:has|have|is|are) (?:gone|fixed)|(?:it )?builds? (?:fine|again|cleanly|ok|okay) (?:now|with (?:this|it|the patch))|and it built fine|works for me|(?:this|that) fixes (?:the )?(?:build|issue|problem)(?: for me| on my end)?|no longer (?:fails|see (?:the|this) (?:error|warning)))\b/i,
    'It works for me.',
    { nearMiss: 'It works for me too on x86, but arm still fails to link.' },
  ),

  // ---- the failure persists ----------------------------------------------------------
  P(
    'confirmed',
    'tested',
    'tested',
    /\b(?:I can |I )?confirm(?:ed|s)?\b[^.]{1,30}\b(?:fix(?:es|ed)?|gone|resolv\w+|works|builds)\b|\b(?:build|compile)[- ]tested\b|\bworks (?:fine|for me|here|now)\b/i,
    'Confirmed, the warning is gone with it.',
    { nearMiss: 'Can you confirm it fixes the build?', negatable: true },
  ),
  P(
    'still-fails',
    'still-failing',
    'persists',
    /\bstill (?:fails|failing|breaks|broken|see(?:s|ing)? (?:the|this|a) (?:same )?(?:error|failure|warning|link error|build error)|get(?:s|ting)? (?:the|this|a) (?:same )?(?:error|failure|warning))\b|\b(?:does not|doesn't) fix (?:it|the (?:build|error|failure)) (?:for|on|with)\b|\bwith (?:this|your|the) patch (?:applied,? )?I (?:still )?(?:get|see)\b/i,
    'With this applied arm64 still fails to link.',
    { nearMiss: 'It still builds fine.' },
  ),
];

/** The stance a signal kind takes when no table entry names it (trailers). */
export const STANCE_OF_KIND: Record<SignalKind, Stance> = {
  nak: 'object',
  'refuse-export': 'object',
  objection: 'object',
  'papers-over': 'hides',
  counter: 'counter',
  'root-cause-elsewhere': 'counter',
  workaround: 'stopgap',
  temporary: 'stopgap',
  withdrawn: 'withdraw',
  superseded: 'supersede',
  concede: 'concede',
  'still-failing': 'persists',
  acked: 'accept',
  reviewed: 'accept',
  tested: 'tested',
  applied: 'accept',
};

export const NEGATIVE_STANCES: ReadonlySet<Stance> = new Set(['object', 'hides', 'counter', 'stopgap', 'withdraw', 'supersede', 'concede', 'persists']);
