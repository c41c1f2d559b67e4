import { Alert } from './alert.entity';
import { InboxItem } from './inbox-item.entity';
import { MailMessage } from './mail-message.entity';

export * from './alert.entity';
export { InboxItem, MailMessage };
export const COMPLIANCE_ENTITIES = [Alert, InboxItem, MailMessage];
