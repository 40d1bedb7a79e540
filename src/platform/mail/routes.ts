import type { FastifyPluginAsync } from 'fastify';
import type { StoredMail } from './mailer.ts';

/**
 * Development only: the messages the file transport wrote, so that sign-up and reset links can be
 * followed without a mail server. Never registered in production.
 */
export const devMailRoutes: FastifyPluginAsync<{ list(): Promise<StoredMail[]>; read(id: string): Promise<StoredMail | undefined> }> = async (app, mailbox) => {
  app.get('/dev/mail', { config: { access: 'public' } }, async (_request, reply) =>
    reply.render('platform/mail/views/list.njk', { messages: await mailbox.list() }),
  );
  app.get<{ Params: { id: string } }>('/dev/mail/:id', { config: { access: 'public' } }, async (request, reply) => {
    const message = await mailbox.read(request.params.id);
    if (!message) return reply.callNotFound();
    // Links in the text become clickable; everything else is escaped by the template.
    const parts = message.text.split(/(https?:\/\/[^\s]+)/g).map((text, index) => ({ text, link: index % 2 === 1 }));
    return reply.render('platform/mail/views/message.njk', { message, parts });
  });
};
