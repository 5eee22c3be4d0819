// A calmer wording for a flagged tone span, in the message's language, where one can be built: the
// reproach, sarcasm or blame formula is replaced by a neutral one ("comme je vous l'ai déjà dit" →
// "pour rappel", "it's your fault" → "something went wrong"), rhetorical jabs and dismissive closers are
// dropped, capitals and stacked !?! are calmed. When nothing known is there, no suggestion: the agent
// rewrites the sentence (a made-up paraphrase would put words in their mouth).

import type { GuardLang } from './types.ts';

// Patterns run on the original text, case-insensitive; `[eé]` etc. tolerate missing accents.
type Rule = [RegExp, string];
const A = "['’]";
const FR: Rule[] = [
  [new RegExp(`comme je (?:vous |te )?l${A}ai (?:d[ée]j[àa] )?(?:dit|expliqu[ée]|[ée]crit|pr[ée]cis[ée]|r[ée]p[ée]t[ée])(?: (?:plusieurs|deux|trois|\\d+) fois)?\\s*,?\\s*`, 'giu'), 'pour rappel, '],
  [new RegExp(`je (?:vous |te )?l${A}ai (?:d[ée]j[àa] )?(?:dit|expliqu[ée]|[ée]crit|r[ée]p[ée]t[ée]) (?:plusieurs|deux|trois|\\d+) fois\\s*[:,.]?\\s*`, 'giu'), 'pour rappel, '],
  [/pour la (?:[ée]ni[èe]me|centi[èe]me|derni[èe]re|troisi[èe]me) fois\s*,?\s*/giu, 'pour rappel, '],
  [/comme (?:d[ée]j[àa] )?indiqu[ée] dans mon (?:pr[ée]c[ée]dent|dernier) message\s*,?\s*/giu, 'pour rappel, '],
  [/si vous aviez (?:pris la peine de |bien )?(?:lu|regard[ée]|v[ée]rifi[ée])\s+([^,.!?]+),\s*vous/giu, 'comme indiqué dans $1, vous'],
  [new RegExp(`c${A}est (?:pourtant |quand m[êe]me )?(?:simple|clair|[ée]vident|pas compliqu[ée]|[ée]crit noir sur blanc)\\s*[!.]*`, 'giu'), ''],
  [/vous savez lire\s*\??\s*/giu, ''],
  [/vous (?:l['’]avez|avez) (?:au moins |seulement |m[êe]me )?lu\s*\??\s*/giu, ''],
  [new RegExp(`c${A}est (?:de )?(?:votre|ta) faute`, 'giu'), 'il y a eu un souci'],
  [/(?:par votre faute|[àa] cause de vous)/giu, 'suite à ce souci'],
  [/vous auriez d[ûu]/giu, 'la prochaine fois, pensez à'],
  [/vous n['’]aviez qu['’][àa]/giu, 'la prochaine fois, pensez à'],
  [new RegExp(`(?:ce n${A}est |c${A}est )?pas (?:mon|notre) (?:probl[èe]me|souci)`, 'giu'), 'nous allons voir ce que nous pouvons faire'],
  [/d[ée]brouillez-vous|d[ée]merdez-vous/giu, 'voici ce que nous pouvons vous proposer'],
  [/tant pis pour vous/giu, 'nous en sommes désolés'],
  [/(?:point final|fin de la discussion|c['’]est [àa] prendre ou [àa] laisser)\s*[.!]*/giu, ''],
  [/\b(?:franchement|s[ée]rieusement|visiblement|manifestement)\s*,?\s*/giu, ''],
];
const EN: Rule[] = [
  [/as i(?: have|'ve)? (?:already )?(?:said|told you|explained|mentioned|stated)(?: (?:twice|several times|many times|\d+ times|before))?\s*,?\s*/giu, 'just to recap, '],
  [/as (?:per|stated in) my (?:last|previous) (?:message|email|text)\s*,?\s*/giu, 'just to recap, '],
  [/for the (?:hundredth|umpteenth|last|third) time\s*,?\s*/giu, 'just to recap, '],
  [/(?:had you|if you had) (?:bothered to |actually |taken the time to )?(?:read|checked|looked at)\s+([^,.!?]+),\s*you/giu, 'as explained in $1, you'],
  [/(?:did|do) you (?:even |actually )?(?:read|check|look at)[^?]*\?\s*/giu, ''],
  [/it(?:'s| is) (?:not rocket science|really not that hard|not that hard|not that complicated|very simple)\s*[.!]*/giu, ''],
  [/it(?:'s| is) (?:all )?your (?:own )?fault/giu, 'something went wrong'],
  [/that(?:'s| is) (?:on you|your (?:own )?fault|your (?:own )?mistake)/giu, 'something went wrong'],
  [/because of you/giu, 'because of this issue'],
  [/you should have/giu, 'next time, please'],
  [/not (?:my|our) (?:problem|concern)/giu, 'let us see what we can do'],
  [/(?:deal with it|sort it out yourself|figure it out yourself)/giu, 'here is what we can offer'],
  [/(?:too bad for you|tough luck)/giu, 'we are sorry about this'],
  [/(?:end of (?:discussion|story)|take it or leave it|whatever)\s*[.!]*/giu, ''],
  [/\b(?:seriously|honestly|frankly|clearly|obviously)\s*,?\s*/giu, ''],
];

const COMMON_SHORT = new Set(
  'the and you your not are for all our can will this that with have was now then here what when why who pay paid stop read call do did does no yes on in at to is it of be we us me my so if or as an by up out les des une vous pas est pour que qui nous mon ton son sur par avec sans plus tout tous elle il ils ce cet une un le la de du au aux et ou mais donc car ne se sa ses mes tes lui eux moi toi oui non'.split(' '),
);

function sentenceCase(s: string): string {
  const lower = s.toLowerCase();
  return lower.replace(/(^\s*|[.!?]\s+)(\p{L})/gu, (_m, lead: string, c: string) => lead + c.toUpperCase());
}

/** A calmer version of `span`, or undefined when none can be built. */
export function calmerWording(span: string, lang: GuardLang): string | undefined {
  let out = span;
  for (const [re, replacement] of lang === 'fr' ? FR : EN) out = out.replace(re, replacement);
  // Shouting: a span mostly in capitals is put in sentence case (acronyms of ≤ 4 letters kept).
  const letters = out.match(/\p{L}/gu) ?? [];
  const upper = out.match(/\p{Lu}/gu) ?? [];
  if (letters.length >= 12 && upper.length / letters.length > 0.6) {
    // Short capitalised words that are not common words stay acronyms (SAV, TVA, SMS, ETA).
    const acronyms = new Set((out.match(/\b\p{Lu}{2,4}\b/gu) ?? []).filter((w) => !COMMON_SHORT.has(w.toLowerCase())));
    out = sentenceCase(out).replace(/\b\p{L}{2,4}\b/gu, (w) => (acronyms.has(w.toUpperCase()) ? w.toUpperCase() : w));
  } else {
    // Several words of 4+ capitals in a calm sentence: lower them.
    out = out.replace(/\b\p{Lu}{4,}\b/gu, (w) => w.toLowerCase());
  }
  out = out
    .replace(/[!?]{2,}|!+/g, (m) => (m.includes('?') ? '?' : '.'))
    .replace(/\s{2,}/g, ' ')
    .replace(/\s+([,.])/g, '$1')
    .replace(/^[\s,.;:]+/, '')
    .replace(/,\s*([.?])/g, '$1')
    .trim();
  if (out.length === 0) return undefined;
  out = out[0]!.toUpperCase() + out.slice(1);
  if (!/[.?…:)]$/u.test(out) && /[.!?]$/.test(span.trim())) out += '.';
  return out === span.trim() ? undefined : out;
}
