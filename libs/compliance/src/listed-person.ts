import { ApiProperty } from '@nestjs/swagger';

/** Whom a row of a working list is about: every list names the person. */
export class ListedPerson {
  @ApiProperty({ format: 'uuid', example: '7a4e2c1b-9d8f-4e3a-b2c1-0f9e8d7c6b5a' })
  personId!: string;

  @ApiProperty({ example: 'Petrović' })
  surname!: string;

  @ApiProperty({ example: 'Marko' })
  givenNames!: string;
}
