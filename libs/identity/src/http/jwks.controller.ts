import { Controller, Get, Header } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, JsonWebKeySet } from '@app/common';
import { Public } from '@app/authz';
import { IdentitySecrets } from '../secrets/identity-secrets';

@ApiTags('identity')
@Controller('.well-known')
export class JwksController {
  constructor(private readonly secrets: IdentitySecrets) {}

  @Get('jwks.json')
  @Public()
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({ summary: 'Public keys that verify access tokens (ES256)' })
  @ApiAnswer(JsonWebKeySet)
  jwks(): { keys: Record<string, unknown>[] } {
    return this.secrets.jwks();
  }
}
