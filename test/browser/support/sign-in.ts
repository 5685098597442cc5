// Superuser sign-in through the login page, as a user does it.
import type { Page } from 'playwright-core';

export async function signIn(page: Page, loginUrl: string, who: { email: string; password: string }): Promise<void> {
  await page.goto(loginUrl);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Login', exact: true }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}
