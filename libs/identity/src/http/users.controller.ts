import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Res, UseInterceptors } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  answerWith,
  ApiIfMatch,
  IfMatchVersion,
  type Page,
  PageQuery,
  UUID_PARAM,
  VersionedETag,
  VersionedETagInterceptor,
} from '@app/common';
import { Audited, AuditContext, type RequestAudit } from '@app/audit';
import { CurrentPrincipal, Permission, type Principal } from '@app/authz';
import { CreateUserDto, UpdateUserDto, UserQuery } from '../dto/user.dto';
import { UsersService } from '../users.service';
import type { RoleChangeView, UserView } from '../views';

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

  @Get('role-changes')
  @Permission('manage', 'User')
  @Audited('user.role_change_list', { resource: 'user' })
  @ApiOperation({ summary: 'Role changes towards a register role waiting for a second admin, oldest first' })
  listRoleChanges(@AuditContext() audit: RequestAudit, @Query() query: PageQuery): Promise<Page<RoleChangeView>> {
    return this.users.listRoleChanges(audit, query);
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
  @ApiOperation({
    summary:
      'Change display name, role, region, e-mail or active (If-Match required); not one’s own role, region or ' +
      'active state (403); a new register role is a pending change (202) that another admin confirms',
  })
  @ApiResponse({ status: 200, description: 'The account, changed (ETag: its version)' })
  @ApiResponse({
    status: 202,
    description:
      'A new role registry_clerk, police_officer, judicial_officer or auditor: the pending role change, applied ' +
      'when another admin confirms it (POST /users/{id}/role-changes/{changeId}/confirm); nothing else is changed',
  })
  // The interceptor of @VersionedETag(): the ETag of a 200; a pending change has no version, so no ETag.
  @UseInterceptors(VersionedETagInterceptor)
  async update(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @IfMatchVersion() version: number,
    @Body() body: UpdateUserDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UserView | RoleChangeView> {
    // 200 with the account, or 202 with the pending role change: the status the audit event records.
    return answerWith(reply, await this.users.update(audit, principal.userId, id, version, body));
  }

  @Post(':id/role-changes/:changeId/confirm')
  @Permission('manage', 'User')
  @Audited('user.role_change_confirm', { resource: 'user', flagged: true })
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Confirm a pending role change: applies it and ends the account’s sessions; not by the admin who ' +
      'requested it nor by the account itself (403)',
  })
  @VersionedETag()
  confirmRoleChange(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Param('changeId', UUID_PARAM) changeId: string,
  ): Promise<UserView> {
    return this.users.confirmRoleChange(audit, principal.userId, id, changeId);
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
