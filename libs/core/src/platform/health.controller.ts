import { Controller, Get, Optional, Req } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { getRequestAuth } from '../contracts/request-auth';

/** Whether a backup or restore is running in this process (provided by the ops lib where backups live). */
export abstract class BackupActivity {
  abstract readonly busy: boolean;
}

/** Headers that suggest a reverse proxy in front (PocketBase's list; the dashboard reminds superusers of it). */
const PROXY_HEADERS = ['CF-Connecting-IP', 'Fly-Client-IP', 'X-Real-IP', 'X-Forwarded-For'];

/**
 * `GET /api/health` (Fastify answers HEAD from the GET route); superusers also see `canBackup` (no backup or
 * restore running here; false where this process has no backups), `realIP` and `possibleProxyHeader`.
 */
@Controller('api/health')
export class HealthController {
  private activity: BackupActivity | null | undefined;

  constructor(@Optional() private readonly modules?: ModuleRef) {}

  @Get()
  check(@Req() request: FastifyRequest) {
    if (getRequestAuth(request)?.isSuperuser) {
      const proxyHeader = PROXY_HEADERS.find((name) => request.headers[name.toLowerCase()]) ?? '';
      return {
        code: 200,
        message: 'API is healthy.',
        data: {
          canBackup: this.backups() !== null && !this.backups()!.busy,
          realIP: request.ip,
          possibleProxyHeader: proxyHeader,
        },
      };
    }
    return { code: 200, message: 'API is healthy.', data: {} };
  }

  private backups(): BackupActivity | null {
    if (this.activity === undefined) {
      try {
        this.activity = this.modules?.get(BackupActivity, { strict: false }) ?? null;
      } catch {
        this.activity = null;
      }
    }
    return this.activity;
  }
}
