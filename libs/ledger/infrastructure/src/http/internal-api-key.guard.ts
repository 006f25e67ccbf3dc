import { createHash, timingSafeEqual } from 'node:crypto';
import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The bearer token of the ledger's operator endpoints (LEDGER_INTERNAL_API_KEY), or null when unset. */
export const LEDGER_INTERNAL_API_KEY = Symbol('LEDGER_INTERNAL_API_KEY');

/** Digests of equal length, so comparing them takes the same time whatever the token. */
function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/**
 * `Authorization: Bearer <LEDGER_INTERNAL_API_KEY>` on the operator endpoints: 401 without the
 * right token. With no token configured the endpoints are closed to everyone (403): they listen on
 * every interface in containers, so open must never be the default.
 */
@Injectable()
export class InternalApiKeyGuard implements CanActivate {
  private readonly expected: Buffer | null;

  constructor(@Inject(LEDGER_INTERNAL_API_KEY) apiKey: string | null) {
    this.expected = apiKey === null ? null : digest(apiKey);
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.expected === null) {
      throw new ForbiddenException('The internal API is disabled: LEDGER_INTERNAL_API_KEY is not set.');
    }
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const match = /^Bearer ([\x21-\x7e]{1,500})$/.exec(request.headers.authorization ?? '');
    if (!match || !timingSafeEqual(digest(match[1]), this.expected)) {
      context.switchToHttp().getResponse<FastifyReply>().header('WWW-Authenticate', 'Bearer realm="ledger"');
      throw new UnauthorizedException('Send Authorization: Bearer <LEDGER_INTERNAL_API_KEY>.');
    }
    return true;
  }
}
