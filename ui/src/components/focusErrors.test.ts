// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { focusFirstErrorAfterSend } from "./focusErrors";

function form(html: string): HTMLFormElement {
  document.body.innerHTML = `<form>${html}<button type="submit">Envoyer</button></form>`;
  const element = document.querySelector("form")!;
  element.addEventListener("submit", (e) => e.preventDefault());
  return element;
}

describe("focus after a refused send", () => {
  let stop: () => void;
  beforeEach(() => {
    stop = focusFirstErrorAfterSend();
  });
  afterEach(() => {
    stop();
    document.body.innerHTML = "";
    vi.useRealTimers();
  });

  it("goes to the first field to correct once the refusal shows", async () => {
    const sent = form('<input id="name"><input id="email"><input id="phone">');
    sent.requestSubmit();
    // The server answers later: two fields to correct.
    document.getElementById("email")!.setAttribute("aria-invalid", "true");
    document.getElementById("phone")!.setAttribute("aria-invalid", "true");
    await Promise.resolve();
    expect(document.activeElement?.id).toBe("email");
  });

  it("goes to the error message when the refusal names no field", async () => {
    const sent = form('<input id="email">');
    sent.requestSubmit();
    const alert = document.createElement("div");
    alert.setAttribute("role", "alert");
    alert.textContent = "Le service est injoignable.";
    sent.appendChild(alert);
    await Promise.resolve();
    expect(document.activeElement).toBe(alert);
    expect(alert.tabIndex).toBe(-1);
  });

  it("also after the same refusal twice, which changes nothing on the page", () => {
    vi.useFakeTimers();
    const sent = form('<input id="email" aria-invalid="true">');
    sent.requestSubmit();
    vi.advanceTimersByTime(400);
    expect(document.activeElement?.id).toBe("email");
  });

  it("leaves the focus alone when nothing was sent", async () => {
    form('<input id="email">');
    document.getElementById("email")!.setAttribute("aria-invalid", "true");
    await Promise.resolve();
    expect(document.activeElement).toBe(document.body);
  });
});
