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
 * parser of their own (the raw text, up to the upload limit), registered before the server starts.
 */
@Injectable()
export class StatementBodyParsers implements OnModuleInit {
  constructor(@Inject(HttpAdapterHost) private readonly host: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.host.httpAdapter.getInstance<FastifyInstance>();
    for (const type of ['application/xml', 'text/xml', 'text/csv']) {
      if (fastify.hasContentTypeParser(type)) continue;
      fastify.addContentTypeParser(
        type,
        { parseAs: 'string', bodyLimit: STATEMENT_UPLOAD_BYTES_MAX },
        (_request, body, done) => done(null, body),
      );
    }
  }
}

/** `POST /v1/admin/statements?partnerId=`: a bank statement (camt.053 XML or CSV) by upload. */
@Controller('v1/admin/statements')
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
