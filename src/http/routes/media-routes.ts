import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app-context.ts';
import { notFound, nouns } from '../../commands/command-error.ts';
import { idParams } from '../../contracts/api-schemas.ts';
import { getMessage } from '../../db/queries/message-queries.ts';
import { getMedia } from '../../db/queries/webhook-delivery-queries.ts';

const SAFE_INLINE = /^(image\/(jpeg|png|gif|webp)|video\/mp4|audio\/(ogg|mpeg|mp4|aac|amr))(;.*)?$/i;

/** Media a customer sent that Errata stored itself (Evolution's inline base64), for the team to download. */
export function mediaRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/messages/:id/media',
      { schema: { tags: ['messages'], summary: 'The media of a message, when Errata stored it (image, video, document, audio, sticker)', params: idParams } },
      async (request, reply) => {
        const { workspaceId } = request.principal;
        const message = await getMessage(ctx.db, workspaceId, request.params.id);
        const stored = (message?.content as { stored?: { sha256?: unknown }; filename?: unknown } | null)?.stored;
        const media = typeof stored?.sha256 === 'string' ? await getMedia(ctx.db, workspaceId, stored.sha256) : undefined;
        if (!message || !media) throw notFound(nouns.message);
        const type = media.mime_type ?? 'application/octet-stream';
        const filename = (message.content as { filename?: unknown }).filename;
        // Only well-known media types are shown inline; anything else downloads.
        const disposition = SAFE_INLINE.test(type) ? 'inline' : 'attachment';
        const name = typeof filename === 'string' ? `; filename*=UTF-8''${encodeURIComponent(filename)}` : '';
        return reply
          .header('content-type', SAFE_INLINE.test(type) ? type : 'application/octet-stream')
          .header('content-disposition', `${disposition}${name}`)
          .header('x-content-type-options', 'nosniff')
          .send(Buffer.from(media.bytes));
      },
    );
  };
}
