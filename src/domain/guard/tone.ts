// Tone (PRODUCT.md §5 "tone"): lexicons of phrases for aggressive, condescending, blaming and dismissive
// wording in both languages, matched on folded text (case and accents ignored), plus shouting from
// capitals and punctuation. Polite firmness ("nous ne pouvons pas", "payment is due"), enthusiasm
// ("MERCI !!!", "Great news!!") and acronyms (SAV, TVA, ETA) are left alone.

import { localized } from './messages.ts';
import type { Span } from './text.ts';
import { calmerWording } from './tone-rewrite.ts';
import { createFeatureSink, type FeatureSink, pushFeature, type SentenceFeatures, splitSentences, type ToneLexicon, toneFlag, writeSentenceFeatures } from './tone-features.ts';
import { type ToneKind, type ToneModel, toneKind, toneProbability } from './tone-model.ts';
import type { GuardFinding, GuardLang } from './types.ts';

// Phrases are regex sources over folded text (lower-case, no accents, straight apostrophes).
const LEXICON: Record<Exclude<ToneKind, 'tone.shouting'>, string[]> = {
  'tone.aggressive': [
    "ta gueule", "fermez[- ]la", "foutez?[- ]moi la paix", "vous vous foutez de", "tu te fous de", "se foutre de",
    "degagez?", "n'importe quoi", "c'est ridicule", "vous etes ridicule", "stupide", "idiot", "debile", "imbecile",
    "abruti", "incompetent", "nul(?:le)? a chier", "putain", "merde", "bordel", "j'en ai marre", "ras le bol",
    "arretez de nous harceler", "arretez de m'harceler", "arretez de (?:nous|me) (?:harceler|saouler|soûler|embeter)",
    "vous commencez a m'enerver", "ca suffit", "vous etes (?:pas )?serieux", "c'est quoi votre probleme",
    "si vous n'etes pas content", "allez voir ailleurs", "vous allez le regretter", "je vous previens",
    "shut up", "stupid", "idiot", "moron", "ridiculous", "nonsense", "are you kidding me", "what the hell",
    "what the f", "damn it", "crap", "i'm fed up", "i am fed up", "sick of (?:you|this|your)",
    "stop harassing", "stop bothering (?:us|me)", "leave (?:us|me) alone", "how dare you", "pathetic",
    "incompetent", "you people", "get lost", "go elsewhere", "you'll regret", "you will regret", "enough is enough",
    "what is wrong with you", "what's wrong with you",
  ],
  'tone.condescending': [
    "comme je vous l'ai (?:deja )?(?:dit|explique|ecrit)", "comme deja (?:dit|explique|precise)", "c'est pourtant simple",
    "c'est pourtant (?:clair|evident)", "il suffit de (?:lire|savoir lire)", "meme un enfant", "je vais vous (?:le )?reexpliquer",
    "je vais vous l'expliquer (?:lentement|simplement)", "pour la (?:enieme|centieme|derniere) fois", "c'est ecrit noir sur blanc",
    "si vous aviez (?:lu|pris la peine)", "vous savez lire", "ce n'est pas (?:si )?complique", "c'est pas complique",
    "faut-il (?:vraiment )?vous rappeler", "je ne vais pas vous (?:faire un dessin|le repeter)", "comme tout le monde le sait",
    "as i (?:already )?(?:said|told you|explained)",
    "(?:i've|i have|we've|we have) already (?:explained|told you|said) (?:this|it|that)? ?(?:several|many|multiple|two|three|\\d+) times",
    "je vous l'ai (?:deja )?(?:dit|explique|repete|ecrit) (?:plusieurs|deux|trois|\\d+) fois", "as i've (?:already )?(?:said|told you|explained)", "as already (?:stated|explained)",
    "it's not rocket science", "it is not rocket science", "even a child", "let me explain (?:this )?(?:slowly|again|one more time)",
    "for the (?:hundredth|umpteenth|last|third) time", "if you had (?:bothered to )?read", "it's really not that hard",
    "it's not that hard", "it is not that complicated", "it's not that complicated", "do i (?:really )?need to remind you",
    "can you (?:even )?read", "clearly you (?:didn't|did not|don't)", "obviously you (?:didn't|did not|don't)", "surely you (?:know|understand)",
    "as anyone (?:would|could) (?:know|see)", "i'm not going to repeat myself", "i won't repeat myself",
  ],
  'tone.blaming': [
    "c'est (?:de )?votre faute", "c'est (?:de )?ta faute", "par votre faute", "a cause de vous", "vous auriez du(?! (?:recevoir|etre|avoir recu|le recevoir))",
    "vous vous etes trompe", "c'est vous qui (?:avez|vous etes)", "vous n'aviez qu'a", "c'est votre probleme",
    "vous n'avez pas (?:lu|suivi|respecte|fait attention)", "vous avez mal (?:lu|compris|rempli|saisi)", "vous ne savez (?:donc )?pas lire",
    "votre erreur", "l'erreur vient de vous", "you should have(?! (?:received|receive|got|gotten|been|had))", "it's your fault", "it is your fault", "that's your fault",
    "your own fault", "because of you", "you failed to", "you didn't read", "you did not read", "you got it wrong",
    "that's on you", "that is on you", "your mistake", "you messed (?:it )?up", "you clearly didn't", "you never (?:read|listen)",
    "you filled (?:it|the form) (?:in )?wrong", "you entered the wrong", "blame yourself",
  ],
  'tone.dismissive': [
    "(?:ce|c')(?: n'est|est) pas (?:mon|notre) probleme", "pas (?:mon|notre) probleme", "debrouillez-vous", "demerdez-vous",
    "tant pis pour vous", "on n'y peut rien", "c'est comme ca(?=\\s*[.!]|$)", "pas le temps pour (?:ca|vous)",
    "je n'ai pas que ca a faire", "on a d'autres chats a fouetter", "point final", "fin de la discussion", "c'est a prendre ou a laisser",
    "a prendre ou a laisser", "faites ce que vous voulez", "ca ne nous regarde pas", "ce n'est pas notre souci", "on s'en fiche",
    "je m'en fiche", "on s'en fout", "je m'en fous", "whatever(?=\\s*[.!]|$)", "not my problem", "not our problem", "deal with it",
    "too bad for you", "take it or leave it", "i don't care", "we don't care", "figure it out yourself", "sort it out yourself",
    "not our concern", "end of discussion", "end of story", "i have better things to do", "that's life",
    "tough luck",
  ],
};

const COMPILED = Object.entries(LEXICON).map(([kind, phrases]) => ({
  kind: kind as ToneKind,
  re: new RegExp(`(?<![a-z])(?:${phrases.join('|')})(?![a-z])`, 'g'),
}));

// Capital words that are normal: acronyms, brands, promotional words said with enthusiasm.
const ENTHUSIASM =
  /\b(?:merci|bravo|felicitations|joyeux|joyeuse|bon|bonne|anniversaire|super|genial|top|happy|thanks|thank|congrats|congratulations|great|welcome|bienvenue|promo|soldes|offert|offerte|nouveau|nouvelle|new|sale|free|gratuit|gratuite|wow|yay|hooray|youpi|noel|christmas|bonne annee|happy new year|love|amazing|awesome|excellent|parfait|perfect|yes|oui|ouvert|open|reopening|reouverture|flash|vente|black friday|last chance|derniere chance|exclusive|exclusif|limited|edition)\b/;

/** A policy or reproach in capitals, or `?!?!` (a rule: folded n-grams cannot see capitals). */
export function shouting(text: string, folded: string, lang: GuardLang): GuardFinding | undefined {
  // Runs of capitalised words (3+ letters each), at least three words or 15 letters long.
  const runRe = /(?<![\p{L}])(?:[\p{Lu}]{3,}[\s,!?.'’-]+){2,}[\p{Lu}]{2,}(?![\p{L}])/gu;
  for (const m of text.matchAll(runRe)) {
    const words = m[0].match(/[\p{Lu}]+/gu) ?? [];
    const letters = words.reduce((n, w) => n + w.length, 0);
    if (words.length < 3 || letters < 12) continue;
    const runFolded = folded.slice(m.index, m.index + m[0].length);
    if (ENTHUSIASM.test(runFolded)) continue;
    return {
      kind: 'tone.shouting',
      category: 'tone',
      severity: 'warn',
      start: m.index,
      end: m.index + m[0].length,
      ...localized('tone.shouting', lang),
    };
  }
  // A whole message mostly in capitals.
  const letters = text.match(/\p{L}/gu) ?? [];
  const upper = text.match(/\p{Lu}/gu) ?? [];
  if (letters.length >= 20 && upper.length / letters.length > 0.7 && !ENTHUSIASM.test(folded)) {
    return { kind: 'tone.shouting', category: 'tone', severity: 'warn', start: 0, end: text.length, ...localized('tone.shouting', lang) };
  }
  // Repeated ?! with negative wording nearby ("Vous plaisantez ?!?!").
  for (const m of text.matchAll(/[!?]{3,}/g)) {
    const before = folded.slice(Math.max(0, m.index - 60), m.index);
    if (ENTHUSIASM.test(before) || !/[?]/.test(m[0])) continue;
    return { kind: 'tone.shouting', category: 'tone', severity: 'warn', start: m.index, end: m.index + m[0].length, ...localized('tone.shouting', lang) };
  }
  return undefined;
}

/** Lexicon phrases found in the folded text, negated ones left out. */
interface LexiconHit {
  kind: ToneKind;
  start: number;
  end: number;
}

function lexiconHits(folded: string): LexiconHit[] {
  const out: LexiconHit[] = [];
  for (const { kind, re } of COMPILED) {
    re.lastIndex = 0;
    for (const m of folded.matchAll(re)) {
      // Negated phrases are reassurance, not blame: "ce n'est pas votre faute", "not your fault".
      const before = folded.slice(Math.max(0, m.index - 14), m.index);
      if (/(?:\bpas |\bnot |n't |\bnever |\bjamais )$/.test(before) || /(?:n'est pas|isn't|is not)\s*$/.test(before)) continue;
      if (kind === 'tone.blaming' && /^(?:it's|it is|c'est)/.test(m[0]) && /(?:pas|not)\s*$/.test(before)) continue;
      out.push({ kind, start: m.index, end: m.index + m[0].length });
    }
  }
  return out;
}

export interface ToneSentence {
  span: Span;
  features: SentenceFeatures;
  /** The kind of a lexicon phrase in the sentence, if any. */
  lexiconKind?: ToneKind;
  /** The whole message read as one unit (after its sentences). */
  whole?: boolean;
}

interface Unit extends Span {
  whole?: true;
}

/** The units the model reads: each sentence, then the whole message when it has several. */
function unitsOf(text: string): Unit[] {
  const spans: Unit[] = splitSentences(text);
  // The whole message is read as one more unit: sarcasm and reproach often span two sentences
  // ("6 heures et déjà prête, rien que ça 😂 On en reparle quand tu sauras faire un créneau.").
  if (spans.length >= 2) spans.push({ start: spans[0]!.start, end: spans[spans.length - 1]!.end, whole: true });
  return spans;
}

/** A unit's features (the lexicon's phrases and the whole-message mark are features too) into `sink`; its lexicon kind. */
function writeUnit(text: string, folded: string, unit: Unit, hits: readonly LexiconHit[], lexicon: ToneLexicon | undefined, sink: FeatureSink): ToneKind | undefined {
  sink.count = 0;
  writeSentenceFeatures(text, folded, unit, lexicon, sink);
  if (unit.whole) pushFeature(sink, WHOLE_FLAG, 1);
  let lexiconKind: ToneKind | undefined;
  for (const h of hits) {
    if (h.start < unit.end && unit.start < h.end) {
      lexiconKind ??= h.kind;
      pushFeature(sink, LEXICON_FLAGS[h.kind], 1);
    }
  }
  return lexiconKind;
}

/** The units of a message with the features the model reads, kept (training). */
export function toneSentences(text: string, folded: string, lexicon?: ToneLexicon): ToneSentence[] {
  const hits = lexiconHits(folded);
  const sink = createFeatureSink(256);
  return unitsOf(text).map((unit) => {
    const lexiconKind = writeUnit(text, folded, unit, hits, lexicon, sink);
    const features = { index: Array.from(sink.index.subarray(0, sink.count)), value: Array.from(sink.value.subarray(0, sink.count)) };
    return { span: { start: unit.start, end: unit.end }, features, ...(lexiconKind === undefined ? {} : { lexiconKind }), ...(unit.whole ? { whole: true } : {}) };
  });
}

const SINK = createFeatureSink();

const WHOLE_FLAG = toneFlag('whole message');
const SHORT_UNIT_PROBABILITY = 0.8;

function wordCount(text: string, span: Span): number {
  return text.slice(span.start, span.end).match(/[\p{L}\d]+/gu)?.length ?? 0;
}
const LEXICON_FLAGS = Object.fromEntries(
  (['tone.aggressive', 'tone.condescending', 'tone.blaming', 'tone.dismissive', 'tone.shouting'] as const).map((k) => [k, toneFlag(`lexicon:${k}`)]),
) as Record<ToneKind, number>;


/**
 * Tone findings. With the trained model: each sentence the model scores at or above its threshold is a
 * warning, named by the kind model (or by a lexicon phrase it holds). Without it (a caller that did not
 * load the model): the phrase lexicon and the capitals rule. Every tone finding is a warning: an agent
 * should stop and look.
 */
export function checkTone(text: string, folded: string, lang: GuardLang, model?: ToneModel): GuardFinding[] {
  const out: GuardFinding[] = [];
  const finding = (kind: ToneKind, start: number, end: number): GuardFinding => {
    const calmer = calmerWording(text.slice(start, end), lang);
    return { kind, category: 'tone', severity: 'warn', start, end, ...localized(kind, lang), ...(calmer === undefined ? {} : { suggestion: calmer }) };
  };
  if (model) {
    const hits = lexiconHits(folded);
    for (const unit of unitsOf(text)) {
      const lexiconKind = writeUnit(text, folded, unit, hits, model.lexicon, SINK);
      const p = toneProbability(model, SINK);
      if (p < model.threshold) continue;
      // Two or three words say too little for n-grams to judge ("Pas encore", "Not yet"): a short
      // unit is flagged on a lexicon phrase ("Whatever.", "Tant pis pour vous.") or a strong score only.
      if (!lexiconKind && p < SHORT_UNIT_PROBABILITY && wordCount(text, unit) <= 3) continue;
      // The whole-message unit comes last: it adds a finding only when no sentence was flagged alone.
      if (unit.whole && out.length > 0) continue;
      out.push(finding(lexiconKind ?? toneKind(model, SINK), unit.start, unit.end));
    }
  } else {
    // No model: the phrase lexicon and the capitals rule (the model reads capitals as features and
    // did as well without the rule in cross-validation, with fewer false alarms on safety notices).
    for (const h of lexiconHits(folded)) out.push(finding(h.kind, h.start, h.end));
    const shout = shouting(text, folded, lang);
    if (shout && !out.some((f) => f.start < shout.end && shout.start < f.end)) out.push(finding('tone.shouting', shout.start, shout.end));
  }
  return out.sort((a, b) => a.start - b.start);
}
