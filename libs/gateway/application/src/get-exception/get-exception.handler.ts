import { Result, refused, succeeded } from '@rtp/gateway/domain';
import { ReviewReader } from '../list-exceptions/list-exceptions.port';
import { ExceptionDetail } from '../ports/review-views';

/** One exception with both sides, its proposals, the actions sent and its audit trail. */
export class GetExceptionHandler {
  constructor(private readonly reader: Pick<ReviewReader, 'readException'>) {}

  async execute(exceptionId: string): Promise<Result<ExceptionDetail>> {
    const found = await this.reader.readException(exceptionId);
    return found ? succeeded(found) : refused({ code: 'exception_not_found', exceptionId });
  }
}
