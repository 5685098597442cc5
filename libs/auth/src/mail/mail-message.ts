export interface MailAddress {
  address: string;
  name?: string;
}

/** One email, as queued: plain JSON so a worker in another process can send it. */
export interface MailMessage {
  to: MailAddress[];
  subject: string;
  html: string;
  text?: string;
}
