import { describe, expect, it } from "vitest";
import { addressOf, routeOf, startRoute } from "./route";

const sections = ["accueil", "mes-demandes", "mes-cartes"];

describe("a space's addresses", () => {
  it("name a section, or an item in it", () => {
    expect(addressOf({ section: "mes-cartes" })).toBe("#/mes-cartes");
    expect(routeOf("#/mes-demandes/abc-1", sections)).toEqual({ section: "mes-demandes", item: "abc-1" });
    expect(routeOf(addressOf({ section: "mes-demandes", item: "a/b c" }), sections)).toEqual({
      section: "mes-demandes",
      item: "a/b c",
    });
  });

  it("ignore what is not one of the space's sections", () => {
    expect(routeOf("", sections)).toBeNull();
    expect(routeOf("#/tarifs", sections)).toBeNull();
    expect(routeOf("#", sections)).toBeNull();
  });

  it("reopen the section left last, never a section the space does not have", () => {
    expect(startRoute("", "mes-cartes", sections)).toEqual({ section: "mes-cartes" });
    expect(startRoute("", "tarifs", sections)).toEqual({ section: "accueil" });
    expect(startRoute("", null, sections)).toEqual({ section: "accueil" });
    expect(startRoute("#/mes-demandes/x", "mes-cartes", sections)).toEqual({
      section: "mes-demandes",
      item: "x",
    });
  });
});
