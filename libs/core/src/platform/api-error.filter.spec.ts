import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { HttpException } from '@nestjs/common';

import { BadRequestError } from '../errors/api-error';
import { toEnvelope } from './api-error.filter';

void describe('toEnvelope', () => {
  void it('answers an unsupported or unreadable content type with a 400, from whichever layer', () => {
    const fastify = Object.assign(new Error('Unsupported Media Type'), {
      statusCode: 415,
      code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
    });
    for (const error of [fastify, new HttpException('Unsupported Media Type', 415)]) {
      assert.deepEqual(toEnvelope(error), { status: 400, message: 'Unsupported Content-Type.', data: {} });
    }
  });

  void it('keeps API errors and hides unknown ones behind a generic 500', () => {
    assert.deepEqual(toEnvelope(new BadRequestError('Nope.')), { status: 400, message: 'Nope.', data: {} });
    assert.deepEqual(toEnvelope(new TypeError('x is undefined')), {
      status: 500,
      message: 'Something went wrong while processing your request.',
      data: {},
    });
  });
});
