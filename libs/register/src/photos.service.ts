import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { DomainError, type Page } from '@app/common';
import type { Principal } from '@app/authz';
import { AuditLog, type RequestAudit } from '@app/audit';
import { Photo } from './entities/photo.entity';
import { PersonRecords } from './person-records';

export interface PhotoView {
  id: string;
  sha256: string;
  takenAt: string;
  contentType: string;
  sizeBytes: number;
}

export const toPhotoView = (p: Photo): PhotoView => ({
  id: p.id,
  sha256: p.sha256,
  takenAt: p.takenAt.toISOString(),
  contentType: p.contentType,
  sizeBytes: p.sizeBytes,
});

const JPEG = Buffer.from([0xff, 0xd8, 0xff]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** What the bytes are, by their magic numbers (never by a name or a declared type). */
export function imageType(data: Buffer): 'image/jpeg' | 'image/png' | null {
  if (data.subarray(0, JPEG.length).equals(JPEG)) return 'image/jpeg';
  if (data.subarray(0, PNG.length).equals(PNG)) return 'image/png';
  return null;
}

@Injectable()
export class PhotosService {
  constructor(
    private readonly log: AuditLog,
    private readonly records: PersonRecords,
  ) {}

  async add(audit: RequestAudit, principal: Principal, personId: string, data: Buffer): Promise<PhotoView> {
    audit.on('photo').subject(personId);
    const contentType = imageType(data);
    if (!contentType) throw new DomainError('unsupported_media_type', 'A photo must be a JPEG or PNG image.');
    return this.log.transaction(audit, async (manager) => {
      await this.records.within(manager, audit, principal, personId, 'read', true);
      const repository = manager.getRepository(Photo);
      const photo = await repository.save(
        repository.create({
          personId,
          contentType,
          sizeBytes: data.length,
          sha256: createHash('sha256').update(data).digest('hex'),
          data,
        }),
      );
      audit.on('photo', photo.id);
      const view = toPhotoView(photo);
      await this.records.recordHistory(manager, audit, {
        personId,
        part: 'photo',
        partId: photo.id,
        change: 'create',
        before: null,
        after: { ...view },
      });
      return view;
    });
  }

  list(audit: RequestAudit, principal: Principal, personId: string): Promise<Page<PhotoView>> {
    return this.records.listParts(audit, principal, personId, 'photo', async (manager) =>
      (await manager.getRepository(Photo).find({ where: { personId }, order: { takenAt: 'DESC', id: 'DESC' } })).map(
        toPhotoView,
      ),
    );
  }

  /** The image itself, for a reader of the person. */
  async image(
    audit: RequestAudit,
    principal: Principal,
    personId: string,
    photoId: string,
  ): Promise<{ contentType: string; data: Buffer }> {
    audit.on('photo', photoId).subject(personId);
    return this.log.transaction(audit, async (manager) => {
      await this.records.within(manager, audit, principal, personId);
      const photo = await manager
        .getRepository(Photo)
        .createQueryBuilder('p')
        .addSelect('p.data')
        .where('p.id = :photoId AND p.person_id = :personId', { photoId, personId })
        .getOne();
      if (!photo) throw DomainError.notFound('No such photo.');
      audit.resultCount = 1;
      return { contentType: photo.contentType, data: photo.data };
    });
  }

  async ofPerson(manager: EntityManager, personId: string): Promise<PhotoView[]> {
    return (
      await manager.getRepository(Photo).find({ where: { personId }, order: { takenAt: 'DESC', id: 'DESC' } })
    ).map(toPhotoView);
  }
}
