import type { Language } from '../contracts/error-codes.ts';

/** One field's problem as the API reports it: a sentence in the caller's language, next to its path. */
export interface ValidationIssue {
  in: string;
  path: string | null;
  /** The zod issue code (`too_small`, `invalid_format`…), for programs. */
  code: string;
  /** A sentence a person reads next to the field, in the caller's Accept-Language. */
  message: string;
}

type Sentence = { en: string; fr: string };

/**
 * The schemas' own wording (written for developers, in English) as sentences for a person, in
 * both languages. Keyed by the schema's message; anything else falls back to a sentence per code.
 */
const SCHEMA_SENTENCES: Record<string, Sentence> = {
  'must not be empty': { en: 'Write something: this cannot be empty.', fr: 'Écrivez quelque chose : ce champ ne peut pas être vide.' },
  'a version such as 2.24.1': { en: 'A version number such as 2.24.1.', fr: 'Un numéro de version comme 2.24.1.' },
  'the phone number id: digits': {
    en: 'Digits only (5 to 30), as shown in Meta’s WhatsApp Manager.',
    fr: 'Uniquement des chiffres (5 à 30), tels qu’affichés dans le WhatsApp Manager de Meta.',
  },
  'the WhatsApp Business Account id: digits': {
    en: 'Digits only (5 to 30), as shown in Meta’s WhatsApp Manager.',
    fr: 'Uniquement des chiffres (5 à 30), tels qu’affichés dans le WhatsApp Manager de Meta.',
  },
  'a Graph version such as v23.0': { en: 'A Graph API version such as v23.0.', fr: 'Une version de l’API Graph comme v23.0.' },
  'change at least one field': { en: 'Change at least one field.', fr: 'Modifiez au moins un champ.' },
  'a template name: lower-case letters, digits, underscores': {
    en: 'A template name in lower-case letters, digits and underscores.',
    fr: 'Un nom de modèle en minuscules, chiffres et tirets bas.',
  },
  'a language code such as fr or en_GB': { en: 'A language code such as fr or en_GB.', fr: 'Un code de langue comme fr ou en_GB.' },
  'give a text or a template': { en: 'Write a text or choose a template.', fr: 'Écrivez un texte ou choisissez un modèle.' },
  'a cursor as nextCursor gave it': {
    en: 'A page cursor exactly as the previous page gave it.',
    fr: 'Un curseur de page tel que la page précédente l’a donné.',
  },
  'a guard kind such as tone.blaming': { en: 'A check such as tone.blaming.', fr: 'Une vérification comme tone.blaming.' },
  'a guard kind such as tone.blaming, or a category such as tone': {
    en: 'A check such as tone.blaming, or a category such as tone.',
    fr: 'Une vérification comme tone.blaming, ou une catégorie comme tone.',
  },
  'start must be before end': { en: 'The start must come before the end.', fr: 'Le début doit précéder la fin.' },
  'give a kind or a category, not both': { en: 'Give a check or a category, not both.', fr: 'Indiquez une vérification ou une catégorie, pas les deux.' },
  'the token from the link': { en: 'The code from the link you received.', fr: 'Le code du lien que vous avez reçu.' },
  'give role, name or active': { en: 'Change the role, the name or the status.', fr: 'Modifiez le rôle, le nom ou le statut.' },
};

const TYPE_NOUN: Record<string, Sentence> = {
  string: { en: 'text', fr: 'un texte' },
  number: { en: 'a number', fr: 'un nombre' },
  int: { en: 'a whole number', fr: 'un nombre entier' },
  boolean: { en: 'yes or no', fr: 'oui ou non' },
  array: { en: 'a list', fr: 'une liste' },
  object: { en: 'a group of fields', fr: 'un groupe de champs' },
};

const FORMAT: Record<string, Sentence> = {
  email: { en: 'An email address such as name@example.com.', fr: 'Une adresse e-mail comme nom@exemple.fr.' },
  url: { en: 'A web address starting with https://.', fr: 'Une adresse web commençant par https://.' },
  uuid: { en: 'An identifier exactly as Errata gave it.', fr: 'Un identifiant tel qu’Errata l’a donné.' },
  datetime: { en: 'A date and time such as 2026-04-01T09:00:00Z.', fr: 'Une date et une heure comme 2026-04-01T09:00:00Z.' },
};

const n = (value: unknown, lang: Language) => (typeof value === 'number' || typeof value === 'bigint' ? Number(value).toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB') : String(value));

/** A sentence for one zod issue (code and params as fastify-type-provider-zod reports them). */
export function issueSentence(code: string, params: Record<string, unknown>, schemaMessage: string, lang: Language): string {
  const own = SCHEMA_SENTENCES[schemaMessage];
  if (own) return own[lang];
  const fr = lang === 'fr';
  const origin = String(params.origin ?? '');
  switch (code) {
    case 'invalid_type': {
      const noun = TYPE_NOUN[String(params.expected)];
      return noun ? (fr ? `Obligatoire : ${noun.fr}.` : `Required: ${noun.en}.`) : fr ? 'Obligatoire.' : 'Required.';
    }
    case 'too_small':
      if (origin === 'string') {
        return Number(params.minimum) <= 1
          ? fr
            ? 'Obligatoire : ce champ ne peut pas être vide.'
            : 'Required: this cannot be empty.'
          : fr
            ? `Au moins ${n(params.minimum, lang)} caractères.`
            : `At least ${n(params.minimum, lang)} characters.`;
      }
      if (origin === 'array' || origin === 'set') return fr ? `Au moins ${n(params.minimum, lang)} éléments.` : `At least ${n(params.minimum, lang)} items.`;
      return fr ? `Au moins ${n(params.minimum, lang)}.` : `At least ${n(params.minimum, lang)}.`;
    case 'too_big':
      if (origin === 'string') return fr ? `Au plus ${n(params.maximum, lang)} caractères.` : `At most ${n(params.maximum, lang)} characters.`;
      if (origin === 'array' || origin === 'set') return fr ? `Au plus ${n(params.maximum, lang)} éléments.` : `At most ${n(params.maximum, lang)} items.`;
      return fr ? `Au plus ${n(params.maximum, lang)}.` : `At most ${n(params.maximum, lang)}.`;
    case 'invalid_format': {
      const format = FORMAT[String(params.format)];
      if (format) return format[lang];
      return fr ? 'Ce n’est pas au format attendu.' : 'This is not in the expected format.';
    }
    case 'invalid_value': {
      const values = Array.isArray(params.values) ? params.values.map(String).join(', ') : '';
      return fr ? `Choisissez l’une de ces valeurs : ${values}.` : `Choose one of: ${values}.`;
    }
    case 'unrecognized_keys': {
      const keys = Array.isArray(params.keys) ? params.keys.map(String).join(', ') : '';
      return fr ? `Champ inconnu ici : ${keys}.` : `Not a field here: ${keys}.`;
    }
    case 'not_multiple_of':
      return fr ? `Un multiple de ${n(params.divisor, lang)}.` : `A multiple of ${n(params.divisor, lang)}.`;
    default:
      return fr ? 'Cette valeur n’est pas valide.' : 'This value is not valid.';
  }
}

/**
 * The request's validation issues as sentences in the caller's language. Where a field has a
 * sentence of its own (the schema's, e.g. "digits only"), its generic length issues are left out:
 * one clear sentence per field rather than three.
 */
export function localizeIssues(
  validation: readonly { keyword: string; instancePath: string; message?: string; params?: Record<string, unknown> }[],
  context: string,
  lang: Language,
): ValidationIssue[] {
  const issues = validation.map((issue) => ({
    in: context,
    path: issue.instancePath.replace(/^\//, '').replaceAll('/', '.') || null,
    code: issue.keyword,
    own: (issue.message ?? '') in SCHEMA_SENTENCES,
    message: issueSentence(issue.keyword, issue.params ?? {}, issue.message ?? '', lang),
  }));
  const withOwn = new Set(issues.filter((i) => i.own).map((i) => i.path));
  const seen = new Set<string>();
  const out: ValidationIssue[] = [];
  for (const { own, ...issue } of issues) {
    if (!own && withOwn.has(issue.path) && (issue.code === 'too_small' || issue.code === 'too_big')) continue;
    const key = `${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(issue);
  }
  return out;
}

/** The error's own message when the request's fields are at fault: a sentence, not "the request is not valid". */
export const fieldsNotValid: Sentence = {
  en: 'Some fields are not valid: each one says why.',
  fr: 'Certains champs ne sont pas valides : chacun indique pourquoi.',
};
