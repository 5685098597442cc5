import { Body, Controller, Get, Patch, UseGuards } from '@nestjs/common';
import { SuperuserGuard } from '@lib/core';
import { SettingsApiService } from './settings-api.service';

@Controller('api/settings')
@UseGuards(SuperuserGuard)
export class SettingsController {
  constructor(private readonly settings: SettingsApiService) {}

  @Get()
  view() {
    return this.settings.view();
  }

  @Patch()
  update(@Body() body: unknown) {
    return this.settings.update(body);
  }
}
