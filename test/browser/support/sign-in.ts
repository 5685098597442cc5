// Superuser sign-in through the login page, as a user does it; resolves once the dashboard has left the login page.
import type { Page } from 'playwright-core';

export async function signIn(page: Page, loginUrl: string, who: { email: string; password: string }): Promise<void> {
  await page.goto(loginUrl);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Login', exact: true }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  // The login page's redirect is finished (the address leaves #/login only then): a navigation the caller starts
  // next isn't overtaken by it.
  await page.waitForURL((url) => !url.hash.startsWith('#/login'));
}
