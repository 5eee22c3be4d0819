/** WhatsApp's limit for a text message body. */
export const MAX_TEXT_LENGTH = 4_096;
