import { Controller, Get, Param } from '@nestjs/common';
import { AuthMethodsService } from './auth-methods.service';

@Controller('api/collections/:collection')
export class AuthMethodsController {
  constructor(private readonly methods: AuthMethodsService) {}

  @Get('auth-methods')
  list(@Param('collection') c: string) {
    return this.methods.list(c);
  }
}
