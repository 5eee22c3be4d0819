/** Words shared by the domain, the API and the web app. */
export const mistakeKinds = [
  'typo',
  'wrong_price',
  'confidential',
  'wrong_recipient',
  'tone',
  'promotion_withdrawn',
  'other',
] as const;

export type MistakeKind = (typeof mistakeKinds)[number];
