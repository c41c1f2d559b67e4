import { Controller, Get, Header, Param, Post, Req, Res } from '@nestjs/common';
import { ApiConsumes, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiAnswer, ApiFileAnswer, ApiPageAnswer, type Page, ReadsOwnBody, readUpload, UUID_PARAM } from '@app/common';
import { CurrentPrincipal, Permission, type Principal, RequiresReason } from '@app/authz';
import { Audited, AuditContext, type RequestAudit } from '@app/audit';
import { PhotoView, PhotosService } from '../photos.service';

@ApiTags('register')
@Controller('persons/:id/photos')
@RequiresReason()
export class PhotosController {
  constructor(private readonly photos: PhotosService) {}

  @Post()
  @Permission('update', 'Person')
  @Audited('photo.create', { resource: 'photo' })
  @ReadsOwnBody()
  @ApiConsumes('multipart/form-data')
  @ApiOperation({ summary: 'Add a photo (field `file`; JPEG or PNG by content; at most 5 MiB)' })
  @ApiAnswer(PhotoView)
  async add(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Req() request: FastifyRequest,
  ): Promise<PhotoView> {
    return this.photos.add(audit, principal, id, await readUpload(request, 'file'));
  }

  @Get()
  @Permission('read', 'Photo')
  @Audited('photo.list', { resource: 'photo' })
  @ApiOperation({ summary: 'The person’s photos, newest first' })
  @ApiPageAnswer(PhotoView)
  list(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
  ): Promise<Page<PhotoView>> {
    return this.photos.list(audit, principal, id);
  }

  @Get(':photoId')
  @Permission('read', 'Photo')
  @Audited('photo.read', { resource: 'photo' })
  @Header('Cache-Control', 'no-store')
  @ApiProduces('image/jpeg', 'image/png')
  @ApiOperation({ summary: 'The image, with its content type; never cached' })
  @ApiFileAnswer(['image/jpeg', 'image/png'], 'The image')
  async image(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Param('photoId', UUID_PARAM) photoId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    const { contentType, data } = await this.photos.image(audit, principal, id, photoId);
    reply.header('content-type', contentType);
    return data;
  }
}
