import type { Db } from '../database';
import type { DevMail, NewDevMail } from '../schema';

export async function storeDevMail(db: Db, mail: NewDevMail): Promise<void> {
  await db.insertInto('dev_mailbox').values(mail).execute();
}

export async function listDevMail(db: Db, limit = 100): Promise<DevMail[]> {
  return db.selectFrom('dev_mailbox').selectAll().orderBy('id', 'desc').limit(limit).execute();
}

export async function getDevMail(db: Db, id: number): Promise<DevMail | undefined> {
  return db.selectFrom('dev_mailbox').selectAll().where('id', '=', id).executeTakeFirst();
}
