// The signature pad with the keyboard alone (RGAA 7.3: every control works without a mouse):
// the arrows move a pen across the pad, Home, Page Up, End and Page Down diagonally (as 7, 9, 1
// and 3 on a numeric keypad), Space or Enter puts it down or lifts it, and the strokes drawn pen
// down are a signature like those of a mouse or a finger.

export type Point = [number, number];
export type Strokes = Point[][];
export type Pen = { x: number; y: number; down: boolean };

/** Pad pixels a press moves the pen; Shift moves it further. */
export const STEP = 6;
export const LONG_STEP = 24;

const MOVES: Record<string, Point> = {
  ArrowRight: [1, 0],
  ArrowLeft: [-1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
  Home: [-1, -1],
  PageUp: [1, -1],
  End: [-1, 1],
  PageDown: [1, 1],
};

/** Where a pen starts: left of the middle line, where a signature begins. */
export function startPen(width: number, height: number): Pen {
  return { x: Math.round(width * 0.1), y: Math.round(height / 2), down: false };
}

/** The pen and the strokes after a key; `null` for a key the pad does not use (Tab goes on). */
export function penKey(
  pen: Pen,
  strokes: Strokes,
  key: string,
  shift: boolean,
  size: { width: number; height: number },
): { pen: Pen; strokes: Strokes } | null {
  if (key === " " || key === "Enter") {
    const down = !pen.down;
    return { pen: { ...pen, down }, strokes: down ? [...strokes, [[pen.x, pen.y]]] : strokes };
  }
  if (key === "Escape") return pen.down ? { pen: { ...pen, down: false }, strokes } : null;
  const move = MOVES[key];
  if (!move) return null;
  const step = shift ? LONG_STEP : STEP;
  const clamp = (value: number, max: number) => Math.min(Math.max(value, 0), max);
  const x = clamp(pen.x + move[0] * step, size.width);
  const y = clamp(pen.y + move[1] * step, size.height);
  const moved = { ...pen, x, y };
  if (!pen.down || strokes.length === 0) return { pen: moved, strokes };
  const last = strokes[strokes.length - 1];
  return { pen: moved, strokes: [...strokes.slice(0, -1), [...last, [x, y]]] };
}
