import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyReply } from 'fastify';

const ASSET_DIRECTORY = join(__dirname, 'assets');
const ASSETS: Record<string, string> = {
  'review.js': 'application/javascript; charset=utf-8',
  'review.css': 'text/css; charset=utf-8',
};
/** Only the page's own script and style; no inline script, no other origin, no framing. */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; " +
  "img-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

/** Read once at start: the files are part of the release, not data. */
const FILES = new Map(
  ['review.html', ...Object.keys(ASSETS)].map((name) => [
    name,
    readFileSync(join(ASSET_DIRECTORY, name)),
  ]),
);

/**
 * The operators' review page: static HTML and a small script on the admin API. The page itself is
 * public (it holds no data); every call it makes carries the operator's key, which the operator
 * pastes and the tab keeps in sessionStorage.
 */
@Controller('admin/review')
export class ReviewPageController {
  @Get()
  page(@Res() reply: FastifyReply): void {
    this.send(reply, 'review.html', 'text/html; charset=utf-8');
  }

  @Get('assets/:file')
  asset(@Param('file') file: string, @Res() reply: FastifyReply): void {
    const contentType = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined;
    if (!contentType) throw new NotFoundException();
    this.send(reply, file, contentType);
  }

  private send(reply: FastifyReply, file: string, contentType: string): void {
    reply
      .header('Content-Type', contentType)
      .header('Content-Security-Policy', CONTENT_SECURITY_POLICY)
      .header('X-Content-Type-Options', 'nosniff')
      .header('Cache-Control', 'no-cache')
      .send(FILES.get(file));
  }
}
