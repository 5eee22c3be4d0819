import type { OutboundMedia } from '../channels/provider-channel.ts';
import type { DbOrTx } from '../db/database.ts';
import { getMedia } from '../db/queries/webhook-delivery-queries.ts';
import type { MessageRow } from '../db/schema.ts';

/**
 * The attachment of an outgoing message, for its adapter: the bytes are read from the database
 * only when the adapter asks (after the rate limiter let the send through).
 */
export function outboundMediaOf(db: DbOrTx, row: Pick<MessageRow, 'workspace_id' | 'direction' | 'content'>): OutboundMedia | null {
  const c = row.content as { type?: unknown; mimeType?: unknown; filename?: unknown; stored?: { sha256?: unknown } } | null;
  if (row.direction !== 'out' || !c || (c.type !== 'image' && c.type !== 'document')) return null;
  const sha256 = c.stored?.sha256;
  if (typeof sha256 !== 'string' || typeof c.mimeType !== 'string') return null;
  return {
    kind: c.type,
    mimeType: c.mimeType,
    filename: typeof c.filename === 'string' ? c.filename : undefined,
    sha256,
    async load() {
      const media = await getMedia(db, row.workspace_id, sha256);
      // Media rows are append-only: a message that names one always finds it.
      if (!media) throw new Error(`media ${sha256} of an outgoing message is missing`);
      return Buffer.from(media.bytes);
    },
  };
}
