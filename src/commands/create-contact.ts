import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { AppContext } from '../app-context.ts';
import { findContactByPhone, insertContact } from '../db/queries/contact-queries.ts';
import { insertDevice } from '../db/queries/simulator-queries.ts';
import type { ContactRow } from '../db/schema.ts';
import { CURRENT_CLIENT_VERSION } from '../domain/channel-profile.ts';
import { CommandError } from './command-error.ts';
import { inTransaction } from './unit-of-work.ts';

/** E.164, or null when the text is not a possible phone number (national numbers use the workspace's country). */
export function normalisePhone(phone: string, defaultCountry: string): string | null {
  const parsed = parsePhoneNumberFromString(phone, defaultCountry as CountryCode);
  return parsed?.isValid() ? parsed.number : null;
}

export interface CreateContactInput {
  workspaceId: string;
  country: string;
  name: string;
  phone: string;
  language: 'fr' | 'en';
}

/**
 * A contact, with one current, online phone in the simulator so a new contact can be written to
 * straight away (more devices are added through the simulator API).
 */
export async function createContact(ctx: AppContext, input: CreateContactInput): Promise<ContactRow> {
  const phone = normalisePhone(input.phone, input.country);
  if (!phone) {
    throw new CommandError(
      'validation_failed',
      { en: 'This phone number is not valid.', fr: 'Ce numéro de téléphone n’est pas valide.' },
      { field: 'phone' },
    );
  }
  if (await findContactByPhone(ctx.db, input.workspaceId, phone)) {
    throw new CommandError(
      'conflict',
      { en: 'A contact with this phone number already exists.', fr: 'Un contact avec ce numéro existe déjà.' },
      { field: 'phone' },
    );
  }
  return inTransaction(ctx, async (uow) => {
    const now = ctx.clock.now();
    const row: ContactRow = {
      id: crypto.randomUUID(),
      workspace_id: input.workspaceId,
      name: input.name,
      phone,
      language: input.language,
      created_at: now,
      updated_at: now,
      merged_into_id: null,
    };
    await insertContact(uow.trx, row);
    await insertDevice(uow.trx, {
      id: crypto.randomUUID(),
      workspace_id: input.workspaceId,
      contact_id: row.id,
      label: input.language === 'fr' ? 'Téléphone' : 'Phone',
      client_version: CURRENT_CLIENT_VERSION,
      online: true,
      created_at: now,
      updated_at: now,
    });
    return row;
  }).finally(() => ctx.guardData.invalidate(input.workspaceId));
}
