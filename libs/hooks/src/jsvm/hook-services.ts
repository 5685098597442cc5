import type { ModuleRef } from '@nestjs/core';
import { AuthMailService, MailerService } from '@lib/auth';
import type { AppConfig } from '@lib/core';
import { RecordPresenter, SettingsService, type RecordData, type RecordRequest } from '@lib/records';
import type { CollectionModel } from '@lib/schema';
import type { HookRecord } from '../hook-record';
import type { HookServices } from './jsvm-context';
import { text } from './text';

/** A provider of the process, or null where it doesn't run (the records service sends no mail). */
function optional<T>(moduleRef: ModuleRef, token: abstract new (...args: never[]) => T): T | null {
  try {
    return moduleRef.get(token, { strict: false });
  } catch {
    return null;
  }
}

/** The services PocketBase-style hook files reach through `$app.settings()`, `$mails` … */
export function hookServices(
  moduleRef: ModuleRef,
  config: AppConfig,
  collection: (idOrName: string) => CollectionModel,
): HookServices {
  const settings = optional(moduleRef, SettingsService);
  const mailer = optional(moduleRef, MailerService);
  const authMail = optional(moduleRef, AuthMailService);
  const presenter = optional(moduleRef, RecordPresenter);
  return {
    settings: () => settings?.cached() ?? {},
    dataDir: config.dataDir,
    isDev: false,
    sendMail: mailer ? (message) => mailer.send(message) : null,
    sendRecordMail: authMail
      ? (kind, idOrName, values, extra) => {
          const c = collection(idOrName);
          const record = values as RecordData;
          switch (kind) {
            case 'passwordReset':
              return authMail.sendPasswordReset(c, record);
            case 'verification':
              return authMail.sendVerification(c, record);
            case 'emailChange':
              return authMail.sendEmailChange(c, record, text(extra[0]));
            case 'otp':
              return authMail.sendOtp(c, record, text(record.email), text(extra[0]), text(extra[1]));
            default:
              return authMail.sendAuthAlert(c, record, text(extra[0]));
          }
        }
      : null,
    presentRecords: presenter
      ? (idOrName, records, auth, expand) => presenter.present(collection(idOrName), records, asRequest(auth), expand)
      : null,
  };
}

/** A read as `auth` would make it through the API (a guest's when null). */
function asRequest(auth: HookRecord | null): RecordRequest {
  const as = auth
    ? {
        collectionId: auth.collection().id,
        collectionName: auth.collection().name,
        record: auth.values(),
        isSuperuser: auth.isSuperuser(),
      }
    : null;
  return { auth: as, query: {}, headers: {}, method: 'GET', context: 'default' };
}
