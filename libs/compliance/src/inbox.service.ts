import { Injectable } from '@nestjs/common';
import { decodeCursor, DEFAULT_PAGE_SIZE, DomainError, keysetTime, type Page, toPage } from '@app/common';
import type { Principal } from '@app/authz';
import { AuditLog, type RequestAudit } from '@app/audit';
import type { InboxQuery } from './compliance.dto';
import { InboxItem } from './entities';

export interface InboxItemView {
  id: string;
  alertId: string | null;
  kind: string;
  /** The check-in's due date for `check_in_due`, the alert's otherwise. */
  dueDate: string;
  createdAt: Date;
  readAt: Date | null;
}

function toInboxView(item: InboxItem): InboxItemView {
  return {
    id: item.id,
    alertId: item.alertId,
    kind: item.kind,
    dueDate: item.dueDate,
    createdAt: item.createdAt,
    readAt: item.readAt,
  };
}

/** Each user's own reminders: new alerts and check-ins falling due. */
@Injectable()
export class InboxService {
  constructor(private readonly log: AuditLog) {}

  list(audit: RequestAudit, principal: Principal, query: InboxQuery): Promise<Page<InboxItemView>> {
    audit.on('inbox');
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    return this.log.transaction(audit, async (manager) => {
      const q = manager
        .getRepository(InboxItem)
        .createQueryBuilder('i')
        .where('i.user_id = :userId', { userId: principal.userId });
      if (query.unread === 'true') q.andWhere('i.read_at IS NULL');
      if (query.unread === 'false') q.andWhere('i.read_at IS NOT NULL');
      if (query.cursor) {
        const [createdAt, id] = decodeCursor(query.cursor, ['time', 'uuid']);
        q.andWhere('(i.created_at, i.id) < (:createdAt, :id)', { createdAt, id });
      }
      const { entities, raw } = await q
        .addSelect(keysetTime('i.created_at'), 'position_at')
        .orderBy('i.created_at', 'DESC')
        .addOrderBy('i.id', 'DESC')
        .limit(limit + 1)
        .getRawAndEntities();
      const rows = entities.map((item, i) => ({ item, at: raw[i].position_at as string }));
      const page = toPage(
        rows,
        limit,
        ({ item }) => toInboxView(item),
        ({ item, at }) => [at, item.id],
      );
      audit.resultCount = page.items.length;
      audit.subject(...new Set(entities.slice(0, limit).map((item) => item.personId)));
      return page;
    });
  }

  markRead(audit: RequestAudit, principal: Principal, id: string): Promise<void> {
    audit.on('inbox', id);
    return this.log.transaction(audit, async (manager) => {
      const repository = manager.getRepository(InboxItem);
      const item = await repository.findOneBy({ id, userId: principal.userId });
      if (!item) throw DomainError.notFound('No such inbox item.');
      audit.subject(item.personId);
      if (item.readAt === null) await repository.update({ id }, { readAt: new Date() });
    });
  }
}
