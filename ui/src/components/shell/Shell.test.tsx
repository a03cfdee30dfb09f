// @vitest-environment jsdom
import { act, cleanup, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Shell, goTo } from "./Shell";

const sections = [
  { id: "accueil", label: "Accueil", render: () => <p>Votre prochaine étape</p> },
  {
    id: "mes-demandes",
    label: "Mes demandes",
    render: (item: string | undefined) => <p>{item ? `Demande ${item}` : "Aucune demande ouverte"}</p>,
  },
  { id: "notifications", label: "Notifications", count: 3, render: () => <p>Vos notifications</p> },
];

function showSpace(accountId = "a1") {
  return render(
    <Shell title="Mon espace personnel" accountId={accountId} sections={sections} top={<p>Bonjour</p>} />,
  );
}

async function followAddress(hash: string) {
  await act(async () => {
    window.location.hash = hash;
    window.dispatchEvent(new HashChangeEvent("hashchange"));
  });
}

describe("a space's menu", () => {
  beforeEach(() => {
    localStorage.clear();
    window.history.replaceState(null, "", "#");
  });
  afterEach(cleanup);

  it("opens the first section, with its address, and says which entry is open", () => {
    showSpace();
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Accueil");
    expect(window.location.hash).toBe("#/accueil");
    expect(screen.getByRole("link", { name: "Accueil" }).getAttribute("aria-current")).toBe("page");
  });

  it("shows each section at its own address, an item in it, and the unread count", async () => {
    showSpace();
    expect(screen.getByTestId("count-notifications").textContent).toBe("3 non lues");
    await followAddress("#/mes-demandes/d-42");
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Mes demandes");
    expect(screen.getByText("Demande d-42")).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole("heading", { level: 1 }));
    await followAddress("#/tarifs");
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Mes demandes");
  });

  it("reopens the section each account left last", async () => {
    const first = showSpace("a1");
    await act(async () => goTo({ section: "notifications" }));
    await followAddress(window.location.hash);
    first.unmount();
    window.history.replaceState(null, "", "#");
    showSpace("a2");
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Accueil");
    cleanup();
    window.history.replaceState(null, "", "#");
    showSpace("a1");
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Notifications");
  });
});
