// The cursor as a slider, so that the keyboard can move it (the charts and bands take clicks):
// arrows step one evaluation, Page Up/Down ten, Home and End to the ends.
import { formatOffset } from './format.ts';

/** Props of the cursor control. */
export interface CursorControlProps {
  readonly cursor: number;
  readonly end: number;
  readonly step: number;
  readonly onCursor: (t: number) => void;
}

/** A labelled range input for the cursor time. */
export function CursorControl({ cursor, end, step, onCursor }: CursorControlProps) {
  return (
    <label className="panel cursor-control">
      <span>Cursor</span>
      <input
        type="range"
        min={0}
        max={end}
        step={step || 1}
        value={cursor}
        aria-label="Cursor time"
        aria-valuetext={formatOffset(cursor)}
        onChange={(e) => onCursor(Number(e.target.value))}
        data-testid="cursor-slider"
      />
      <output>{formatOffset(cursor)}</output>
    </label>
  );
}
