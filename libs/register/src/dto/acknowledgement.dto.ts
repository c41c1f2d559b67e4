import { type ApiBodyOptions, ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsArray, IsString, IsUUID, Length } from 'class-validator';
import { IsFreeText, IsIsoDate, UpdateType } from '@app/common';

/** At most this many measures in one acknowledgement (a person has a handful). */
export const MAX_ACKNOWLEDGED_MEASURES = 20;

/** What an acknowledgement records besides the signed form (the text fields of its multipart form). */
export class AcknowledgementFieldsDto {
  @ApiProperty({
    type: [String],
    format: 'uuid',
    description: 'The person’s measures whose duties were explained (at least one)',
  })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(MAX_ACKNOWLEDGED_MEASURES)
  @ArrayUnique()
  @IsUUID('all', { each: true, message: 'measureIds must be UUIDs' })
  measureIds: string[];

  @ApiProperty({ example: '2026-11-30', description: 'The day the duties were explained; not in the future' })
  @IsIsoDate()
  explainedOn: string;

  @ApiProperty({ example: 'Milan Jović, savetnik za izvršenje, Poverenička kancelarija Niš' })
  @IsString()
  @IsFreeText()
  @Length(1, 200)
  explainedBy: string;
}

/** A correction of an acknowledgement's measures, day or who explained them; the signed form stays. */
export class UpdateAcknowledgementDto extends UpdateType(AcknowledgementFieldsDto) {}

/** The multipart form of a new acknowledgement, as OpenAPI describes it. */
export const ACKNOWLEDGEMENT_FORM_BODY: ApiBodyOptions = {
  schema: {
    type: 'object',
    required: ['file', 'measureIds', 'explainedOn', 'explainedBy'],
    properties: {
      file: {
        type: 'string',
        format: 'binary',
        description: 'The scanned signed form: PDF, JPEG or PNG (known by its content), at most 10 MiB',
      },
      measureIds: {
        description: 'The measures explained: a JSON array of their ids, or the field repeated once per id',
        oneOf: [
          { type: 'string', example: '["0b6f3f5e-6a47-4a36-9d3e-0f5d7f1e2a10"]' },
          { type: 'array', items: { type: 'string', format: 'uuid' } },
        ],
      },
      explainedOn: { type: 'string', format: 'date', example: '2026-11-30' },
      explainedBy: { type: 'string', minLength: 1, maxLength: 200, example: 'Milan Jović, savetnik za izvršenje' },
    },
  },
};
