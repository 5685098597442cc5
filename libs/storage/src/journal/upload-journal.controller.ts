import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { BadRequestError, fieldError, InternalSecretGuard, isPlainObject } from '@lib/core';
import { UploadJournalSweep } from './upload-journal-sweep';

/**
 * `POST /api/_internal/upload-journal/sweep` (behind `NB_INTERNAL_SECRET`): one sweep now, with `graceMs` from the
 * body (default: `NB_UPLOAD_JOURNAL_GRACE_MS`); answers what it did. For operators after a crash, and tests.
 */
@Controller('api/_internal/upload-journal')
@UseGuards(InternalSecretGuard)
export class UploadJournalController {
  constructor(private readonly sweeper: UploadJournalSweep) {}

  @Post('sweep')
  @HttpCode(200)
  sweep(@Body() body: unknown) {
    const grace = isPlainObject(body) ? body.graceMs : undefined;
    if (grace !== undefined && !(typeof grace === 'number' && Number.isSafeInteger(grace) && grace >= 0)) {
      throw new BadRequestError('An error occurred while validating the submitted data.', {
        graceMs: fieldError('validation_invalid_value', 'Must be a whole number of milliseconds, 0 or more.'),
      });
    }
    return this.sweeper.sweep(grace);
  }
}
