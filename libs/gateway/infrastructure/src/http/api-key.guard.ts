import {
  CanActivate,
  ExecutionContext,
  Inject,
  Injectable,
  SetMetadata,
  createParamDecorator,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AuthenticateHandler } from '@rtp/gateway/application';
import { Principal, Scope, hashApiKey } from '@rtp/gateway/domain';
import { ApiRateLimiter } from './api-rate-limiter';
import { HttpProblemError, edgeProblems } from './problems/http-problem';

const REQUIRED_SCOPE = 'rtp:required-scope';
export const RequiresScope = (scope: Scope) => SetMetadata(REQUIRED_SCOPE, scope);

type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => {
    const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
    if (!principal) throw new Error('CurrentPrincipal used on a route without ApiKeyGuard');
    return principal;
  },
);

/**
 * `Authorization: Bearer <key>`: 401 when missing or unknown, 403 without the route's scope, 429 over
 * the key's rate limit.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    @Inject(AuthenticateHandler) private readonly authenticate: AuthenticateHandler,
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(ApiRateLimiter) private readonly rateLimiter: ApiRateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const principal = match ? await this.authenticate.execute(match[1]) : null;
    if (!principal) throw new HttpProblemError(edgeProblems.unauthenticated());
    const scope = this.reflector.getAllAndOverride<Scope | undefined>(REQUIRED_SCOPE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (scope && !principal.scopes.includes(scope)) {
      throw new HttpProblemError(edgeProblems.missingScope(scope));
    }
    // Counted per key after authentication, so unknown keys cannot use up a client's allowance.
    await this.rateLimiter.consume(hashApiKey(match![1]));
    request.principal = principal;
    return true;
  }
}
