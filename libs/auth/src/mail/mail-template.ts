/** An email template of an auth collection (`{subject, body}`) with PocketBase's placeholders. */
export interface MailTemplate {
  subject: string;
  body: string;
}

export interface TemplateValues {
  APP_NAME: string;
  APP_URL: string;
  TOKEN?: string;
  OTP?: string;
  OTP_ID?: string;
  ALERT_INFO?: string;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Fills `{APP_NAME}`, `{APP_URL}`, `{TOKEN}`, `{OTP}`, `{OTP_ID}`, `{ALERT_INFO}` and `{RECORD:field}`.
 * Record values are HTML-escaped in the body; unknown placeholders stay as written.
 */
export function renderTemplate(
  template: MailTemplate,
  values: TemplateValues,
  record: Record<string, unknown>,
): MailTemplate {
  const fill = (text: string, html: boolean) =>
    text.replace(
      /\{(APP_NAME|APP_URL|TOKEN|OTP|OTP_ID|ALERT_INFO|RECORD:(\w+))\}/g,
      (match, key: string, field?: string) => {
        const raw = field !== undefined ? record[field] : values[key as keyof TemplateValues];
        if (raw === undefined || raw === null) {
          return field !== undefined ? '' : match;
        }
        const value = typeof raw === 'string' ? raw : JSON.stringify(raw);
        return html && field !== undefined ? escapeHtml(value) : value;
      },
    );
  return { subject: fill(template.subject, false), body: fill(template.body, true) };
}
