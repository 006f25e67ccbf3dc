import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { HttpProblemError, edgeProblems } from './problems/http-problem';

/**
 * Requests per second per API key (rate-limiter-flexible, in memory). Each gateway replica counts on
 * its own, so the effective limit is this times the replicas behind the load balancer.
 */
export class ApiRateLimiter {
  private readonly limiter: RateLimiterMemory;

  constructor(requestsPerSecond: number) {
    this.limiter = new RateLimiterMemory({ points: requestsPerSecond, duration: 1 });
  }

  /** Counts one request for the key; throws a 429 problem with Retry-After when over the limit. */
  async consume(keyHash: string): Promise<void> {
    try {
      await this.limiter.consume(keyHash, 1);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      throw new HttpProblemError(
        edgeProblems.rateLimited(Math.max(1, Math.ceil(rejection.msBeforeNext / 1_000))),
      );
    }
  }
}
