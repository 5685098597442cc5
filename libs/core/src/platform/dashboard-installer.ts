/**
 * The dashboard's first-run installer (PocketBase's `/_/#/pbinstall/<token>`): while no superuser exists,
 * `serve` prints a link carrying a short-lived superuser token of a placeholder record; the installer page
 * creates the first real superuser with it, which removes the placeholder and so kills the link.
 */
export abstract class DashboardInstaller {
  /** A fresh installer token when the database has no superuser yet, else null. */
  abstract installerToken(): Promise<string | null>;
}

/** The email of the installer's placeholder superuser (PocketBase's `core.DefaultInstallerEmail`). */
export const INSTALLER_EMAIL = '__pbinstaller@example.com';

/** How long an installer link works. */
export const INSTALLER_TOKEN_SECONDS = 30 * 60;
