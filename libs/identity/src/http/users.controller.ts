import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiIfMatch, etagOf, IfMatchVersion, type Page, UUID_PARAM } from '@app/common';
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
  @HttpCode(201)
  @ApiOperation({ summary: 'Create an account' })
  create(@Body() body: CreateUserDto): Promise<UserView> {
    return this.users.create(body);
  }

  @Get()
  @Permission('manage', 'User')
  @ApiOperation({ summary: 'List accounts' })
  list(@Query() query: UserQuery): Promise<Page<UserView>> {
    return this.users.list(query);
  }

  @Get(':id')
  @Permission('manage', 'User')
  @ApiOperation({ summary: 'One account (ETag: its version)' })
  async get(@Param('id', UUID_PARAM) id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<UserView> {
    const user = await this.users.get(id);
    reply.header('etag', etagOf(user.version));
    return user;
  }

  @Patch(':id')
  @Permission('manage', 'User')
  @ApiIfMatch()
  @ApiOperation({ summary: 'Change display name, role, region, e-mail or active (If-Match required)' })
  async update(
    @Param('id', UUID_PARAM) id: string,
    @IfMatchVersion() version: number,
    @Body() body: UpdateUserDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UserView> {
    const user = await this.users.update(id, version, body);
    reply.header('etag', etagOf(user.version));
    return user;
  }

  @Post(':id/reset-password')
  @Permission('manage', 'User')
  @HttpCode(200)
  @ApiOperation({ summary: 'A temporary password, shown once' })
  resetPassword(@Param('id', UUID_PARAM) id: string): Promise<{ temporaryPassword: string }> {
    return this.users.resetPassword(id);
  }

  @Post(':id/reset-mfa')
  @Permission('manage', 'User')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove the authenticator; the user enrols again' })
  async resetMfa(@Param('id', UUID_PARAM) id: string): Promise<void> {
    await this.users.resetMfa(id);
  }

  @Post(':id/revoke-sessions')
  @Permission('manage', 'User')
  @HttpCode(204)
  @ApiOperation({ summary: 'End every session of the account' })
  async revokeSessions(@Param('id', UUID_PARAM) id: string): Promise<void> {
    await this.users.revokeSessions(id);
  }
}
