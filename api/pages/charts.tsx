/**
 * Server-rendered SVG charts: no script, readable without colour (values are written on the bars),
 * and each has a text alternative; the table beside it carries the same numbers.
 */

export interface Bar {
  readonly label: string;
  readonly value: number;
  /** Shown at the end of the bar; defaults to the value. */
  readonly text?: string;
  readonly highlight?: boolean;
}

export function HorizontalBarChart(props: { title: string; bars: readonly Bar[]; max?: number }) {
  const labelWidth = 320;
  const barArea = 360;
  const rowHeight = 28;
  const max = props.max ?? Math.max(1, ...props.bars.map((bar) => bar.value));
  const height = props.bars.length * rowHeight + 10;
  return (
    <figure class="nhsuk-u-margin-bottom-5">
      <svg
        role="img"
        aria-label={props.title}
        viewBox={`0 0 ${labelWidth + barArea + 80} ${height}`}
        width="100%"
        style="max-width:760px;font-family:Arial,sans-serif;font-size:14px"
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
              <rect x={labelWidth} y={y + 3} width={width} height={rowHeight - 8} fill={bar.highlight ? '#d5281b' : '#005eb8'} />
              <text x={labelWidth + width + 6} y={y + 17} fill="#212b32">
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
