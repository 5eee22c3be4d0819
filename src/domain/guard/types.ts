// Plain TypeScript types for the pre-send guard (PRODUCT.md §5). No zod here: schemas live at the edges.

export type GuardLang = 'fr' | 'en';

export type GuardCategory = 'pii' | 'price' | 'recipient' | 'tone' | 'spelling';

export type GuardKind =
  | 'pii.phone'
  | 'pii.email'
  | 'pii.iban'
  | 'pii.card'
  | 'pii.nir'
  | 'pii.address'
  | 'pii.credential'
  | 'price.mismatch'
  | 'recipient.name'
  | 'recipient.reference'
  | 'recipient.internal_note'
  | 'tone.aggressive'
  | 'tone.condescending'
  | 'tone.blaming'
  | 'tone.dismissive'
  | 'tone.shouting'
  | 'spelling.word';

export type GuardSeverity = 'info' | 'warn' | 'block';

export type GuardAction = 'pass' | 'warn' | 'review' | 'block';

/** ISO 3166-1 alpha-2 region, as libphonenumber-js expects (e.g. "FR", "GB", "US"). */
export type RegionCode = string;

export interface GuardRecipient {
  name?: string;
  phone?: string;
  email?: string;
}

export interface GuardBusiness {
  name?: string;
  phones?: string[];
  emails?: string[];
  ibans?: string[];
  addresses?: string[];
  /** Names of colleagues: never a recipient mistake, a greeting to one of them hints at an internal note. */
  staff?: string[];
}

export interface GuardCatalogItem {
  name: string;
  /** Missing price: the item is still a glossary word, but no price check is possible. */
  price?: number | null;
  currency?: string;
}

export interface GuardHistoryEntry {
  from: 'business' | 'customer';
  text: string;
}

export interface GuardOtherContact {
  name: string;
  references?: string[];
}

export interface GuardInput {
  text: string;
  lang?: GuardLang;
  /** Workspace country for phone numbers written without an international prefix. */
  region?: RegionCode;
  recipient?: GuardRecipient;
  business?: GuardBusiness;
  agent?: { name?: string };
  catalog?: GuardCatalogItem[];
  history?: GuardHistoryEntry[];
  otherContacts?: GuardOtherContact[];
  /** The workspace's allow-list and glossary: findings on these phrases are dropped (see allowlist.ts). */
  allow?: GuardAllowEntry[];
}

/** "Not a mistake" for one phrase: for every finding, one category, or one kind (`spelling.word`: the glossary). */
export interface GuardAllowEntry {
  text: string;
  kind?: string;
  category?: string;
}

export interface GuardFinding {
  kind: GuardKind;
  category: GuardCategory;
  severity: GuardSeverity;
  /** UTF-16 code-unit offsets into the original text, end exclusive. */
  start: number;
  end: number;
  /** In the message's language. */
  message: string;
  /** The same in both languages, for a reader whose interface language differs. */
  messages?: Record<GuardLang, string>;
  suggestion?: string;
}

/** Injected spell checker: the domain stays pure, the runtime backs it with Hunspell (WebAssembly). */
export interface Speller {
  isCorrect(word: string, lang: GuardLang): boolean;
  suggest(word: string, lang: GuardLang): string[];
}

export interface GuardDeps {
  speller?: Speller;
  /** Fallback when the input has no region. Defaults to "FR". */
  defaultRegion?: RegionCode;
}

export interface GuardPolicy {
  /** Action per kind; wins over the category action. */
  kinds?: Partial<Record<GuardKind, GuardAction>>;
  categories: Record<GuardCategory, GuardAction>;
  /** Extra hold time (seconds) added when a category is found, e.g. tone lengthens the undo window. */
  holdExtensionSeconds?: Partial<Record<GuardCategory, number>>;
}

export interface GuardFindingAction {
  finding: GuardFinding;
  action: GuardAction;
}

export interface GuardDecision {
  verdict: GuardAction;
  actions: GuardFindingAction[];
  holdExtensionSeconds: number;
}
