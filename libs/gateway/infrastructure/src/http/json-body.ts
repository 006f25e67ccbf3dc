const INTEGER_LITERAL = /^-?(0|[1-9][0-9]*)$/;

/**
 * Parses a JSON body so that no number silently changes meaning: a number written with a fraction or
 * an exponent (`1e3`, `10.50`) is kept as its source text, which amount validation then refuses, and an
 * integer beyond 2^53-1 stays unsafe so it is refused too. `__proto__` keys are refused outright.
 * Needs the reviver's source text (JSON.parse source text access, Node 21+; the project runs on 24).
 */
export function parseJsonBody(body: string): unknown {
  if (body.trim() === '') return undefined;
  return JSON.parse(body, function revive(key: string, value: unknown, context?: { source?: string }) {
    if (key === '__proto__') throw Object.assign(new SyntaxError('"__proto__" is not allowed'), { statusCode: 400 });
    if (typeof value === 'number' && context?.source !== undefined && !INTEGER_LITERAL.test(context.source)) {
      return context.source;
    }
    return value;
  });
}
