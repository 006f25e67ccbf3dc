import { Controller, Get, Header, NotFoundException, Param, Res } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FastifyReply } from 'fastify';
import { buildOpenApiDocument } from './openapi-document';

const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
};
const ASSET_DIRECTORY = dirname(require.resolve('swagger-ui-dist/package.json'));

const DOCS_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Real-time payments API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="docs"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/swagger-ui-standalone-preset.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#docs' });</script>
</body></html>`;

/** The OpenAPI 3.1 document and Swagger UI (from swagger-ui-dist, served locally). */
@Controller()
export class OpenApiController {
  private readonly document = buildOpenApiDocument();

  @Get('openapi.json')
  openApi(): Record<string, unknown> {
    return this.document;
  }

  @Get('docs')
  @Header('Content-Type', 'text/html; charset=utf-8')
  docs(): string {
    return DOCS_PAGE;
  }

  @Get('docs/assets/:file')
  asset(@Param('file') file: string, @Res() reply: FastifyReply): void {
    const contentType = ASSETS[file];
    if (!contentType) throw new NotFoundException();
    reply
      .header('Content-Type', contentType)
      .header('Cache-Control', 'public, max-age=3600')
      .send(readFileSync(join(ASSET_DIRECTORY, file)));
  }
}
