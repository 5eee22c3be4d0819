// Wrong-recipient signals (PRODUCT.md §5 "recipient"): a greeting or vocative naming someone other
// than the recipient, a reference that belongs to another contact, and notes meant for a colleague.
// The agent's and staff's names and catalogue names are never recipient mistakes.

import { localized } from './messages.ts';
import { escapeRegExp, foldText, nameParts, sentenceAround } from './text.ts';
import type { GuardFinding, GuardInput, GuardLang } from './types.ts';

const CIVILITY = '(?:M\\.|Mr\\.?|Mrs\\.?|Ms\\.?|Miss|Mme\\.?|Mlle\\.?|Madame|Monsieur|Mademoiselle|Dr\\.?|Docteur|Ma[iî]tre|Me\\.?|Sir|Madam|Professeur|Prof\\.?)';
const NAME = "[\\p{Lu}][\\p{L}\\p{M}'’\\-]*\\.?";
// Greeting words are matched with an upper- or lower-case first letter only: the `i` flag would make
// \p{Lu} match lower-case letters too, and a name must be capitalised.
const ci = (words: string): string =>
  words
    .split('|')
    .map((w) => `[${w[0]!.toUpperCase()}${w[0]}]${w.slice(1)}`)
    .join('|');
const GREETING_RE = new RegExp(
  `(?:^|\\n)\\s*(?:[Rr]e-?)?(?:${ci('bonjour|bonsoir|salut|coucou|hello|hi|hey|dear|cher|chère|chers|chères|good morning|good afternoon|good evening|morning|bienvenue|welcome|allo|allô|hiya')})(?![\\p{L}])[ ,]*(?:à )?(?:(${CIVILITY})\\s+)?(${NAME}(?:[ \\-]${NAME}){0,2})`,
  'gu',
);
const VOCATIVE_RE = new RegExp(
  `(?:${ci('merci|merci beaucoup|merci encore|thanks|thanks again|thanks a lot|thank you|thank you so much|thank you again|cheers|bravo|félicitations|congrats|congratulations|à bientôt|see you|see you soon|bonne journée|bonne soirée')})[ ,]+(?:(${CIVILITY})\\s+)?(${NAME}(?: [\\p{Lu}][\\p{L}\\p{M}'’\\-]*)?)\\s*(?=[!.,?)\\n]|$)`,
  'gu',
);
const CIVILITY_NAME_RE = new RegExp(`(?<![\\p{L}])(?:M\\.|Mr\\.?|Mrs\\.?|Ms\\.?|Mme\\.?|Mlle\\.?|Madame|Monsieur)\\s+(${NAME}(?: ${NAME})?)`, 'gu');
const NOT_A_NAME = new Set(
  'customer customers client clients cliente clientes valued patient lundi mardi mercredi jeudi vendredi samedi dimanche monday tuesday wednesday thursday friday saturday sunday janvier fevrier avril mai juin juillet aout septembre octobre novembre decembre january february march april june july august september october november december patient patients member members guest guests tous toutes tout tout le monde vous all everyone everybody team equipe there guys folks friends amis famille family madame monsieur mademoiselle sir madam again encore a toi et merci thanks thank bonjour hello hi dear cher chere the le la les mr mrs ms dr de du chez a votre your our notre ce cet cette this that je j nous we i it il elle on yes oui non no ok d l'.split(
    ' ',
  ),
);

const THIRD_PARTY_BEFORE =
  /\b(?:voisin|voisine|voisins|ancien proprietaire|ancienne proprietaire|precedent proprietaire|proprietaire|locataire|bailleur|syndic|notaire|avocat|avocate|collegue|ami|amie|mari|femme|epoux|epouse|conjoint|conjointe|pere|mere|fils|fille|frere|soeur|beau-pere|belle-mere|neighbour|neighbor|previous owner|former owner|owner|landlord|tenant|solicitor|lawyer|colleague|friend|husband|wife|partner|father|mother|son|daughter|brother|sister|contact|referent|referente|technicien|technician|engineer|plumber|plombier|electricien|electrician|de la part de|on behalf of|from|par|with|avec)\b[^.!?\n]{0,25}$/;

const MALE_CIVILITY = /^(?:m\.?|mr\.?|monsieur|sir)$/i;
const FEMALE_CIVILITY = /^(?:mme\.?|mrs\.?|ms\.?|miss|mlle\.?|madame|mademoiselle|madam)$/i;

function civilityGender(civility: string): 'male' | 'female' | undefined {
  if (MALE_CIVILITY.test(civility)) return 'male';
  if (FEMALE_CIVILITY.test(civility)) return 'female';
  return undefined;
}

/** The recipient's civility if their contact name has one, else the usual gender of their first name. */
function recipientGender(name: string, nameGender: NameGender | undefined): 'male' | 'female' | undefined {
  const words = name.trim().split(/\s+/);
  const own = words[0] ? civilityGender(words[0]) : undefined;
  if (own) return own;
  const first = words.find((w) => /^\p{Lu}\p{Ll}/u.test(w) && !civilityGender(w));
  if (!first || words.length < 2 || !nameGender) return undefined;
  return nameGender(first.split('-')[0]!);
}

function partsMatch(greeted: string, known: string): boolean {
  if (greeted === known) return true;
  // Short forms and initials: "Alex" for "Alexandre", "J." for "Julien".
  if (greeted.length >= 3 && known.length >= 3 && (known.startsWith(greeted) || greeted.startsWith(known))) return true;
  // Nicknames made of a part of the name: "Liv" for "Olivia", "Tine" for "Martine".
  if (greeted.length >= 3 && known.length > greeted.length && known.includes(greeted)) return true;
  return greeted.length === 1 && known.startsWith(greeted);
}

function matchesName(greetedParts: string[], known: string | undefined): boolean {
  if (!known) return false;
  const knownParts = nameParts(known);
  return greetedParts.length > 0 && greetedParts.every((g) => knownParts.some((k) => partsMatch(g, k)));
}

interface NameContext {
  recipient?: string;
  agent?: string;
  staff: string[];
  others: string[];
  catalogTokens: Set<string>;
}

/** What a greeted name is: the recipient, a colleague, another contact, or someone unknown. */
function classifyName(parts: string[], ctx: NameContext): 'recipient' | 'staff' | 'agent' | 'other' | 'unknown' | 'ignore' {
  if (parts.length === 0) return 'ignore';
  if (matchesName(parts, ctx.recipient)) return 'recipient';
  if (matchesName(parts, ctx.agent)) return 'agent';
  if (ctx.staff.some((s) => matchesName(parts, s))) return 'staff';
  if (ctx.others.some((o) => matchesName(parts, o))) return 'other';
  if (parts.every((p) => ctx.catalogTokens.has(p))) return 'ignore';
  return 'unknown';
}

const INTERNAL_MARKERS =
  /\b(?:note interne|internal note|entre nous|between us|ne pas transmettre|a ne pas envoyer|ne pas envoyer au client|do not forward|don'?t forward|not for the customer|pas pour le client|pour l'equipe|note to self|memo|n'envoie pas|don'?t send (?:this|it) to)\b/;
// "FYI" / "pour info" are ordinary in messages to customers too: on their own they are weak evidence.
const WEAK_INTERNAL_MARKERS = /\b(?:pour info|fyi)\b/;
const THIRD_PERSON_CUSTOMER =
  /\b(?:le client|la cliente|ce client|cette cliente|ce monsieur|cette dame|ce type|cette femme|cet homme|the customer|the client|this customer|this client|this guy|that guy|this lady|this woman|this man|this one|that one|ce boulet|le penible|la penible|le raleur|la raleuse|la mamie|le papy)\b(?! (?:service|area|portal|account|support|care|number|satisfaction|experience|reviews?))/;
const COLLEAGUE_REQUEST =
  /\b(?:rappelle-(?:la|le|les)|relance-(?:la|le|les)|appelle-(?:la|le|les)|peux-tu (?:la|le|les|lui)|tu peux (?:la|le|les|lui)|pourrais-tu (?:la|le|les|lui)|call (?:him|her|them) back|can you (?:call|ring|chase|handle|deal with|check on) (?:him|her|them)|could you (?:call|ring|chase|handle|deal with) (?:him|her|them)|ne lui dis pas|don'?t tell (?:him|her|them)|il faut (?:la|le) relancer|needs chasing|(?:la|le) rappeler|don'?t give (?:him|her|them)|ne lui (?:donne|fais|accorde) (?:pas|plus)|tu (?:la|le) (?:rappelles|relances|geres)|tu geres|can you deal with (?:him|her|them)|chase (?:him|her|them))\b/;
const DEROGATORY =
  /\b(?:(?:il|elle) est (?:penible|relou|chiant|chiante|lourd|lourde|insupportable|radin|radine|gonfle|gonflee)|mauvais payeur|mauvaise payeuse|client(?:e)? difficile|casse-pieds|(?:he|she)(?:'s| is) (?:a pain|annoying|a nightmare|difficult|cheap|rude)|always complains|se plaint toujours|pain in the neck|time waster)\b/;

// The customer talked about in the third person: "she's been waiting", "elle attend depuis lundi".
const THIRD_PERSON_TALK =
  /\b(?:(?:she|he|they)(?:'s|'ve| is| has| was| were| wants| keeps| said| says| called| rang| asked| paid| owes| needs| won't| doesn't| didn't| hasn't| never| still| already)|(?:call|ring|chase|email|text|tell|give|send) (?:her|him|them)(?! know)|(?:elle|il|ils|elles) (?:a|est|veut|voudrait|attend|demande|dit|rappelle|n'a|ne|n'est|doit|va|insiste|refuse|pense|croit|se plaint)|(?:la|le|les|lui) (?:rappeler|relancer|recontacter|ecrire|repondre))\b/;
// A first name opening the message, then a comma, a dash or colon, or straight into a request.
const OPENER_RE =
  /^\s*@?([\p{Lu}][\p{Ll}'’-]+)(?:\s*[,:—–]\s*|\s+-\s+|\s+(?=(?:can|could|pls|please|this|that|just|fyi|peux|pourrais|tu|merci|relance|rappelle|le|la|ce|cette|les)\b))/u;
// A request to a colleague, in the second person singular or English "can you …".
const COLLEAGUE_ASK =
  /\b(?:can you|could you|can u|peux-tu|tu peux|pourrais-tu|tu pourrais|merci de|relance|rappelle|recontacte|je te laisse|i'll leave (?:it|her|him|them) (?:to|with) you|over to you|(?:livre|mets|envoie|appelle|previens)-(?:la|le|les|lui))\b/;
// Capitalised words that open a message with a comma and are not names.
const OPENER_NOT_A_NAME =
  /^(?:Ok|Okay|Oui|Non|Yes|No|Parfait|Super|Top|Bien|Alors|Donc|Bon|Voilà|Voila|Merci|Thanks|Sorry|Désolé|Desole|Noted|Sure|Great|Perfect|Alright|Right|Well|So|Also|Hello|Hi|Hey|Bonjour|Bonsoir|Salut|Coucou|Dear|Cher|Chère|Update|Info|Rappel|Reminder|Attention|Important|Note|Re|Enfin|Ensuite|Puis|Aussi|Sinon|Quick|Good|Morning|Afternoon|Evening|Bonne|Bravo|Désolée|Desolee|Pardon|Oups|Oops|Absolument|Absolutely|Certainly|Certes|Exactement|Exactly|Indeed|Effectivement|Malheureusement|Unfortunately|Finally|Also|Par|Pour|For|As|Comme|En|Dans|In|On|At|Le|La|Les|The|Ce|Cette|This|That|Votre|Your|Nous|We|Vous|You|Je|I)$/;

function internalNote(text: string, folded: string, ctx: NameContext, greetedStaff: boolean, lang: GuardLang): GuardFinding | undefined {
  let score = greetedStaff ? 1 : 0;
  let anchor = -1;
  // A message opening with a bare "Name," that is a colleague (staff or agent) is addressed to them.
  const opener = OPENER_RE.exec(text);
  const talkedAbout = THIRD_PERSON_TALK.exec(folded);
  if (opener && !greetedStaff) {
    const parts = nameParts(opener[1]!);
    const kind = classifyName(parts.filter((p) => !NOT_A_NAME.has(p)), ctx);
    if ([...ctx.staff, ctx.agent ?? ''].some((s) => matchesName(parts, s))) score += 1;
    // "Julie, she's been waiting since Monday, can you call her?", "Frank — this guy is calling for
    // the 4th time": a first name that is not the recipient's, then a request to them or the customer
    // talked about in the third person — a colleague is addressed.
    else if (kind === 'unknown' && !OPENER_NOT_A_NAME.test(opener[1]!) && (talkedAbout || COLLEAGUE_ASK.test(folded) || THIRD_PERSON_CUSTOMER.test(folded))) score += 1;
  }
  if (talkedAbout && (score > 0 || greetedStaff)) {
    score += 1;
    if (anchor < 0) anchor = talkedAbout.index;
  }
  const hit = (re: RegExp, weight: number): void => {
    const m = re.exec(folded);
    if (m) {
      score += weight;
      if (anchor < 0) anchor = m.index;
    }
  };
  hit(INTERNAL_MARKERS, 2);
  hit(WEAK_INTERNAL_MARKERS, 1);
  hit(COLLEAGUE_REQUEST, 2);
  hit(DEROGATORY, 2);
  hit(THIRD_PERSON_CUSTOMER, 1);
  for (const staff of ctx.staff) {
    const first = nameParts(staff)[0];
    if (first && new RegExp(`@${escapeRegExp(first)}\\b`).test(folded)) score += 2;
  }
  // The recipient talked about in the third person: "Mme Martin a appelé", "Paul wants…".
  if (ctx.recipient) {
    for (const part of nameParts(ctx.recipient)) {
      if (part.length < 3) continue;
      const re = new RegExp(
        `\\b${escapeRegExp(part)}\\s+(?:a|est|veut|voudrait|demande|dit|n'a|ne|va|doit|attend|rappelle|has|is|wants|said|says|asked|keeps|won't|doesn't|didn't|will|called|owes|needs|paid|hasn't|isn't|n'est|n'a)\\b`,
      );
      const m = re.exec(folded);
      if (m && !/(?:bonjour|hello|hi|dear|merci|thanks)\W*$/.test(folded.slice(Math.max(0, m.index - 12), m.index))) {
        score += 2;
        if (anchor < 0) anchor = m.index;
      }
    }
  }
  if (score < 2) return undefined;
  const span = anchor >= 0 ? sentenceAround(text, anchor) : { start: 0, end: text.length };
  return {
    kind: 'recipient.internal_note',
    category: 'recipient',
    severity: 'warn',
    start: span.start,
    end: span.end,
    ...localized('recipient.internal_note', lang),
  };
}

/** The usual gender of a first name, when a name list says so unambiguously (injected: the lists are data). */
export type NameGender = (firstName: string) => 'male' | 'female' | undefined;

export function checkRecipient(text: string, folded: string, lang: GuardLang, input: GuardInput, nameGender?: NameGender): GuardFinding[] {
  const out: GuardFinding[] = [];
  const catalogTokens = new Set<string>();
  for (const item of input.catalog ?? []) if (item && typeof item.name === 'string') for (const p of nameParts(item.name)) catalogTokens.add(p);
  if (input.business?.name) for (const p of nameParts(input.business.name)) catalogTokens.add(p);
  const ctx: NameContext = {
    recipient: input.recipient?.name,
    agent: input.agent?.name,
    staff: (input.business?.staff ?? []).filter((s): s is string => typeof s === 'string'),
    others: (input.otherContacts ?? []).map((o) => o?.name).filter((n): n is string => typeof n === 'string'),
    catalogTokens,
  };
  let greetedStaff = false;
  const seen = new Set<number>();

  const consider = (nameText: string, start: number, strictUnknown: boolean, civility?: string): void => {
    if (seen.has(start)) return;
    seen.add(start);
    // "Bonjour Monsieur Perrin" to Nathalie Perrin: the right surname with a civility that contradicts
    // the recipient's (their own civility if the contact has one, else their first name's usual gender).
    if (civility && ctx.recipient && strictUnknown) {
      const said = civilityGender(civility);
      const expected = recipientGender(ctx.recipient, nameGender);
      if (said && expected && said !== expected && matchesName(nameParts(nameText).filter((p) => !NOT_A_NAME.has(p)), ctx.recipient)) {
        const civilityStart = text.lastIndexOf(civility, start);
        out.push({
          kind: 'recipient.name',
          category: 'recipient',
          severity: 'warn',
          start: civilityStart >= 0 ? civilityStart : start,
          end: start + nameText.replace(/[.\s]+$/, '').length,
          ...localized('recipient.name', lang, { name: `${civility} ${nameText}`, recipient: ctx.recipient }),
          suggestion: ctx.recipient,
        });
        return;
      }
    }
    if (nameText.length > 1 && nameText === nameText.toUpperCase()) return; // an acronym (SIRET, TVA), not a name
    const parts = nameParts(nameText).filter((p) => !NOT_A_NAME.has(p));
    const kind = classifyName(parts, ctx);
    if (kind === 'staff') greetedStaff = true;
    if (kind === 'other' || ((kind === 'unknown' || kind === 'staff') && strictUnknown && ctx.recipient)) {
      out.push({
        kind: 'recipient.name',
        category: 'recipient',
        severity: 'warn',
        start,
        end: start + nameText.replace(/[.\s]+$/, '').length,
        ...(kind === 'other'
          ? localized('recipient.name_other', lang, { name: nameText })
          : localized('recipient.name', lang, { name: nameText, recipient: ctx.recipient ?? '' })),
        ...(ctx.recipient ? { suggestion: ctx.recipient } : {}),
      });
    }
  };

  for (const m of text.matchAll(GREETING_RE)) {
    const nameText = m[2]!;
    const start = m.index + m[0].length - nameText.length;
    consider(nameText, start, true, m[1]);
  }
  for (const m of text.matchAll(VOCATIVE_RE)) {
    const nameText = m[2]!;
    consider(nameText, m.index + m[0].length - nameText.length, true, m[1]);
  }
  for (const m of text.matchAll(CIVILITY_NAME_RE)) {
    const nameText = m[1]!;
    // A third party named on purpose ("votre voisine Mme Girard", "the previous owner, Mr Hart") is not
    // a wrong recipient, even when a contact shares the surname.
    if (THIRD_PARTY_BEFORE.test(folded.slice(Math.max(0, m.index - 40), m.index))) continue;
    // Only another contact's name is a finding here: "Dr Martin will see you" is fine.
    consider(nameText, m.index + m[0].length - nameText.length, false);
  }

  for (const contact of input.otherContacts ?? []) {
    for (const ref of contact?.references ?? []) {
      if (typeof ref !== 'string' || ref.trim().length < 3) continue;
      const re = new RegExp(`(?<![\\p{L}\\d])${escapeRegExp(foldText(ref.trim()))}(?![\\p{L}\\d])`, 'gu');
      for (const m of folded.matchAll(re)) {
        out.push({
          kind: 'recipient.reference',
          category: 'recipient',
          severity: 'warn',
          start: m.index,
          end: m.index + m[0].length,
          ...localized('recipient.reference', lang, { name: contact.name }),
        });
      }
    }
  }

  const note = internalNote(text, folded, ctx, greetedStaff, lang);
  if (note) {
    // A colleague greeted in a note to that colleague is the note itself, not a wrong greeting.
    const kept = out.filter((f) => !(f.kind === 'recipient.name' && f.start >= note.start && f.end <= note.end));
    kept.push(note);
    return kept.sort((a, b) => a.start - b.start);
  }
  return out.sort((a, b) => a.start - b.start);
}
