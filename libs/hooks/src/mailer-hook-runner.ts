import { Injectable } from '@nestjs/common';
import { MailerHooks, type MailMessage } from '@lib/auth';
import { runChain } from './hook-chain';
import { HookDataService } from './hook-data.service';
import { HookRegistry } from './hook-registry';
import type { MailerEvent } from './hook-types';

/** `onMailerSend`: handlers may change the message, or drop it by returning without `e.next()`. */
@Injectable()
export class MailerHookRunner extends MailerHooks {
  constructor(
    private readonly registry: HookRegistry,
    private readonly data: HookDataService,
  ) {
    super();
  }

  override async send(message: MailMessage, deliver: (message: MailMessage) => Promise<void>): Promise<void> {
    if (this.registry.mailer.length === 0) {
      return deliver(message);
    }
    const event: MailerEvent = { app: this.data.api(null), message, next: async () => undefined };
    await runChain(this.registry.mailer, event, () => deliver(event.message));
  }
}
