import {
  Controller,
  Headers,
  Inject,
  Injectable,
  OnModuleInit,
  Post,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { UploadStatementHandler } from '@rtp/gateway/application';
import { Principal } from '@rtp/gateway/domain';
import { STATEMENT_UPLOAD_BYTES_MAX, statementKind, uploadProblems } from './statement-upload';
import { ApiKeyGuard, CurrentPrincipal, RequiresScope } from './api-key.guard';
import { HttpProblemError } from './problems/http-problem';

const PARTNER_ID = /^[a-z][a-z0-9-]{1,30}$/;

/**
 * The gateway is JSON-only; this route alone takes statement files, so their media types get a
 * parser of their own, registered before the server starts. On any other route they are refused
 * with 415 before the body is read (as any media type without a parser is); on this one the raw
 * text is read up to the upload limit (413 past it).
 */
@Injectable()
export class StatementBodyParsers implements OnModuleInit {
  constructor(@Inject(HttpAdapterHost) private readonly host: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.host.httpAdapter.getInstance<FastifyInstance>();
    for (const type of ['application/xml', 'text/xml', 'text/csv']) {
      if (fastify.hasContentTypeParser(type)) continue;
      fastify.addContentTypeParser(type, (request, payload, done) => {
        if (request.url.split('?')[0] !== STATEMENT_UPLOAD_PATH) {
          done(fastifyError('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415, 'Unsupported Media Type'));
          return;
        }
        readText(payload, STATEMENT_UPLOAD_BYTES_MAX).then(
          (text) => done(null, text),
          (error: Error) => done(error, undefined),
        );
      });
    }
  }
}

const STATEMENT_UPLOAD_PATH = '/v1/admin/statements';

function fastifyError(code: string, statusCode: number, message: string): Error {
  return Object.assign(new Error(message), { code, statusCode });
}

/** The body as UTF-8 text, refused (413) once it exceeds `limit` bytes. */
function readText(payload: NodeJS.ReadableStream, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    payload.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(fastifyError('FST_ERR_CTP_BODY_TOO_LARGE', 413, 'Request body is too large'));
        payload.removeAllListeners('data');
        payload.resume();
        return;
      }
      chunks.push(chunk);
    });
    payload.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    payload.on('error', reject);
  });
}

/** `POST /v1/admin/statements?partnerId=`: a bank statement (camt.053 XML or CSV) by upload. */
@Controller(STATEMENT_UPLOAD_PATH.slice(1))
@UseGuards(ApiKeyGuard)
@RequiresScope('admin')
export class StatementsController {
  constructor(@Inject(UploadStatementHandler) private readonly upload: UploadStatementHandler) {}

  @Post()
  async create(
    @CurrentPrincipal() principal: Principal,
    @Query('partnerId') partnerId: string | undefined,
    @Headers('content-type') contentType: string | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    if (!partnerId || !PARTNER_ID.test(partnerId)) {
      throw new HttpProblemError(uploadProblems.invalidPartner());
    }
    const kind = statementKind(contentType);
    if (!kind || typeof request.body !== 'string') {
      throw new HttpProblemError(uploadProblems.unsupportedType());
    }
    const result = await this.upload.execute({
      partnerId,
      content: request.body,
      kind,
      actor: principal.clientId.replace(/^operator:/, ''),
    });
    if (!result.ok) throw new HttpProblemError(uploadProblems.malformed(result.problem));
    reply.status(result.created ? 201 : 200);
    return { statementIds: result.statementIds, entryCount: result.entryCount };
  }
}
