import { Controller, Get } from '@nestjs/common';

/** `GET /api/health` (Fastify answers HEAD from the GET route). */
@Controller('api/health')
export class HealthController {
  @Get()
  check() {
    return { code: 200, message: 'API is healthy.', data: {} };
  }
}
