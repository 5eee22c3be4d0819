/** WhatsApp's limit for a text message body. */
export const MAX_TEXT_LENGTH = 4_096;

export type TextProblem = 'empty' | 'too_long';

export function checkMessageText(text: string): TextProblem | null {
  if (text.trim().length === 0) return 'empty';
  if (text.length > MAX_TEXT_LENGTH) return 'too_long';
  return null;
}
