import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Res, UseInterceptors } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  answerWith,
  ApiAnswer,
  ApiIfMatch,
  ApiPageAnswer,
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
import { AccountChanges } from '../account-changes';
import { TemporaryPassword, UsersService } from '../users.service';
import { CreatedUserView, RoleChangeView, UserView } from '../views';

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly changes: AccountChanges,
  ) {}

  @Post()
  @Permission('manage', 'User')
  @Audited('user.create', { resource: 'user', flagged: true })
  @HttpCode(201)
  @ApiOperation({
    summary:
      'Create an account, of any role (admin included), inactive until another admin confirms its activation ' +
      '(POST /users/{id}/role-changes/{pendingChangeId}/confirm); the first admins are made by the operator with ' +
      'the CLI (user:create)',
  })
  @ApiResponse({
    status: 201,
    description:
      'The account, `active: false`, and `pendingChangeId`: the activation another admin than the creator ' +
      'confirms; until then sign-in answers 401',
  })
  @ApiAnswer(CreatedUserView)
  create(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateUserDto,
  ): Promise<CreatedUserView> {
    return this.users.create(audit, principal.userId, body);
  }

  @Get()
  @Permission('manage', 'User')
  @Audited('user.list', { resource: 'user' })
  @ApiOperation({ summary: 'List accounts' })
  @ApiPageAnswer(UserView)
  list(@AuditContext() audit: RequestAudit, @Query() query: UserQuery): Promise<Page<UserView>> {
    return this.users.list(audit, query);
  }

  @Get('role-changes')
  @Permission('manage', 'User')
  @Audited('user.role_change_list', { resource: 'user' })
  @ApiOperation({
    summary:
      'Changes waiting for a second admin, oldest first: new roles (kind role), new accounts (activation), ' +
      'password and MFA resets (password_reset, mfa_reset); admin accounts included',
  })
  @ApiPageAnswer(RoleChangeView)
  listRoleChanges(@AuditContext() audit: RequestAudit, @Query() query: PageQuery): Promise<Page<RoleChangeView>> {
    return this.changes.list(audit, query);
  }

  @Get(':id')
  @Permission('manage', 'User')
  @Audited('user.read', { resource: 'user' })
  @ApiOperation({ summary: 'One account (ETag: its version)' })
  @VersionedETag()
  @ApiAnswer(UserView)
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
      'active state (403); a new role, admin included, is a pending change (202) that another admin confirms',
  })
  @ApiResponse({ status: 200, description: 'The account, changed (ETag: its version)' })
  @ApiResponse({
    status: 202,
    description:
      'A new role (any, admin included): the pending role change, applied when another admin confirms it ' +
      '(POST /users/{id}/role-changes/{changeId}/confirm); nothing else is changed',
  })
  // The interceptor of @VersionedETag(): the ETag of a 200; a pending change has no version, so no ETag.
  @UseInterceptors(VersionedETagInterceptor)
  @ApiAnswer(UserView, { statuses: [200] })
  @ApiAnswer(RoleChangeView, { statuses: [202] })
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
      'Confirm a pending change of any kind: applies it (a role change or reset ends the account’s sessions); not ' +
      'by the admin who requested it nor by the account itself (403)',
  })
  @ApiResponse({
    status: 200,
    description:
      'The account (ETag: its version) for kinds role and mfa_reset; `{temporaryPassword}` for password_reset ' +
      'and activation, shown once and only to the confirming admin: an activated account signs in first with it ' +
      '(403 password_change_required, then POST /auth/password), never with the password its creator chose',
  })
  // The interceptor of @VersionedETag(): the ETag of an account; a temporary password has no version.
  @UseInterceptors(VersionedETagInterceptor)
  @ApiAnswer([UserView, TemporaryPassword])
  confirmChange(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Param('changeId', UUID_PARAM) changeId: string,
  ): Promise<UserView | TemporaryPassword> {
    return this.changes.confirm(audit, principal.userId, id, changeId);
  }

  @Post(':id/reset-password')
  @Permission('manage', 'User')
  @Audited('user.reset_password', { resource: 'user', flagged: true })
  @ApiOperation({
    summary:
      'A pending reset (202), of an account of any role, admin included, that another admin confirms; only that ' +
      'admin sees the temporary password. Not one’s own account (403)',
  })
  @ApiResponse({
    status: 202,
    description:
      'The pending change (kind password_reset); nothing is changed until another admin confirms it ' +
      '(POST /users/{id}/role-changes/{changeId}/confirm), which answers `{temporaryPassword}`, shown once',
  })
  @ApiAnswer(RoleChangeView, { statuses: [202] })
  async resetPassword(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TemporaryPassword | RoleChangeView> {
    return answerWith(reply, await this.users.resetPassword(audit, principal.userId, id));
  }

  @Post(':id/reset-mfa')
  @Permission('manage', 'User')
  @Audited('user.reset_mfa', { resource: 'user', flagged: true })
  @ApiOperation({
    summary:
      'Remove the authenticator (the user enrols again): a pending reset (202), of an account of any role, admin ' +
      'included, that another admin confirms. Not one’s own account (403)',
  })
  @ApiResponse({
    status: 202,
    description: 'The pending change (kind mfa_reset), applied when another admin confirms it',
  })
  @ApiAnswer(RoleChangeView, { statuses: [202] })
  async resetMfa(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RoleChangeView | undefined> {
    return answerWith(reply, await this.users.resetMfa(audit, principal.userId, id));
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
