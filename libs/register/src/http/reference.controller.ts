import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  ApiAnswer,
  ApiIfMatch,
  ApiListAnswer,
  ApiPageAnswer,
  IfMatchVersion,
  type Page,
  UUID_PARAM,
  VersionedETag,
} from '@app/common';
import { Permission, RequiresReason } from '@app/authz';
import { Audited, AuditContext, type RequestAudit } from '@app/audit';
import { CountryView } from '../countries';
import type { MEASURE_TYPES } from '../measure-types';
import {
  CreateCounsellingInstitutionDto,
  CreateOffenceDto,
  CreateUiksOfficeDto,
  ReferenceHistoryQuery,
  UpdateCounsellingInstitutionDto,
  UpdateOffenceDto,
  UpdateUiksOfficeDto,
} from '../dto/reference.dto';
import { CreatePlaceDto, PlaceQuery, UpdatePlaceDto } from '../dto/place.dto';
import { PlacesService, PlaceView } from '../places.service';
import {
  CounsellingInstitutionView,
  MeasureTypeView,
  OffenceView,
  PoliceAdministrationView,
  ReferenceHistoryItem,
  type ReferenceList,
  ReferenceService,
  UiksOfficeView,
} from '../reference.service';

@ApiTags('reference')
@Controller('reference')
export class ReferenceController {
  constructor(
    private readonly reference: ReferenceService,
    private readonly places: PlacesService,
  ) {}

  @Get('police-administrations')
  @Permission('read', 'Reference')
  @Audited('reference.read', { resource: 'police_administration' })
  @ApiOperation({ summary: 'The 27 police administrations' })
  @ApiListAnswer(PoliceAdministrationView)
  policeAdministrations(@AuditContext() audit: RequestAudit): Promise<ReferenceList<{ code: string; name: string }>> {
    return this.reference.policeAdministrations(audit);
  }

  @Get('countries')
  @Permission('read', 'Reference')
  @Audited('reference.read', { resource: 'country' })
  @ApiOperation({
    summary: 'The countries of ISO 3166-1: alpha-2 code, Serbian (Latin) and English names, by Serbian name',
  })
  @ApiListAnswer(CountryView, 'The countries in the Serbian collation')
  countries(@AuditContext() audit: RequestAudit): Promise<ReferenceList<CountryView>> {
    return this.reference.countries(audit);
  }

  @Get('uiks-offices')
  @Permission('read', 'Reference')
  @Audited('reference.read', { resource: 'uiks_office' })
  @ApiOperation({ summary: 'The offices of the UIKS probation service, with the police administrations each serves' })
  @ApiListAnswer(UiksOfficeView)
  uiksOffices(@AuditContext() audit: RequestAudit): Promise<ReferenceList<UiksOfficeView>> {
    return this.reference.uiksOffices(audit);
  }

  @Post('uiks-offices')
  @Permission('manage', 'Reference')
  @RequiresReason()
  @Audited('reference.create', { resource: 'uiks_office' })
  @ApiOperation({ summary: 'Add a UIKS office (admins; X-Access-Reason goes in the history)' })
  @ApiResponse({ status: 201, description: 'The office (ETag: its version)' })
  @ApiResponse({ status: 400, description: 'Malformed, or an unknown police administration code' })
  @ApiResponse({ status: 409, description: 'An office with that code exists' })
  @VersionedETag()
  @ApiAnswer(UiksOfficeView)
  createOffice(@AuditContext() audit: RequestAudit, @Body() body: CreateUiksOfficeDto): Promise<UiksOfficeView> {
    return this.reference.createOffice(audit, body);
  }

  @Patch('uiks-offices/:code')
  @Permission('manage', 'Reference')
  @RequiresReason()
  @Audited('reference.update', { resource: 'uiks_office' })
  @ApiIfMatch()
  @ApiParam({ name: 'code', example: 'UIKS-NIS' })
  @ApiOperation({ summary: 'Change a UIKS office: name, police administrations served, active (admins; If-Match)' })
  @ApiResponse({ status: 200, description: 'The office, changed (ETag: its version)' })
  @VersionedETag()
  @ApiAnswer(UiksOfficeView)
  updateOffice(
    @AuditContext() audit: RequestAudit,
    @Param('code') code: string,
    @IfMatchVersion() version: number,
    @Body() body: UpdateUiksOfficeDto,
  ): Promise<UiksOfficeView> {
    return this.reference.updateOffice(audit, code, version, body);
  }

  @Get('counselling-institutions')
  @Permission('read', 'Reference')
  @Audited('reference.read', { resource: 'counselling_institution' })
  @ApiOperation({
    summary: 'The institutions a counselling measure may name (centres for social work, health centres)',
  })
  @ApiListAnswer(CounsellingInstitutionView)
  counsellingInstitutions(@AuditContext() audit: RequestAudit): Promise<ReferenceList<CounsellingInstitutionView>> {
    return this.reference.counsellingInstitutions(audit);
  }

  @Post('counselling-institutions')
  @Permission('manage', 'Reference')
  @RequiresReason()
  @Audited('reference.create', { resource: 'counselling_institution' })
  @ApiOperation({ summary: 'Add a counselling institution (admins; X-Access-Reason goes in the history)' })
  @ApiResponse({ status: 201, description: 'The institution (ETag: its version)' })
  @ApiResponse({ status: 400, description: 'Malformed' })
  @ApiResponse({ status: 409, description: 'An institution with that code exists' })
  @VersionedETag()
  @ApiAnswer(CounsellingInstitutionView)
  createInstitution(
    @AuditContext() audit: RequestAudit,
    @Body() body: CreateCounsellingInstitutionDto,
  ): Promise<CounsellingInstitutionView> {
    return this.reference.createInstitution(audit, body);
  }

  @Patch('counselling-institutions/:code')
  @Permission('manage', 'Reference')
  @RequiresReason()
  @Audited('reference.update', { resource: 'counselling_institution' })
  @ApiIfMatch()
  @ApiParam({ name: 'code', example: 'CSR-NIS' })
  @ApiOperation({ summary: 'Change a counselling institution: name, city, active (admins; If-Match)' })
  @ApiResponse({ status: 200, description: 'The institution, changed (ETag: its version)' })
  @VersionedETag()
  @ApiAnswer(CounsellingInstitutionView)
  updateInstitution(
    @AuditContext() audit: RequestAudit,
    @Param('code') code: string,
    @IfMatchVersion() version: number,
    @Body() body: UpdateCounsellingInstitutionDto,
  ): Promise<CounsellingInstitutionView> {
    return this.reference.updateInstitution(audit, code, version, body);
  }

  @Get('offences')
  @Permission('read', 'Reference')
  @Audited('reference.read', { resource: 'offence' })
  @ApiOperation({ summary: 'Offences of the Criminal Code covered by the law (the catalogue convictions must use)' })
  @ApiListAnswer(OffenceView)
  offences(@AuditContext() audit: RequestAudit): Promise<ReferenceList<OffenceView>> {
    return this.reference.offences(audit);
  }

  @Post('offences')
  @Permission('manage', 'Reference')
  @RequiresReason()
  @Audited('reference.create', { resource: 'offence' })
  @ApiOperation({ summary: 'Add an article to the offence catalogue (admins; X-Access-Reason goes in the history)' })
  @ApiResponse({ status: 201, description: 'The offence (ETag: its version)' })
  @ApiResponse({ status: 409, description: 'The article is in the catalogue' })
  @VersionedETag()
  @ApiAnswer(OffenceView)
  createOffence(@AuditContext() audit: RequestAudit, @Body() body: CreateOffenceDto): Promise<OffenceView> {
    return this.reference.createOffence(audit, body);
  }

  @Patch('offences/:article')
  @Permission('manage', 'Reference')
  @RequiresReason()
  @Audited('reference.update', { resource: 'offence' })
  @ApiIfMatch()
  @ApiParam({ name: 'article', example: '182a' })
  @ApiOperation({ summary: 'Change an offence: title, paragraphs, juvenileOnly (admins; If-Match)' })
  @ApiResponse({ status: 200, description: 'The offence, changed (ETag: its version)' })
  @VersionedETag()
  @ApiAnswer(OffenceView)
  updateOffence(
    @AuditContext() audit: RequestAudit,
    @Param('article') article: string,
    @IfMatchVersion() version: number,
    @Body() body: UpdateOffenceDto,
  ): Promise<OffenceView> {
    return this.reference.updateOffence(audit, article, version, body);
  }

  @Get('places')
  @Permission('read', 'Place')
  @Audited('reference.read', { resource: 'place' })
  @ApiOperation({
    summary:
      'Places where minors gather (kindergartens, schools, playgrounds, sports clubs), by name; filter by kind or active (readers of the register, admins)',
  })
  @ApiPageAnswer(PlaceView)
  listPlaces(@AuditContext() audit: RequestAudit, @Query() query: PlaceQuery): Promise<Page<PlaceView>> {
    return this.places.list(audit, query);
  }

  @Post('places')
  @Permission('manage', 'Place')
  @RequiresReason()
  @Audited('reference.create', { resource: 'place' })
  @ApiOperation({ summary: 'Add a place where minors gather (admins; X-Access-Reason goes in the history)' })
  @ApiResponse({ status: 201, description: 'The place (ETag: its version)' })
  @ApiResponse({ status: 400, description: 'Malformed: an unknown kind, coordinates out of range, a missing name' })
  @ApiResponse({ status: 409, description: 'A place with that external id exists' })
  @VersionedETag()
  @ApiAnswer(PlaceView)
  createPlace(@AuditContext() audit: RequestAudit, @Body() body: CreatePlaceDto): Promise<PlaceView> {
    return this.places.create(audit, body);
  }

  @Patch('places/:id')
  @Permission('manage', 'Place')
  @RequiresReason()
  @Audited('reference.update', { resource: 'place' })
  @ApiIfMatch()
  @ApiOperation({ summary: 'Change a place: kind, name, address, coordinates, active (admins; If-Match)' })
  @ApiResponse({ status: 200, description: 'The place, changed (ETag: its version)' })
  @VersionedETag()
  @ApiAnswer(PlaceView)
  updatePlace(
    @AuditContext() audit: RequestAudit,
    @Param('id', UUID_PARAM) id: string,
    @IfMatchVersion() version: number,
    @Body() body: UpdatePlaceDto,
  ): Promise<PlaceView> {
    return this.places.update(audit, id, version, body);
  }

  @Get('history')
  @Permission('manage', 'Reference')
  @Audited('reference.history', { resource: 'reference' })
  @ApiOperation({
    summary:
      'The changes of the UIKS offices, counselling institutions, offence catalogue or places, newest first (admins)',
  })
  @ApiPageAnswer(ReferenceHistoryItem)
  history(
    @AuditContext() audit: RequestAudit,
    @Query() query: ReferenceHistoryQuery,
  ): Promise<Page<ReferenceHistoryItem>> {
    return this.reference.history(audit, query);
  }

  @Get('measure-types')
  @Permission('read', 'Reference')
  @Audited('reference.read', { resource: 'measure_type' })
  @ApiOperation({ summary: 'The five special measures' })
  @ApiListAnswer(MeasureTypeView)
  measureTypes(@AuditContext() audit: RequestAudit): Promise<ReferenceList<(typeof MEASURE_TYPES)[number]>> {
    return this.reference.measureTypes(audit);
  }
}
