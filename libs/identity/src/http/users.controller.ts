import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiIfMatch, IfMatchVersion, type Page, UUID_PARAM, VersionedETag } from '@app/common';
import { Audited, AuditContext, type RequestAudit } from '@app/audit';
import { Permission } from '@app/authz';
import { CreateUserDto, UpdateUserDto, UserQuery } from '../dto/user.dto';
import { UsersService } from '../users.service';
import type { UserView } from '../views';

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @Permission('manage', 'User')
  @Audited('user.create', { resource: 'user', flagged: true })
  @HttpCode(201)
  @ApiOperation({ summary: 'Create an account' })
  create(@AuditContext() audit: RequestAudit, @Body() body: CreateUserDto): Promise<UserView> {
    return this.users.create(audit, body);
  }

  @Get()
  @Permission('manage', 'User')
  @Audited('user.list', { resource: 'user' })
  @ApiOperation({ summary: 'List accounts' })
  list(@AuditContext() audit: RequestAudit, @Query() query: UserQuery): Promise<Page<UserView>> {
    return this.users.list(audit, query);
  }

  @Get(':id')
  @Permission('manage', 'User')
  @Audited('user.read', { resource: 'user' })
  @ApiOperation({ summary: 'One account (ETag: its version)' })
  @VersionedETag()
  async get(@AuditContext() audit: RequestAudit, @Param('id', UUID_PARAM) id: string): Promise<UserView> {
    const user = await this.users.get(audit, id);
    return user;
  }

  @Patch(':id')
  @Permission('manage', 'User')
  @Audited('user.update', { resource: 'user' })
  @ApiIfMatch()
  @ApiOperation({ summary: 'Change display name, role, region, e-mail or active (If-Match required)' })
  @VersionedETag()
  async update(
    @AuditContext() audit: RequestAudit,
    @Param('id', UUID_PARAM) id: string,
    @IfMatchVersion() version: number,
    @Body() body: UpdateUserDto,
  ): Promise<UserView> {
    const user = await this.users.update(audit, id, version, body);
    return user;
  }

  @Post(':id/reset-password')
  @Permission('manage', 'User')
  @Audited('user.reset_password', { resource: 'user', flagged: true })
  @HttpCode(200)
  @ApiOperation({ summary: 'A temporary password, shown once' })
  resetPassword(
    @AuditContext() audit: RequestAudit,
    @Param('id', UUID_PARAM) id: string,
  ): Promise<{ temporaryPassword: string }> {
    return this.users.resetPassword(audit, id);
  }

  @Post(':id/reset-mfa')
  @Permission('manage', 'User')
  @Audited('user.reset_mfa', { resource: 'user', flagged: true })
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove the authenticator; the user enrols again' })
  async resetMfa(@AuditContext() audit: RequestAudit, @Param('id', UUID_PARAM) id: string): Promise<void> {
    await this.users.resetMfa(audit, id);
  }

  @Post(':id/revoke-sessions')
  @Permission('manage', 'User')
  @Audited('user.revoke_sessions', { resource: 'user' })
  @HttpCode(204)
  @ApiOperation({ summary: 'End every session of the account' })
  async revokeSessions(@AuditContext() audit: RequestAudit, @Param('id', UUID_PARAM) id: string): Promise<void> {
    await this.users.revokeSessions(audit, id);
  }
}
