// The digest's picture: reports, fixes and hides per day, drawn without a
// browser (ECharts' server-side SVG renderer) and rasterised to PNG with resvg,
// so the email carries it inline (cid:) and no mail client fetches anything.

import { createRequire } from 'node:module';
import type { Digest } from './model.js';

const require = createRequire(import.meta.url);

export const CHART_SIZE = { width: 600, height: 260 } as const;

export interface DigestChart {
  png: Buffer;
  svg: string;
  alt: string;
}

export function chartAlt(d: Digest): string {
  const sum = (k: 'reports' | 'fixes' | 'hides') => d.perDay.reduce((a, x) => a + x[k], 0);
  return `Bar chart, per day from ${d.perDay[0]?.day ?? '?'} to ${d.perDay[d.perDay.length - 1]?.day ?? '?'}: ${sum('reports')} reports without a fix or breaking patches, ${sum('fixes')} fixes, ${sum('hides')} patches that hide the problem.`;
}

export function renderChart(d: Digest): DigestChart {
  // loaded here: the rest of ktriage never pays for ECharts or the rasteriser
  const echarts = require('echarts') as typeof import('echarts');
  const { Resvg } = require('@resvg/resvg-js') as typeof import('@resvg/resvg-js');
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, ...CHART_SIZE });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: 'DejaVu Sans, sans-serif' },
      title: { text: `ktriage ${d.window.label}`, left: 'center', top: 2, textStyle: { fontSize: 14 } },
      legend: { top: 30, data: ['reports', 'fixes', 'hides'] },
      grid: { left: 40, right: 16, top: 66, bottom: 32 },
      xAxis: { type: 'category', data: d.perDay.map((x) => x.day.slice(5)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: 'reports', type: 'bar', stack: 'day', data: d.perDay.map((x) => x.reports), itemStyle: { color: '#9e9e9e' } },
        { name: 'fixes', type: 'bar', stack: 'day', data: d.perDay.map((x) => x.fixes), itemStyle: { color: '#2e7d32' } },
        { name: 'hides', type: 'bar', stack: 'day', data: d.perDay.map((x) => x.hides), itemStyle: { color: '#c62828' } },
      ],
    });
    const svg = chart.renderToSVGString();
    const png = Buffer.from(new Resvg(svg, { fitTo: { mode: 'original' }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render().asPng());
    return { png, svg, alt: chartAlt(d) };
  } finally {
    chart.dispose();
  }
}
