import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { createHash } from 'node:crypto';
import { DomainError, type Page, sniffContentType } from '@app/common';
import type { Principal } from '@app/authz';
import type { RequestAudit } from '@app/audit';
import { PersonAccess } from './access/person-access';
import { Photo } from './entities/photo.entity';

export class PhotoView {
  @ApiProperty({ format: 'uuid', example: 'c2f1a7d4-5b3e-4f6a-8d9c-1e2f3a4b5c6d' })
  id!: string;

  @ApiProperty({ example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' })
  sha256!: string;

  @ApiProperty({ format: 'date', example: '2026-01-15' })
  takenAt!: string;

  @ApiProperty({ enum: ['image/jpeg', 'image/png'], example: 'image/jpeg' })
  contentType!: string;

  @ApiProperty({ example: 183204 })
  sizeBytes!: number;
}

export const toPhotoView = (p: Photo): PhotoView => ({
  id: p.id,
  sha256: p.sha256,
  takenAt: p.takenAt.toISOString(),
  contentType: p.contentType,
  sizeBytes: p.sizeBytes,
});

/** What the bytes are, if an image the register keeps as a photo (by content, never by a name or declared type). */
export function imageType(data: Buffer): 'image/jpeg' | 'image/png' | null {
  const type = sniffContentType(data);
  return type === 'image/jpeg' || type === 'image/png' ? type : null;
}

@Injectable()
export class PhotosService {
  constructor(private readonly access: PersonAccess) {}

  add(audit: RequestAudit, principal: Principal, personId: string, data: Buffer): Promise<PhotoView> {
    audit.on('photo').subject(personId);
    const contentType = imageType(data);
    if (!contentType) throw new DomainError('unsupported_media_type', 'A photo must be a JPEG or PNG image.');
    return this.access.within(audit, principal, { action: 'update', on: 'Person', personId, lock: true }, (person) =>
      person.create(
        Photo,
        'photo',
        { contentType, sizeBytes: data.length, sha256: createHash('sha256').update(data).digest('hex'), data },
        toPhotoView,
      ),
    );
  }

  list(audit: RequestAudit, principal: Principal, personId: string): Promise<Page<PhotoView>> {
    return this.access.list(audit, principal, 'photo', { on: 'Photo', personId }, async (person) =>
      (await person.all(Photo, { takenAt: 'DESC', id: 'DESC' })).map(toPhotoView),
    );
  }

  /** The image itself, for a reader of the person. */
  image(
    audit: RequestAudit,
    principal: Principal,
    personId: string,
    photoId: string,
  ): Promise<{ contentType: string; data: Buffer }> {
    audit.on('photo', photoId).subject(personId);
    const part = { entity: Photo, id: photoId, absent: 'No such photo.' };
    return this.access.within(audit, principal, { action: 'read', on: 'Photo', personId, part }, async (person) => {
      const { contentType, data } = await person.image();
      audit.resultCount = 1;
      return { contentType, data };
    });
  }
}
