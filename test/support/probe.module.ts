import { Body, Controller, Get, HttpCode, Module, Post, Query } from '@nestjs/common';
import { Type } from 'class-transformer';
import { Public } from '@app/authz';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

class ProbeBody {
  @IsString()
  @Length(1, 10)
  name: string;

  @IsOptional()
  @IsInt()
  count?: number;
}

class ProbeQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

/** Routes that exist only in tests, to drive the HTTP pipeline (validation, problems, limits). */
@Public()
@Controller('probe')
class ProbeController {
  @Post()
  @HttpCode(201)
  create(@Body() body: ProbeBody): ProbeBody {
    return body;
  }

  @Get('query')
  list(@Query() query: ProbeQuery): ProbeQuery {
    return query;
  }

  @Post('no-body')
  @HttpCode(204)
  noBody(): void {}

  @Get('fail')
  fail(): never {
    throw new Error('relation "secret_table" does not exist at QueryFailedError (typeorm)');
  }

  @Get('database-down')
  databaseDown(): never {
    throw Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:5432'), { code: 'ECONNREFUSED' });
  }
}

@Module({ controllers: [ProbeController] })
export class ProbeModule {}
