import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiAnswer,
  ApiIfMatch,
  ApiPageAnswer,
  IfMatchVersion,
  type Page,
  PageQuery,
  UUID_PARAM,
  VersionedETag,
} from '@app/common';
import { CurrentPrincipal, Permission, type Principal, RequiresReason } from '@app/authz';
import { Audited, AuditContext, type RequestAudit } from '@app/audit';
import { CreatePersonDto, LookupQuery, PersonQuery, UpdatePersonDto } from '../dto/person.dto';
import { PersonListItem, PersonView } from '../person.views';
import { LookupAnswer, PersonLookup } from '../access/person-lookup';
import { HistoryItem, PersonReadModel } from '../access/person-read-model';
import { PersonSearch } from '../access/person-search';
import { PersonsService } from '../persons.service';

@ApiTags('register')
@Controller('persons')
@RequiresReason()
export class PersonsController {
  constructor(
    private readonly persons: PersonsService,
    private readonly read: PersonReadModel,
    private readonly finder: PersonSearch,
    private readonly lookups: PersonLookup,
  ) {}

  @Post()
  @Permission('create', 'Person')
  @Audited('person.create', { resource: 'person' })
  @ApiOperation({ summary: 'Register a person (JMBG for Serbian citizens, otherwise an identity document)' })
  @ApiAnswer(PersonView)
  create(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreatePersonDto,
  ): Promise<PersonView> {
    return this.persons.create(audit, principal, body);
  }

  @Get()
  @Permission('read', 'Person')
  @Audited('person.search', { resource: 'person' })
  @ApiOperation({ summary: 'Find persons by name in either script, with or without diacritics, or by JMBG' })
  @ApiPageAnswer(PersonListItem)
  search(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Query() query: PersonQuery,
  ): Promise<Page<PersonListItem>> {
    return this.finder.search(audit, principal, query);
  }

  @Get('lookup')
  @Permission('lookup', 'PersonLookup')
  @Audited('person.lookup', { resource: 'person', flagged: true })
  @ApiOperation({ summary: 'Cross-region lookup: registered or not, and the active measures only' })
  @ApiAnswer(LookupAnswer)
  lookup(@AuditContext() audit: RequestAudit, @Query() query: LookupQuery): Promise<LookupAnswer> {
    return this.lookups.lookup(audit, query.jmbg);
  }

  @Get(':id')
  @Permission('read', 'Person')
  @Audited('person.read', { resource: 'person' })
  @ApiOperation({ summary: 'A person, with what your role may see (ETag: the version)' })
  @VersionedETag()
  @ApiAnswer(PersonView)
  async get(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
  ): Promise<PersonView> {
    const person = await this.read.get(audit, principal, id);
    return person;
  }

  @Patch(':id')
  @Permission('update', 'Person')
  @Audited('person.update', { resource: 'person' })
  @ApiIfMatch()
  @ApiOperation({ summary: 'Correct personal data (If-Match required; the reason goes in the history)' })
  @VersionedETag()
  @ApiAnswer(PersonView)
  async update(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @IfMatchVersion() version: number,
    @Body() body: UpdatePersonDto,
  ): Promise<PersonView> {
    const person = await this.persons.update(audit, principal, id, version, body);
    return person;
  }

  @Get(':id/history')
  @Permission('read', 'PersonHistory')
  @Audited('person.history', { resource: 'person' })
  @ApiOperation({ summary: 'Every change to the person and its parts, newest first' })
  @ApiPageAnswer(HistoryItem)
  history(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Query() query: PageQuery,
  ): Promise<Page<HistoryItem>> {
    return this.read.history(audit, principal, id, query);
  }
}
