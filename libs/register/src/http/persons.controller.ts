import { Body, Controller, Get, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiIfMatch, etagOf, IfMatchVersion, type Page, PageQuery, UUID_PARAM } from '@app/common';
import { CurrentPrincipal, Permission, type Principal, RequiresReason } from '@app/authz';
import { Audited, AuditContext, type RequestAudit } from '@app/audit';
import { CreatePersonDto, LookupQuery, PersonQuery, UpdatePersonDto } from '../dto/person.dto';
import type { PersonListItem, PersonView } from '../person.views';
import { type HistoryItem, PersonsService } from '../persons.service';

@ApiTags('register')
@Controller('persons')
@RequiresReason()
export class PersonsController {
  constructor(private readonly persons: PersonsService) {}

  @Post()
  @Permission('create', 'Person')
  @Audited('person.create', { resource: 'person' })
  @ApiOperation({ summary: 'Register a person (JMBG for Serbian citizens, otherwise an identity document)' })
  create(@AuditContext() audit: RequestAudit, @Body() body: CreatePersonDto): Promise<PersonView> {
    return this.persons.create(audit, body);
  }

  @Get()
  @Permission('read', 'Person')
  @Audited('person.search', { resource: 'person' })
  @ApiOperation({ summary: 'Find persons by name in either script, with or without diacritics, or by JMBG' })
  search(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Query() query: PersonQuery,
  ): Promise<Page<PersonListItem>> {
    return this.persons.search(audit, principal, query);
  }

  @Get('lookup')
  @Permission('lookup', 'PersonLookup')
  @Audited('person.lookup', { resource: 'person', flagged: true })
  @ApiOperation({ summary: 'Cross-region lookup: registered or not, and the active measures only' })
  lookup(
    @AuditContext() audit: RequestAudit,
    @Query() query: LookupQuery,
  ): Promise<{ registered: boolean; activeMeasures: string[]; banPlacesWithMinors: boolean }> {
    return this.persons.lookup(audit, query.jmbg);
  }

  @Get(':id')
  @Permission('read', 'Person')
  @Audited('person.read', { resource: 'person' })
  @ApiOperation({ summary: 'A person, with what your role may see (ETag: the version)' })
  async get(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PersonView> {
    const person = await this.persons.get(audit, principal, id);
    reply.header('etag', etagOf(person.version));
    return person;
  }

  @Patch(':id')
  @Permission('update', 'Person')
  @Audited('person.update', { resource: 'person' })
  @ApiIfMatch()
  @ApiOperation({ summary: 'Correct personal data (If-Match required; the reason goes in the history)' })
  async update(
    @AuditContext() audit: RequestAudit,
    @Param('id', UUID_PARAM) id: string,
    @IfMatchVersion() version: number,
    @Body() body: UpdatePersonDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PersonView> {
    const person = await this.persons.update(audit, id, version, body);
    reply.header('etag', etagOf(person.version));
    return person;
  }

  @Get(':id/history')
  @Permission('read', 'PersonHistory')
  @Audited('person.history', { resource: 'person' })
  @ApiOperation({ summary: 'Every change to the person and its parts, newest first' })
  history(
    @AuditContext() audit: RequestAudit,
    @Param('id', UUID_PARAM) id: string,
    @Query() query: PageQuery,
  ): Promise<Page<HistoryItem>> {
    return this.persons.history(audit, id, query.limit, query.cursor);
  }
}
