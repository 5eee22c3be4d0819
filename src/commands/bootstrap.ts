import type { AppContext } from '../app-context.ts';
import { newPassword } from '../auth/secrets.ts';
import { countWorkspaces } from '../db/queries/workspace-queries.ts';
import { addDevice, customerReads, customerReplies, updateSimulatorDevice } from './simulator-customer.ts';
import { createChannel } from './create-channel.ts';
import { createContact } from './create-contact.ts';
import { createUser, createWorkspace } from './create-workspace.ts';
import { deleteMessage } from './delete-message.ts';
import { editMessage } from './edit-message.ts';
import { sendMessage } from './send-message.ts';
import { insertCatalogItem, updateWorkspaceGuardData } from '../db/queries/guard-queries.ts';
import { listDevices } from '../db/queries/simulator-queries.ts';

export interface BootstrapInput {
  demo: boolean;
  admin: { email?: string | undefined; password?: string | undefined; token?: string | undefined };
}

export interface BootstrapResult {
  workspaceId: string;
  adminEmail: string;
  /** Set when we generated it: shown once to the person starting Errata. */
  generatedPassword: string | undefined;
}

/**
 * First start on an empty database: one workspace and its admin (from ERRATA_ADMIN_* when
 * given), plus, unless ERRATA_DEMO=0, a demo on the simulator with the reference text's
 * 4 096-second revoke window. Does nothing on a database that already has a workspace.
 */
export async function bootstrap(ctx: AppContext, input: BootstrapInput): Promise<BootstrapResult | null> {
  if ((await countWorkspaces(ctx.db)) > 0) return null;
  const generatedPassword = input.admin.password ? undefined : newPassword();
  const adminEmail = (input.admin.email ?? 'admin@errata.local').toLowerCase();
  const { workspaceId, adminId } = await createWorkspace(ctx, {
    name: input.demo ? 'Maison Lumière (démo)' : 'Errata',
    country: 'FR',
    language: 'fr',
    admin: {
      email: adminEmail,
      name: 'Admin',
      password: input.admin.password ?? generatedPassword,
      apiToken: input.admin.token,
    },
  });
  if (input.demo) await seedDemo(ctx, workspaceId, adminId, input.admin.password ?? generatedPassword);
  return { workspaceId, adminEmail, generatedPassword };
}

/** Demo colleagues share the admin's password, so approvals can be tried with a second account. */
export const DEMO_COLLEAGUES = ['camille@errata.local', 'sam@errata.local'] as const;

async function seedDemo(ctx: AppContext, workspaceId: string, adminId: string, password: string | undefined): Promise<void> {
  const agentId = await createUser(ctx, { workspaceId, email: DEMO_COLLEAGUES[0], name: 'Camille Roux', role: 'agent', password });
  await createUser(ctx, { workspaceId, email: DEMO_COLLEAGUES[1], name: 'Sam Taylor', role: 'supervisor', password });
  await createChannel(ctx, { kind: 'cli' }, {
    workspaceId,
    type: 'simulator',
    name: 'WhatsApp (simulateur)',
    revokeWindowSeconds: 4_096,
    editWindowSeconds: 900,
    defaultHoldSeconds: 10,
  });
  const contact = (name: string, phone: string, language: 'fr' | 'en') =>
    createContact(ctx, { workspaceId, country: 'FR', name, phone, language });
  const claire = await contact('Claire Dubois', '+33 6 12 34 56 78', 'fr');
  const james = await contact('James Carter', '+44 7911 123456', 'en');
  const lucie = await contact('Lucie Moreau', '06 98 76 54 32', 'fr');
  const emily = await contact('Emily Johnson', '+1 415 555 0132', 'en');

  // Claire's phone runs an old WhatsApp: revokes and edits never reach it.
  const [clairePhone] = await listDevices(ctx.db, workspaceId, claire.id);
  if (clairePhone) await updateSimulatorDevice(ctx, workspaceId, claire.id, clairePhone.id, { clientVersion: '2.12.5' });
  // James also uses WhatsApp Web on a laptop that is closed for now.
  await addDevice(ctx, workspaceId, james.id, { label: 'Laptop (WhatsApp Web)', clientVersion: '2.24.20', online: false });

  const admin = { userId: adminId, role: 'admin' as const };
  const agent = { userId: agentId, role: 'agent' as const };
  const send = async (actor: typeof admin | typeof agent, contactId: string, text: string) => {
    const { message } = await sendMessage(ctx, { workspaceId, actor, contactId, text, holdSeconds: 0 });
    await ctx.jobs.drain();
    return message;
  };

  await customerReplies(ctx, workspaceId, claire.id, { text: 'Bonjour, ma commande de luminaires est-elle partie ?' });
  await send(agent, claire.id, 'Bonjour Claire, oui : votre commande n° 48213 est partie ce matin, livraison prévue jeudi.');
  await customerReads(ctx, workspaceId, claire.id);

  await customerReplies(ctx, workspaceId, james.id, { text: 'Hi, how much is the Aurora floor lamp?' });
  const wrongPrice = await send(agent, james.id, 'Hi James, the Aurora floor lamp is £29.');
  await deleteMessage(ctx, workspaceId, wrongPrice.id, agent, { scope: 'everyone', reason: 'wrong_price', note: 'Missing a digit' });
  await send(
    agent,
    james.id,
    'Sorry James, I deleted my last message: it had the wrong price. The Aurora floor lamp is £290, and delivery is free this week.',
  );

  await customerReplies(ctx, workspaceId, lucie.id, { text: 'Vous êtes ouverts samedi ?' });
  const typo = await send(admin, lucie.id, 'Bonjour Lucie, nous sommes ouverts samedi de 10 h à 18 h, à bientôt !'.replace('samedi', 'samdi'));
  await editMessage(ctx, workspaceId, typo.id, admin, 'Bonjour Lucie, nous sommes ouverts samedi de 10 h à 18 h, à bientôt !');

  await send(agent, emily.id, 'Hello Emily, your appointment at our showroom is confirmed for Friday at 3 pm.');

  // What the guard knows about the business: its own details are never "personal data", and
  // catalogue prices are what quoted prices are checked against.
  await updateWorkspaceGuardData(ctx.db, workspaceId, {
    businessName: 'Maison Lumière',
    phones: ['+33 1 84 80 12 34'],
    emails: ['bonjour@maison-lumiere.example'],
    ibans: ['FR76 3000 4000 0312 3456 7890 143'],
    addresses: ['18 rue des Lampistes, 75011 Paris'],
    staff: ['Camille Roux', 'Sam Taylor'],
  });
  const now = ctx.clock.now();
  for (const [name, price, currency] of [
    ['Aurora floor lamp', 290, 'GBP'],
    ['Lampadaire Aurora', 329, 'EUR'],
    ['Suspension Nuage', 149, 'EUR'],
    ['Applique Lune', 89.9, 'EUR'],
  ] as const) {
    await insertCatalogItem(ctx.db, { id: crypto.randomUUID(), workspaceId, name, price, currency, now });
  }
  ctx.guardData.invalidate(workspaceId);
}
