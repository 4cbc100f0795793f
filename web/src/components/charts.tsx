/** The score gauge and the trend chart: plain SVG, no chart library. */
import type { ReactNode } from 'react';
import type { ScorePoint } from '../api-types.ts';
import { formatDay } from '../format.ts';

/** The colour band of a score: good ≥ 80, fair ≥ 50, poor below. */
export function scoreBand(value: number): 'good' | 'fair' | 'poor' {
  return value >= 80 ? 'good' : value >= 50 ? 'fair' : 'poor';
}

const RADIUS = 80;
const STROKE = 16;

function arcPoint(fraction: number): { x: number; y: number } {
  // From the left end (fraction 0) over the top to the right end (fraction 1).
  const angle = Math.PI * (1 - fraction);
  return { x: 100 + RADIUS * Math.cos(angle), y: 100 - RADIUS * Math.sin(angle) };
}

function arcPath(from: number, to: number): string {
  const a = arcPoint(from);
  const b = arcPoint(to);
  const large = to - from > 0.5 ? 1 : 0;
  return `M ${a.x.toFixed(2)} ${a.y.toFixed(2)} A ${RADIUS} ${RADIUS} 0 ${large} 1 ${b.x.toFixed(2)} ${b.y.toFixed(2)}`;
}

/** A half-circle gauge of a 0–100 score with the number in the middle. */
export function ScoreGauge({ value, caption }: { value: number; caption?: string }): ReactNode {
  const fraction = Math.max(0, Math.min(1, value / 100));
  return (
    <figure className="gauge" data-testid="score-gauge">
      <svg
        viewBox="0 0 200 118"
        role="img"
        aria-label={`Identity health score ${value} out of 100`}
      >
        <path d={arcPath(0, 1)} className="gauge-track" strokeWidth={STROKE} fill="none" />
        {fraction > 0 ? (
          <path
            d={arcPath(0, Math.max(fraction, 0.005))}
            className={`gauge-value band-${scoreBand(value)}`}
            strokeWidth={STROKE}
            fill="none"
          />
        ) : null}
        <text x="100" y="92" textAnchor="middle" className="gauge-number" data-testid="score-value">
          {value}
        </text>
        <text x="100" y="112" textAnchor="middle" className="gauge-scale">
          out of 100
        </text>
      </svg>
      {caption ? <figcaption>{caption}</figcaption> : null}
    </figure>
  );
}

/** The score across scans (oldest first) as a line with points; each point has a tooltip. */
export function TrendChart({ points }: { points: readonly ScorePoint[] }): ReactNode {
  const width = 560;
  const height = 160;
  const pad = { left: 32, right: 12, top: 12, bottom: 24 };
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const x = (i: number): number =>
    pad.left + (points.length <= 1 ? innerW / 2 : (i * innerW) / (points.length - 1));
  // The axis spans the scores seen (at least 10 points), so a change of a few points shows.
  const values = points.map((p) => p.value);
  const lo = Math.max(0, Math.floor((Math.min(...values, 100) - 2) / 5) * 5);
  const hi = Math.min(100, Math.max(lo + 10, Math.ceil((Math.max(...values, 0) + 2) / 5) * 5));
  const y = (v: number): number =>
    pad.top + innerH * (1 - (Math.max(lo, Math.min(hi, v)) - lo) / (hi - lo));
  const line = points
    .map((p, i) => `${i === 0 ? 'M' : 'L'} ${x(i).toFixed(1)} ${y(p.value).toFixed(1)}`)
    .join(' ');
  const area =
    points.length > 1
      ? `${line} L ${x(points.length - 1).toFixed(1)} ${y(lo)} L ${x(0).toFixed(1)} ${y(lo)} Z`
      : '';
  const first = points[0];
  const last = points[points.length - 1];
  return (
    <svg
      className="trend"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={`Score over ${points.length} scans${last ? `, latest ${last.value}` : ''}`}
    >
      {[lo, (lo + hi) / 2, hi].map((v) => (
        <g key={v}>
          <line x1={pad.left} x2={width - pad.right} y1={y(v)} y2={y(v)} className="trend-grid" />
          <text x={pad.left - 6} y={y(v) + 4} textAnchor="end" className="trend-axis">
            {v}
          </text>
        </g>
      ))}
      {area ? <path d={area} className="trend-area" /> : null}
      <path d={line} className="trend-line" fill="none" />
      {points.map((p, i) => (
        <circle key={p.scanId} cx={x(i)} cy={y(p.value)} r={3.5} className="trend-point">
          <title>{`Scan ${p.scanId} · ${formatDay(p.at)} · score ${p.value}`}</title>
        </circle>
      ))}
      {first ? (
        <text x={x(0)} y={height - 6} textAnchor="start" className="trend-axis">
          {formatDay(first.at)}
        </text>
      ) : null}
      {last && points.length > 1 ? (
        <text x={x(points.length - 1)} y={height - 6} textAnchor="end" className="trend-axis">
          {formatDay(last.at)}
        </text>
      ) : null}
    </svg>
  );
}
