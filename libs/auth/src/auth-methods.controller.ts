import { Controller, Get, Param, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { withFields } from '@lib/records';
import { AuthMethodsService } from './auth-methods.service';

@Controller('api/collections/:collection')
export class AuthMethodsController {
  constructor(private readonly methods: AuthMethodsService) {}

  @Get('auth-methods')
  list(@Param('collection') c: string, @Req() req: FastifyRequest) {
    return withFields(req, this.methods.list(c));
  }
}
