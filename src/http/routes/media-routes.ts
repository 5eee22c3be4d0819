import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app-context.ts';
import { notFound, nouns } from '../../commands/command-error.ts';
import { uploadMedia } from '../../commands/upload-media.ts';
import { idParams, uploadedMediaSchema, uploadMediaHeaders } from '../../contracts/api-schemas.ts';
import { MEDIA_MAX_BYTES } from '../../contracts/media-limits.ts';
import { getMessage } from '../../db/queries/message-queries.ts';
import { getMedia } from '../../db/queries/webhook-delivery-queries.ts';

const SAFE_INLINE = /^(image\/(jpeg|png|gif|webp)|video\/mp4|audio\/(ogg|mpeg|mp4|aac|amr))(;.*)?$/i;

/**
 * An upload's bytes, out of reach of the request hooks that walk a body's fields looking for unsafe
 * text (a Buffer would be walked byte by byte).
 */
class UploadBody {
  readonly #bytes: Buffer;
  constructor(bytes: Buffer) {
    this.#bytes = bytes;
  }
  get bytes(): Buffer {
    return this.#bytes;
  }
}

/** Files the team sends (upload), and media of messages that Errata stored (download). */
export function mediaRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    // This plugin's routes take raw bytes of any declared type; the policy decides what is allowed.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MEDIA_MAX_BYTES }, (_request, body, done) => {
      done(null, new UploadBody(body as Buffer));
    });

    app.post(
      '/media',
      {
        bodyLimit: MEDIA_MAX_BYTES,
        schema: {
          tags: ['messages'],
          summary:
            'Upload an image (JPEG, PNG ≤ 5 MB) or a document (PDF, text, Word, Excel, PowerPoint ≤ 16 MB) to attach to a message: the body is the file, Content-Type its type',
          headers: uploadMediaHeaders,
          response: { 201: uploadedMediaSchema },
        },
      },
      async (request, reply) => {
        const body = request.body as unknown;
        const bytes = body instanceof UploadBody ? body.bytes : Buffer.alloc(0);
        const media = await uploadMedia(ctx, {
          workspaceId: request.principal.workspaceId,
          actor: { userId: request.principal.userId, role: request.principal.role },
          declaredType: request.headers['content-type'],
          bytes,
        });
        return reply.code(201).send(media);
      },
    );

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
        // Only well-known media types are shown inline; anything else downloads, as opaque bytes.
        const inline = SAFE_INLINE.test(type);
        const name = typeof filename === 'string' ? `; filename*=UTF-8''${encodeURIComponent(filename)}` : '';
        return reply
          .header('content-type', inline ? type : 'application/octet-stream')
          .header('content-disposition', `${inline ? 'inline' : 'attachment'}${name}`)
          .header('x-content-type-options', 'nosniff')
          // Even opened directly, nothing in it may run or load anything.
          .header('content-security-policy', "default-src 'none'; img-src 'self'; sandbox")
          .header('cache-control', 'private, max-age=3600')
          .send(Buffer.from(media.bytes));
      },
    );
  };
}
