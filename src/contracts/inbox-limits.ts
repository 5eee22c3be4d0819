/** Labels on a conversation (shared by the API's validation, the domain and the web app). */
export const MAX_LABELS = 20;
export const MAX_LABEL_LENGTH = 40;
