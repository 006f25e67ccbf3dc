import { writeFileSync } from 'node:fs';
import { number } from '../harness/report-format';
import { ApiBenchResult } from './api-run-record';

/**
 * @swc-node/register compiles to CommonJS, where `import()` becomes `require()`, which vega (ES
 * modules only) refuses: this one stays an import.
 */
const importModule = new Function('specifier', 'return import(specifier)') as (
  specifier: string,
) => Promise<unknown>;

/** The little of vega and vega-lite this uses (both are ES modules, loaded at run time). */
interface VegaModule {
  parse(spec: unknown): unknown;
  View: new (
    runtime: unknown,
    options: { renderer: 'none' },
  ) => {
    toSVG(): Promise<string>;
    finalize(): void;
  };
}
interface VegaLiteModule {
  compile(spec: unknown): { spec: unknown };
}

interface Point {
  offered: number;
  series: string;
  value: number;
}

const PANEL = { width: 360, height: 260 };

/** p50 and p99 latency, and what was achieved, against the offered rate: one SVG per sweep. */
export async function writeSweepChart(file: string, result: ApiBenchResult): Promise<void> {
  const vega = (await importModule('vega')) as VegaModule;
  const vegaLite = (await importModule('vega-lite')) as VegaLiteModule;
  const view = new vega.View(vega.parse(vegaLite.compile(chartSpec(result)).spec), {
    renderer: 'none',
  });
  try {
    writeFileSync(file, await view.toSVG());
  } finally {
    view.finalize();
  }
}

function points(result: ApiBenchResult): { latency: Point[]; rate: Point[] } {
  const latency: Point[] = [];
  const rate: Point[] = [];
  for (const step of result.steps) {
    const offered = step.intendedRatePerSecond;
    const { p50, p99 } = step.latencyMs.allRequests;
    // An infinite quantile (too many requests without a 201) has no place on the axis.
    if (p50 !== null) latency.push({ offered, series: 'p50', value: p50 });
    if (p99 !== null) latency.push({ offered, series: 'p99', value: p99 });
    rate.push({ offered, series: '201/s (confirmed)', value: step.confirmedPerSecond });
    rate.push({ offered, series: 'answers/s', value: step.answersPerSecond });
    rate.push({ offered, series: 'offered', value: offered });
  }
  return { latency, rate };
}

function subtitle(result: ApiBenchResult): string[] {
  const tps = result.calibration?.tps ?? null;
  const durations = [...new Set(result.steps.map((step) => step.durationSeconds))].join(', ');
  const lines = [
    `${result.startedAt.slice(0, 10)}, ${result.machine.nproc} CPUs ` +
      `(${result.machine.cpuModel}), ` +
      `${durations} s per rate, latency over all requests (one without a 201 is infinite)`,
    tps === null
      ? 'no pgbench calibration in this run'
      : `pgbench ${number(tps)} tps: 0.05 x = ${number(tps * 0.05)}/s, 0.25 x = ` +
        `${number(tps * 0.25)}/s, 0.5 x = ${number(tps * 0.5)}/s`,
    `dashed: the p99 target (${number(result.parameters.latencyTargetMs as number)} ms) on ` +
      'the left, achieved = offered on the right',
  ];
  return lines;
}

function chartSpec(result: ApiBenchResult): unknown {
  const { latency, rate } = points(result);
  const target = result.parameters.latencyTargetMs as number;
  const offered = { field: 'offered', type: 'quantitative', title: 'offered payments/s' };
  const series = (title: string) => ({ field: 'series', type: 'nominal', title });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'bench:api sweep', subtitle: subtitle(result), anchor: 'start' },
    background: 'white',
    // One legend per panel: latency quantiles on the left, rates on the right.
    resolve: { scale: { color: 'independent' } },
    hconcat: [
      {
        ...PANEL,
        layer: [
          {
            data: { values: latency },
            mark: { type: 'line', point: true },
            encoding: {
              x: offered,
              color: series('latency'),
              y: { field: 'value', type: 'quantitative', title: 'ms', scale: { type: 'log' } },
            },
          },
          {
            data: { values: [{ value: target }] },
            mark: { type: 'rule', strokeDash: [4, 4], color: 'gray' },
            encoding: { y: { field: 'value', type: 'quantitative' } },
          },
        ],
      },
      {
        ...PANEL,
        data: { values: rate },
        mark: { type: 'line', point: true },
        encoding: {
          x: offered,
          color: series('rate'),
          y: { field: 'value', type: 'quantitative', title: 'payments/s' },
          strokeDash: {
            condition: { test: "datum.series === 'offered'", value: [4, 4] },
            value: [1, 0],
          },
        },
      },
    ],
  };
}
