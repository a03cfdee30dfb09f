// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { UpdateProgress } from "../../bindings/UpdateProgress";
import type { UpdateStatus } from "../../bindings/UpdateStatus";
import { UPDATE_CHECK_MS, UpdateBanner } from "./UpdateBanner";

const calls = vi.hoisted(() => ({
  updateCheck: vi.fn<() => Promise<UpdateStatus>>(),
  updateInstall: vi.fn<(onProgress: (progress: UpdateProgress) => void) => Promise<void>>(),
}));
vi.mock("../../api", async (original) => ({
  ...(await original<typeof import("../../api")>()),
  api: calls,
}));

const offered: UpdateStatus = {
  current_version: "0.1.0",
  automatic: true,
  available: { version: "0.1.1", notes: "Les photos s'envoient plus vite." },
};

async function showBanner(online = true) {
  const onStatus = vi.fn();
  render(<UpdateBanner online={online} onStatus={onStatus} />);
  await act(async () => {});
  return onStatus;
}

describe("« Mise à jour disponible »", () => {
  beforeEach(() => {
    calls.updateCheck.mockReset();
    calls.updateInstall.mockReset();
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it("shows the version offered and its notes, then the download's progress and the install", async () => {
    calls.updateCheck.mockResolvedValue(offered);
    let report: (progress: UpdateProgress) => void = () => {};
    calls.updateInstall.mockImplementation((onProgress) => {
      report = onProgress;
      return new Promise(() => {});
    });
    const onStatus = await showBanner();
    expect(onStatus).toHaveBeenCalledWith(offered);
    screen.getByText("Mise à jour disponible : version 0.1.1 (vous avez la version 0.1.0).");
    screen.getByText("Les photos s'envoient plus vite.");

    fireEvent.click(screen.getByRole("button", { name: "Installer la mise à jour" }));
    act(() => report({ stage: "waiting_for_sends" }));
    screen.getByText("Un envoi est en cours : l'installation commencera dès qu'il sera terminé.");
    act(() => report({ stage: "downloading", received: 512, total: 1024 }));
    screen.getByText("Téléchargement de la mise à jour : 50 %");
    expect(screen.getByRole("progressbar").getAttribute("value")).toBe("50");
    act(() => report({ stage: "installing" }));
    screen.getByText("Installation… L'application va redémarrer d'elle-même.");
    expect(screen.queryByRole("button", { name: "Installer la mise à jour" })).toBeNull();
  });

  it("says why an install failed, keeps the app as it is and looks for the update again", async () => {
    calls.updateCheck.mockResolvedValue(offered);
    const refused = {
      code: "internal",
      message: "La mise à jour n'a pas été installée : sa signature n'est pas celle du service CQC.",
    };
    calls.updateInstall.mockRejectedValue(refused);
    await showBanner();
    fireEvent.click(screen.getByRole("button", { name: "Installer la mise à jour" }));
    await act(async () => {});
    expect(screen.getByRole("alert").textContent).toBe(refused.message);
    expect(calls.updateCheck).toHaveBeenCalledTimes(2);
    screen.getByRole("button", { name: "Installer la mise à jour" });
    // Once the service publishes a good package, the person asks again.
    fireEvent.click(screen.getByRole("button", { name: "Vérifier à nouveau" }));
    await act(async () => {});
    expect(calls.updateCheck).toHaveBeenCalledTimes(3);
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("can be closed after a failed install, whether the update is still offered or the check failed too", async () => {
    const refused = { code: "unreachable", message: "La mise à jour n'a pas pu être téléchargée." };
    calls.updateCheck.mockResolvedValue(offered);
    calls.updateInstall.mockRejectedValue(refused);
    await showBanner();
    fireEvent.click(screen.getByRole("button", { name: "Installer la mise à jour" }));
    await act(async () => {});
    fireEvent.click(screen.getByRole("button", { name: "Plus tard" }));
    expect(screen.queryByTestId("update-banner")).toBeNull();

    // The network went with the download: the look for the update fails as well.
    cleanup();
    calls.updateCheck.mockReset();
    calls.updateCheck.mockResolvedValueOnce(offered).mockRejectedValue(refused);
    await showBanner();
    fireEvent.click(screen.getByRole("button", { name: "Installer la mise à jour" }));
    await act(async () => {});
    expect(screen.getByRole("alert").textContent).toBe(refused.message);
    expect(screen.queryByRole("button", { name: "Installer la mise à jour" })).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Fermer" }));
    expect(screen.queryByTestId("update-banner")).toBeNull();
  });

  it("shows nothing to an up-to-date app or a development build, and asks again every few hours", async () => {
    vi.useFakeTimers();
    calls.updateCheck.mockResolvedValue({ current_version: "0.1.1", automatic: true, available: null });
    await showBanner();
    expect(screen.queryByTestId("update-banner")).toBeNull();
    calls.updateCheck.mockResolvedValue(offered);
    await act(async () => void vi.advanceTimersByTime(UPDATE_CHECK_MS));
    screen.getByTestId("update-banner");
    fireEvent.click(screen.getByRole("button", { name: "Plus tard" }));
    expect(screen.queryByTestId("update-banner")).toBeNull();
  });

  it("does not ask while offline", async () => {
    calls.updateCheck.mockResolvedValue(offered);
    await showBanner(false);
    expect(calls.updateCheck).not.toHaveBeenCalled();
  });
});
