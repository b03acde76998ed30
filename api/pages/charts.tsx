/**
 * Server-rendered SVG charts: no script, readable without colour (values are written on the bars),
 * and each has a text alternative; the table beside it carries the same numbers.
 */
import { addDays, formatDate } from '../../domain/dates';

export interface Bar {
  readonly label: string;
  readonly value: number;
  /** Shown at the end of the bar; defaults to the value. */
  readonly text?: string;
  readonly highlight?: boolean;
  /** Names the bar for a script that moves it (see `live` below). */
  readonly key?: string;
}

/**
 * Bars with a label, their length to scale and their value written at the end. With `live`, the chart
 * carries its geometry and each bar its key as data attributes, so a page's script can move the bars
 * to new values (the campaign dashboard does); without script the chart is as drawn.
 */
export function HorizontalBarChart(props: { title: string; bars: readonly Bar[]; max?: number; live?: string; valueWidth?: number }) {
  const labelWidth = 320;
  const barArea = 360;
  // Room after the longest bar for its text: wider where the text is words, not just a number.
  const valueWidth = props.valueWidth ?? 80;
  const rowHeight = 28;
  const max = props.max ?? Math.max(1, ...props.bars.map((bar) => bar.value));
  const height = props.bars.length * rowHeight + 10;
  return (
    <figure class="nhsuk-u-margin-bottom-5">
      <svg
        role="img"
        aria-label={props.title}
        viewBox={`0 0 ${labelWidth + barArea + valueWidth} ${height}`}
        width="100%"
        style={`max-width:${labelWidth + barArea + valueWidth}px;font-family:Arial,sans-serif;font-size:14px`}
        {...(props.live ? { 'data-live-chart': props.live, 'data-label-width': labelWidth, 'data-bar-area': barArea } : {})}
      >
        <title>{props.title}</title>
        {props.bars.map((bar, index) => {
          const y = index * rowHeight + 5;
          const width = Math.max(1, (bar.value / max) * barArea);
          return (
            <g>
              <text x={labelWidth - 8} y={y + 17} text-anchor="end" fill="#212b32">
                {bar.label.length > 44 ? `${bar.label.slice(0, 43)}…` : bar.label}
              </text>
              <rect x={labelWidth} y={y + 3} width={width} height={rowHeight - 8} fill={bar.highlight ? '#d5281b' : '#005eb8'} data-bar={bar.key} />
              <text x={labelWidth + width + 6} y={y + 17} fill="#212b32" data-bar-value={bar.key}>
                {bar.text ?? String(bar.value)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption class="nhsuk-body-s">{props.title}</figcaption>
    </figure>
  );
}

export interface StepSeries {
  readonly label: string;
  /** One value for each of the chart's days, in order: the value at the end of that day. */
  readonly values: readonly number[];
}

/** Each series has its own dash and marker as well as its colour, so the lines are told apart without colour. */
const STEP_STYLES = [
  { stroke: '#005eb8', dash: undefined, marker: 'circle' },
  { stroke: '#007f3b', dash: '9 5', marker: 'square' },
  { stroke: '#330072', dash: '2 4', marker: 'triangle' },
  { stroke: '#ed8b00', dash: '12 4 2 4', marker: 'diamond' },
] as const;

const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / 86_400_000;

/**
 * Amounts that hold from one day until they next change (balances), as steps against a time axis
 * that starts at nothing the day before the first. Each line is labelled at its end with its name and
 * last value; a ceiling (an allocation) is drawn as a labelled grey line. The table beside the chart
 * carries every number; the chart's text alternative gives the last day's.
 */
export function StepChart(props: {
  id: string;
  title: string;
  days: readonly string[];
  series: readonly StepSeries[];
  ceiling?: { readonly label: string; readonly value: number };
  format: (value: number) => string;
}) {
  const [left, right, top, bottom] = [100, 210, 16, 40];
  const [width, height] = [780, 300];
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const first = props.days.length ? dayNumber(props.days[0]!) - 1 : 0;
  const last = props.days.length ? dayNumber(props.days.at(-1)!) : 1;
  const max = Math.max(1, props.ceiling?.value ?? 0, ...props.series.flatMap((series) => series.values));
  const x = (day: number) => left + ((day - first) / Math.max(1, last - first)) * plotWidth;
  const y = (value: number) => top + plotHeight - (value / max) * plotHeight;
  const lastIndex = props.days.length - 1;
  const description = props.days.length
    ? `At the end of ${formatDate(props.days[lastIndex]!)}: ${props.series.map((series) => `${series.label.toLowerCase()} ${props.format(series.values[lastIndex] ?? 0)}`).join(', ')}${props.ceiling ? ` of ${props.format(props.ceiling.value)} ${props.ceiling.label.toLowerCase()}` : ''}.`
    : 'Nothing has moved yet.';

  // Labels at the lines' ends, moved apart where the lines end close together.
  const ends = props.series
    .map((series, index) => ({ index, text: `${series.label} ${props.format(series.values[lastIndex] ?? 0)}`, at: y(series.values[lastIndex] ?? 0) + 5 }))
    .sort((a, b) => a.at - b.at);
  const ceilingAt = props.ceiling ? y(props.ceiling.value) : undefined;
  for (let i = 0; i < ends.length; i++) {
    const above = i === 0 ? (ceilingAt === undefined ? -Infinity : ceilingAt + 5) : ends[i - 1]!.at;
    ends[i]!.at = Math.max(ends[i]!.at, above + 18);
  }
  const overflow = Math.max(0, (ends.at(-1)?.at ?? 0) - (top + plotHeight + 5));
  for (const end of ends) end.at -= overflow;

  return (
    <figure class="nhsuk-u-margin-bottom-5">
      <svg
        role="img"
        aria-labelledby={`${props.id}-title ${props.id}-desc`}
        viewBox={`0 0 ${width} ${height}`}
        width="100%"
        style="max-width:780px;font-family:Arial,sans-serif;font-size:14px"
      >
        <title id={`${props.id}-title`}>{props.title}</title>
        <desc id={`${props.id}-desc`}>{description}</desc>
        {[0, 0.25, 0.5, 0.75, 1].map((share) => (
          <g>
            <line x1={left} x2={left + plotWidth} y1={y(share * max)} y2={y(share * max)} stroke="#d8dde0" />
            <text x={left - 6} y={y(share * max) + 5} text-anchor="end" fill="#4c6272">
              {props.format(Math.round(share * max))}
            </text>
          </g>
        ))}
        {props.days.length ? (
          <>
            <text x={left} y={height - 12} text-anchor="start" fill="#4c6272">
              {formatDate(addDays(props.days[0]!, -1))}
            </text>
            {x(last) - left > 220 ? (
              <text x={left + plotWidth} y={height - 12} text-anchor="end" fill="#4c6272">
                {formatDate(props.days[lastIndex]!)}
              </text>
            ) : null}
          </>
        ) : null}
        {props.ceiling ? (
          <g>
            <line x1={left} x2={left + plotWidth} y1={ceilingAt} y2={ceilingAt} stroke="#4c6272" stroke-width="2" stroke-dasharray="4 4" />
            <text x={left + plotWidth + 8} y={ceilingAt! + 5} fill="#212b32">
              {`${props.ceiling.label} ${props.format(props.ceiling.value)}`}
            </text>
          </g>
        ) : null}
        {props.series.map((series, index) => {
          const style = STEP_STYLES[index % STEP_STYLES.length]!;
          let path = `M${x(first)},${y(0)}`;
          props.days.forEach((day, dayIndex) => {
            path += ` H${x(dayNumber(day))} V${y(series.values[dayIndex] ?? 0)}`;
          });
          const marked = props.days.length <= 31 ? props.days.map((day, dayIndex) => [day, dayIndex] as const) : props.days.length ? [[props.days[lastIndex]!, lastIndex] as const] : [];
          return (
            <g>
              <path d={path} fill="none" stroke={style.stroke} stroke-width="2.5" stroke-dasharray={style.dash} />
              {marked.map(([day, dayIndex]) => (
                <Marker kind={style.marker} x={x(dayNumber(day))} y={y(series.values[dayIndex] ?? 0)} fill={style.stroke} />
              ))}
            </g>
          );
        })}
        {ends.map((end) => {
          const style = STEP_STYLES[end.index % STEP_STYLES.length]!;
          return (
            <g>
              <Marker kind={style.marker} x={left + plotWidth + 14} y={end.at - 5} fill={style.stroke} />
              <text x={left + plotWidth + 24} y={end.at} fill="#212b32">
                {end.text}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption class="nhsuk-body-s">{props.title}. The table below gives the amounts at the end of each day.</figcaption>
    </figure>
  );
}

function Marker(props: { kind: (typeof STEP_STYLES)[number]['marker']; x: number; y: number; fill: string }) {
  const { x, y, fill } = props;
  switch (props.kind) {
    case 'circle':
      return <circle cx={x} cy={y} r="4.5" fill={fill} />;
    case 'square':
      return <rect x={x - 4} y={y - 4} width="8" height="8" fill={fill} />;
    case 'triangle':
      return <path d={`M${x},${y - 5.5} L${x + 5.5},${y + 4.5} L${x - 5.5},${y + 4.5} Z`} fill={fill} />;
    case 'diamond':
      return <path d={`M${x},${y - 6} L${x + 6},${y} L${x},${y + 6} L${x - 6},${y} Z`} fill={fill} />;
  }
}
