import { Inject, Injectable, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import {
  AppConfig,
  BadRequestError,
  ForbiddenError,
  NotFoundError,
  ValidationFailed,
  fieldError,
  fireHook,
  HookPoints,
  randomString,
  type RealtimeSubscribeRequest,
  type RequestAuth,
} from '@lib/core';
import { EventBus } from '@lib/events';
import { RealtimeAuthResolver } from './realtime-auth.resolver';
import type { RealtimeClient } from './realtime-client';
import { RealtimeClients } from './realtime-clients';
import { clientView } from './realtime-hooks';
import { parseTopic, topicsProblem } from './topic';

/** How long a forwarded subscription waits for an instance to say it holds the client (else: unknown id). */
const FORWARD_TIMEOUT_MS = 3000;
/** How long it then waits for that instance's outcome (auth resolution and hooks run there). */
const ANSWER_TIMEOUT_MS = 30_000;
/** The holder's first answer: "the client is here, the outcome follows" (keeps a slow outcome from a false 404). */
const HELD = 102;

export interface SubscribeInput {
  body: Record<string, unknown>;
  authorization: string;
  ip: string;
}

/**
 * `POST /api/realtime` (reference §2.6): replaces a client's subscriptions and binds the request's auth. A
 * client held by another instance is reached over the bus (Redis), which answers with the outcome.
 */
@Injectable()
export class RealtimeSubscriptions implements OnModuleInit, OnModuleDestroy {
  private readonly waiting = new Map<string, (answer: { status: number; message: string }) => void>();
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly clients: RealtimeClients,
    private readonly bus: EventBus,
    private readonly auth: RealtimeAuthResolver,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Optional() @Inject(HookPoints) private readonly hooks: HookPoints | null = null,
  ) {}

  onModuleInit(): void {
    if (!this.distributed) {
      return;
    }
    this.unsubscribe.push(
      this.bus.subscribe('realtime.subscribe', (request) => this.answerForwarded(request)),
      this.bus.subscribe('realtime.subscribed', (answer) => this.waiting.get(answer.requestId)?.(answer)),
    );
  }

  onModuleDestroy(): void {
    this.unsubscribe.forEach((off) => off());
  }

  private get distributed(): boolean {
    return (this.config.redis?.url ?? '') !== '';
  }

  async subscribe(input: SubscribeInput): Promise<void> {
    const { clientId, subscriptions } = validate(input.body);
    const client = this.clients.get(clientId);
    if (client) {
      const auth = await this.auth.resolve(input.authorization || undefined);
      return this.subscribeLocal(client, subscriptions, auth, input.ip);
    }
    if (!this.distributed) {
      throw new NotFoundError('Missing or invalid client id.');
    }
    const requestId = randomString(20);
    const answer = await new Promise<{ status: number; message: string } | null>((resolve) => {
      let timer = setTimeout(() => resolve(null), FORWARD_TIMEOUT_MS);
      this.waiting.set(requestId, (a) => {
        clearTimeout(timer);
        if (a.status === HELD) {
          timer = setTimeout(() => resolve(null), ANSWER_TIMEOUT_MS);
          return;
        }
        resolve(a);
      });
      this.bus.publish('realtime.subscribe', {
        requestId,
        clientId,
        subscriptions,
        authorization: input.authorization,
        ip: input.ip,
      });
    }).finally(() => this.waiting.delete(requestId));
    if (!answer || answer.status === 404) {
      throw new NotFoundError('Missing or invalid client id.');
    }
    if (answer.status === 403) {
      throw new ForbiddenError(answer.message);
    }
    if (answer.status !== 204) {
      throw new BadRequestError(answer.message);
    }
  }

  /** onRealtimeSubscribeRequest (`e.subscriptions` changeable), then `apply`. */
  private subscribeLocal(client: RealtimeClient, subscriptions: string[], auth: RequestAuth | null, ip: string) {
    const event = { client: clientView(client), subscriptions, auth: auth?.record ?? null };
    return fireHook(this.hooks, 'onRealtimeSubscribeRequest', event, async (e) =>
      this.apply(client, e.subscriptions, auth, ip),
    );
  }

  /** Sets the topics and the auth of a local client (guest → auth is the only allowed auth change). */
  apply(client: RealtimeClient, subscriptions: string[], auth: RequestAuth | null, ip: string): void {
    if (client.ip !== ip) {
      throw new BadRequestError("The current and the previous request IP addresses don't match.");
    }
    const current = client.auth;
    if (current && (!auth || auth.collectionId !== current.collectionId || auth.record.id !== current.record.id)) {
      throw new ForbiddenError("The current and the previous request authorization don't match.");
    }
    this.clients.bind(client, auth);
    client.subscriptions.clear();
    for (const key of subscriptions) {
      client.subscriptions.set(key, parseTopic(key));
    }
  }

  private async answerForwarded(request: RealtimeSubscribeRequest): Promise<void> {
    const client = this.clients.get(request.clientId);
    if (!client) {
      return;
    }
    this.bus.publish('realtime.subscribed', { requestId: request.requestId, status: HELD, message: '' });
    let answer = { status: 204, message: '' };
    try {
      const auth = await this.auth.resolve(request.authorization || undefined);
      await this.subscribeLocal(client, request.subscriptions, auth, request.ip);
    } catch (error) {
      const e = error as { status?: number; message?: string };
      answer = { status: e.status ?? 400, message: e.message ?? 'Something went wrong while processing your request.' };
    }
    this.bus.publish('realtime.subscribed', { requestId: request.requestId, ...answer });
  }
}

function validate(body: Record<string, unknown>): { clientId: string; subscriptions: string[] } {
  const clientId = body.clientId;
  const subscriptions = body.subscriptions ?? [];
  if (typeof clientId !== 'string' || clientId.length === 0 || clientId.length > 255) {
    const code =
      typeof clientId === 'string' && clientId.length > 255 ? 'validation_length_out_of_range' : 'validation_required';
    throw new ValidationFailed({
      clientId: fieldError(
        code,
        code === 'validation_required' ? 'Cannot be blank.' : 'The length must be between 1 and 255.',
      ),
    });
  }
  const problem = Array.isArray(subscriptions) ? topicsProblem(subscriptions) : 'Must be a list of topics.';
  if (problem) {
    throw new ValidationFailed({ subscriptions: fieldError('validation_invalid_value', problem) });
  }
  return { clientId, subscriptions: subscriptions as string[] };
}
