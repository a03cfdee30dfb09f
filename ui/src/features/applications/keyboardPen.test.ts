import { describe, expect, it } from "vitest";
import { penKey, startPen, STEP, LONG_STEP, type Pen, type Strokes } from "./keyboardPen";

const size = { width: 520, height: 180 };

function press(keys: string[], shift = false, from: Pen = startPen(520, 180)) {
  let state = { pen: from, strokes: [] as Strokes };
  for (const key of keys) state = penKey(state.pen, state.strokes, key, shift, size) ?? state;
  return state;
}

describe("the signature pad with the keyboard", () => {
  it("draws only while the pen is down, one stroke each time it is put down", () => {
    const { pen, strokes } = press([
      "ArrowRight",
      " ",
      "ArrowRight",
      "ArrowDown",
      "Enter",
      "ArrowRight",
      " ",
      "ArrowUp",
    ]);
    const start = startPen(520, 180);
    expect(strokes).toEqual([
      [
        [start.x + STEP, start.y],
        [start.x + 2 * STEP, start.y],
        [start.x + 2 * STEP, start.y + STEP],
      ],
      [
        [start.x + 3 * STEP, start.y + STEP],
        [start.x + 3 * STEP, start.y],
      ],
    ]);
    expect(pen.down).toBe(true);
  });

  it("draws diagonals with Home, Page Up, End and Page Down", () => {
    const start = startPen(520, 180);
    const { strokes } = press([" ", "PageUp", "PageDown", "End", "Home"]);
    expect(strokes[0]).toEqual([
      [start.x, start.y],
      [start.x + STEP, start.y - STEP],
      [start.x + 2 * STEP, start.y],
      [start.x + STEP, start.y + STEP],
      [start.x, start.y],
    ]);
  });

  it("moves further with Shift and never leaves the pad", () => {
    expect(press(["ArrowRight"], true).pen.x).toBe(startPen(520, 180).x + LONG_STEP);
    const corner = press(Array(40).fill("ArrowUp").concat(Array(40).fill("ArrowLeft")), true).pen;
    expect([corner.x, corner.y]).toEqual([0, 0]);
  });

  it("lifts the pen with Escape and lets Tab and other keys through", () => {
    expect(press([" ", "Escape"]).pen.down).toBe(false);
    const pen = startPen(520, 180);
    expect(penKey(pen, [], "Tab", false, size)).toBeNull();
    expect(penKey(pen, [], "Escape", false, size)).toBeNull();
    expect(penKey(pen, [], "a", false, size)).toBeNull();
  });
});
