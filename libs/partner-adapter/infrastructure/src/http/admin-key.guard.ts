import { timingSafeEqual, createHash } from 'node:crypto';
import { CanActivate, ExecutionContext, HttpException, Inject, Injectable } from '@nestjs/common';

export const ADAPTER_ADMIN_KEY = Symbol('ADAPTER_ADMIN_KEY');

const digest = (value: string) => createHash('sha256').update(value).digest();

/** The review routes take the platform's admin key as a bearer token. */
@Injectable()
export class AdminKeyGuard implements CanActivate {
  constructor(@Inject(ADAPTER_ADMIN_KEY) private readonly adminKey: string) {}

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<{ headers: Record<string, string> }>()
      .headers.authorization;
    const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : '';
    if (token.length > 0 && timingSafeEqual(digest(token), digest(this.adminKey))) return true;
    throw new HttpException(
      {
        type: 'https://rtp.example/problems/unauthorized',
        title: 'Unauthorized',
        status: 401,
        code: 'unauthorized',
        detail: 'the admin API key is required',
      },
      401,
    );
  }
}
