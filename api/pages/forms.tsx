/** NHS.UK design system form parts, as the nhsuk-frontend macros render them. */

/** A labelled text input in its form group. */
export function TextField(props: { name: string; label: string; value: string; width?: 2 | 3 | 4 | 5 | 10 | 20 | 30 }) {
  return (
    <div class="nhsuk-form-group">
      <label class="nhsuk-label" for={props.name}>
        {props.label}
      </label>
      <input class={`nhsuk-input${props.width ? ` nhsuk-input--width-${props.width}` : ''}`} id={props.name} name={props.name} value={props.value} />
    </div>
  );
}
