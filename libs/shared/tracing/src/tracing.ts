import { AsyncLocalStorage } from 'node:async_hooks';
import {
  Context,
  ContextManager,
  ROOT_CONTEXT,
  Span,
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  trace,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';

/**
 * W3C trace context (`traceparent`) through every hop of a payment: the gateway's request, the
 * commands and events on Kafka (the envelope's `traceparent`, stored with the outbox row, and the
 * `traceparent` header), the partner adapter's bank call and its answers. Spans come from the SDK's
 * tracer with no exporter: they exist to give each hop its own span id under the caller's trace,
 * and cost a few objects each. Logs take the active trace id through the logger's mixin.
 */

/** OpenTelemetry's context on Node's AsyncLocalStorage (what @opentelemetry/context-async-hooks does). */
class AsyncLocalStorageContextManager implements ContextManager {
  private readonly storage = new AsyncLocalStorage<Context>();

  active(): Context {
    return this.storage.getStore() ?? ROOT_CONTEXT;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    active: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.storage.run(active, () => fn.apply(thisArg, args));
  }

  bind<T>(active: Context, target: T): T {
    if (typeof target !== 'function') return target;
    const run = (...args: unknown[]) => this.with(active, () => target(...args));
    return run as T;
  }

  enable(): this {
    return this;
  }

  disable(): this {
    this.storage.disable();
    return this;
  }
}

const propagator = new W3CTraceContextPropagator();
let tracerOf: (() => ReturnType<BasicTracerProvider['getTracer']>) | null = null;

/** Registers the context manager once per process (idempotent); called by every service's start. */
export function enableTracing(): void {
  if (tracerOf) return;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const tracer = new BasicTracerProvider().getTracer('rtp');
  tracerOf = () => tracer;
}

function tracer() {
  if (!tracerOf) enableTracing();
  return tracerOf!();
}

/** The context a `traceparent` value names (the root context when absent or malformed). */
export function contextOf(traceparent: string | null | undefined): Context {
  if (!traceparent) return ROOT_CONTEXT;
  return propagator.extract(ROOT_CONTEXT, { traceparent }, defaultTextMapGetter);
}

/** The `traceparent` of a context (the active one by default); null when it has no valid span. */
export function traceparentOf(active: Context = context.active()): string | null {
  const carrier: Record<string, string> = {};
  propagator.inject(active, carrier, defaultTextMapSetter);
  return carrier.traceparent ?? null;
}

/** The trace id of the active context, for log lines; undefined outside any trace. */
export function activeTraceId(): string | undefined {
  const spanContext = trace.getSpanContext(context.active());
  return spanContext && trace.isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}

/**
 * Runs `fn` in a new span named `name`, child of the trace `traceparent` names (a new trace when
 * absent or malformed); ends the span when `fn` settles.
 */
export function inTrace<T>(
  name: string,
  traceparent: string | null | undefined,
  fn: (span: Span) => T,
): T {
  const parent = contextOf(traceparent);
  const span = tracer().startSpan(name, {}, parent);
  const active = trace.setSpan(parent, span);
  let result: T;
  try {
    result = context.with(active, () => fn(span));
  } catch (error) {
    span.end();
    throw error;
  }
  if (result instanceof Promise) {
    result.finally(() => span.end()).catch(() => undefined);
  } else {
    span.end();
  }
  return result;
}

/**
 * Runs `fn` in a new span of the trace `traceparent` names; with no valid one, outside any trace
 * (a message or payout from before tracing, or from a producer that sends none, starts no trace of
 * its own: its lines and calls would belong to no request).
 */
export function continueTrace<T>(
  name: string,
  traceparent: string | null | undefined,
  fn: () => T,
): T {
  const spanContext = trace.getSpanContext(contextOf(traceparent));
  if (!spanContext || !trace.isSpanContextValid(spanContext)) return fn();
  return inTrace(name, traceparent, fn);
}

/** The `traceparent` of a new span under `traceparent` (or of a new trace), without running code. */
export function childTraceparent(name: string, traceparent: string | null | undefined): string {
  return inTrace(name, traceparent, () => traceparentOf()!);
}
