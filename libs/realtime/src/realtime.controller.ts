import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { readBody } from '@lib/core';
import { RealtimeSubscriptions } from './realtime-subscriptions.service';

/** `POST /api/realtime`: sets a client's subscriptions (204). */
@Controller('api/realtime')
export class RealtimeController {
  constructor(private readonly subscriptions: RealtimeSubscriptions) {}

  @Post()
  @HttpCode(204)
  subscribe(@Req() req: FastifyRequest): Promise<void> {
    return this.subscriptions.subscribe({
      body: readBody(req).data,
      authorization: req.headers.authorization ?? '',
      ip: req.ip,
    });
  }
}
