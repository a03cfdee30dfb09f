// @vitest-environment jsdom
import { renderHook } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { useIdle } from "./InactivityLock";

describe("the lock after inactivity", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("locks once the minutes pass with nobody using the app", () => {
    const onIdle = vi.fn();
    renderHook(() => useIdle(10, onIdle));
    vi.advanceTimersByTime(9 * 60_000);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(60_000);
    expect(onIdle).toHaveBeenCalledOnce();
  });

  it("counts again from any key or pointer use", () => {
    const onIdle = vi.fn();
    renderHook(() => useIdle(10, onIdle));
    vi.advanceTimersByTime(9 * 60_000);
    window.dispatchEvent(new KeyboardEvent("keydown", { key: "a" }));
    vi.advanceTimersByTime(9 * 60_000);
    window.dispatchEvent(new Event("pointerdown"));
    vi.advanceTimersByTime(9 * 60_000);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(60_000);
    expect(onIdle).toHaveBeenCalledOnce();
  });

  it("never locks a driver who chose never", () => {
    const onIdle = vi.fn();
    renderHook(() => useIdle(null, onIdle));
    vi.advanceTimersByTime(24 * 60 * 60_000);
    expect(onIdle).not.toHaveBeenCalled();
  });
});
