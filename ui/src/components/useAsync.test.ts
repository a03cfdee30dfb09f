// @vitest-environment jsdom
import { act, renderHook, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { ApiError } from "../bindings/ApiError";
import { useAction, useLoad } from "./useAsync";

const refused: ApiError = { code: "conflict", message: "Refusé" };

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe("useLoad", () => {
  it("shows what was read, and the error of a failed read", async () => {
    let answer: Promise<number> = Promise.resolve(1);
    const { result } = renderHook(() => useLoad(() => answer, 0, []));
    await waitFor(() => expect(result.current.data).toBe(1));
    answer = Promise.reject(refused);
    act(() => result.current.reload());
    await waitFor(() => expect(result.current.error).toEqual(refused));
    expect(result.current.data).toBe(1);
  });

  it("drops a slow answer once a newer read has started", async () => {
    const slow = deferred<string>();
    const fast = deferred<string>();
    const answers = [slow.promise, fast.promise];
    const { result, rerender } = renderHook(({ key }) => useLoad(() => answers[key], "", [key]), {
      initialProps: { key: 0 },
    });
    rerender({ key: 1 });
    await act(async () => fast.resolve("fresh"));
    await act(async () => slow.resolve("stale"));
    expect(result.current.data).toBe("fresh");
  });
});

describe("useAction", () => {
  it("is busy while the action runs and keeps its error", async () => {
    const pending = deferred<void>();
    const { result } = renderHook(() => useAction());
    let done: Promise<unknown> = Promise.resolve();
    act(() => {
      done = result.current.run(() => pending.promise.then(() => Promise.reject(refused)));
    });
    expect(result.current.busy).toBe(true);
    await act(async () => {
      pending.resolve();
      await done;
    });
    expect(result.current.busy).toBe(false);
    expect(result.current.error).toEqual(refused);
  });

  it("hands over the action's result, says it succeeded and clears an earlier error", async () => {
    const { result } = renderHook(() => useAction());
    let failed = true;
    await act(async () => {
      failed = !(await result.current.run(() => Promise.reject(refused)));
    });
    expect(failed).toBe(true);
    let answer: number | undefined;
    let succeeded = false;
    await act(async () => {
      succeeded = await result.current.run(
        () => Promise.resolve(42),
        (value) => (answer = value),
      );
    });
    expect(succeeded).toBe(true);
    expect(answer).toBe(42);
    expect(result.current.error).toBeNull();
  });

  it("says a void action succeeded", async () => {
    const { result } = renderHook(() => useAction());
    let succeeded = false;
    await act(async () => {
      succeeded = await result.current.run(() => Promise.resolve());
    });
    expect(succeeded).toBe(true);
  });
});
