import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { InternalApiKey } from './internal-api-key';

/** The bearer token of the ledger's operator endpoints (LEDGER_INTERNAL_API_KEY), or null. */
export const LEDGER_INTERNAL_API_KEY = Symbol('LEDGER_INTERNAL_API_KEY');

/** `Authorization: Bearer <LEDGER_INTERNAL_API_KEY>`: 401 without the right token, 403 if unset. */
@Injectable()
export class InternalApiKeyGuard implements CanActivate {
  private readonly apiKey: InternalApiKey;

  constructor(@Inject(LEDGER_INTERNAL_API_KEY) apiKey: string | null) {
    this.apiKey = new InternalApiKey(apiKey);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const access = this.apiKey.access(request.headers.authorization);
    if (access === 'disabled') {
      throw new ForbiddenException(
        'The internal API is disabled: LEDGER_INTERNAL_API_KEY is not set.',
      );
    }
    if (access === 'unauthenticated') {
      const reply = context.switchToHttp().getResponse<FastifyReply>();
      reply.header('WWW-Authenticate', 'Bearer realm="ledger"');
      throw new UnauthorizedException('Send Authorization: Bearer <LEDGER_INTERNAL_API_KEY>.');
    }
    return true;
  }
}
