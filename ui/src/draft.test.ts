// @vitest-environment jsdom
import { act, cleanup, renderHook } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DRAFT_SAVE_DELAY_MS, logOut, useDraft } from "./draft";

/** The drafts this computer keeps, as the app's commands would, with the order of their calls. */
const stored = new Map<string, unknown>();
const calls: string[] = [];
let answerLoad: (value: unknown) => void = () => undefined;

vi.mock("./api", () => ({
  api: {
    loadDraft: (form: string) =>
      new Promise((resolve) => {
        answerLoad = () => resolve(stored.get(form) ?? null);
      }),
    saveDraft: async (form: string, value: unknown) => {
      calls.push(`save ${JSON.stringify(value)}`);
      stored.set(form, value);
    },
    clearDraft: async (form: string) => {
      calls.push("clear");
      stored.delete(form);
    },
    logout: async () => {
      calls.push("logout");
    },
  },
}));

type Form = { name: string };
const empty: Form = { name: "" };

async function opened() {
  const hook = renderHook(() => useDraft<Form>("training", empty));
  await act(async () => answerLoad(null));
  return hook;
}

describe("a form's draft on this computer", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    stored.clear();
    calls.length = 0;
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it("is written once the typing pauses, and comes back when the form opens again", async () => {
    const { result, unmount } = await opened();
    act(() => result.current.update({ name: "Martin" }));
    act(() => result.current.update({ name: "Martine" }));
    await act(async () => vi.advanceTimersByTime(DRAFT_SAVE_DELAY_MS));
    expect(calls).toEqual(['save {"name":"Martine"}']);
    unmount();

    const again = renderHook(() => useDraft<Form>("training", empty));
    await act(async () => answerLoad(null));
    expect(again.result.current.value).toEqual({ name: "Martine" });
  });

  it("keeps what the person typed when the saved draft arrives after", async () => {
    stored.set("training", { name: "Ancien brouillon" });
    const { result } = renderHook(() => useDraft<Form>("training", empty));
    act(() => result.current.update({ name: "Dupont" }));
    await act(async () => answerLoad(null));
    expect(result.current.value).toEqual({ name: "Dupont" });
    expect(result.current.loaded).toBe(true);
  });

  it("once sent, is not written back by a save that was still waiting", async () => {
    const { result } = await opened();
    act(() => result.current.update({ name: "Dupont" }));
    await act(async () => result.current.discard());
    await act(async () => vi.advanceTimersByTime(10 * DRAFT_SAVE_DELAY_MS));
    expect(stored.has("training")).toBe(false);
    expect(calls).toEqual(["clear"]);
    expect(result.current.value).toEqual(empty);
  });

  it("writes what waits at once before a send, and nothing after it", async () => {
    const { result } = await opened();
    act(() => result.current.update({ name: "Dupont" }));
    await act(async () => result.current.flush());
    expect(calls).toEqual(['save {"name":"Dupont"}']);
    // The send clears the draft (the app's command does it once the server took the form).
    stored.delete("training");
    await act(async () => vi.advanceTimersByTime(10 * DRAFT_SAVE_DELAY_MS));
    expect(stored.has("training")).toBe(false);
    expect(calls).toHaveLength(1);
  });

  it("is filled from the server's copy only when neither a draft nor the person filled it", async () => {
    stored.set("training", { name: "Brouillon" });
    const withDraft = renderHook(() => useDraft<Form>("training", empty));
    await act(async () => answerLoad(null));
    act(() => withDraft.result.current.prefill({ name: "Copie du service" }));
    expect(withDraft.result.current.value).toEqual({ name: "Brouillon" });

    stored.clear();
    const typed = await opened();
    act(() => typed.result.current.update({ name: "Tapé" }));
    act(() => typed.result.current.prefill({ name: "Copie du service" }));
    expect(typed.result.current.value).toEqual({ name: "Tapé" });

    const untouched = await opened();
    act(() => untouched.result.current.prefill({ name: "Copie du service" }));
    expect(untouched.result.current.value).toEqual({ name: "Copie du service" });
  });

  it("still waiting at logout, is written to the account's file before the account closes", async () => {
    const { result, unmount } = await opened();
    act(() => result.current.update({ name: "Dupont" }));
    await act(async () => logOut());
    unmount();
    await act(async () => vi.advanceTimersByTime(10 * DRAFT_SAVE_DELAY_MS));
    expect(calls).toEqual(['save {"name":"Dupont"}', "logout"]);
  });
});
