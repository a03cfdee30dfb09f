import { describe, expect, it } from "vitest";
import { frenchDate, isoFromTyped } from "./dates";

describe("dates typed and shown as the guide writes them", () => {
  it("reads jj/mm/aaaa, with any usual separator or none", () => {
    expect(isoFromTyped("21/06/1990")).toBe("1990-06-21");
    expect(isoFromTyped("1/6/1990")).toBe("1990-06-01");
    expect(isoFromTyped(" 21-06-1990 ")).toBe("1990-06-21");
    expect(isoFromTyped("21.06.1990")).toBe("1990-06-21");
    expect(isoFromTyped("21 06 1990")).toBe("1990-06-21");
    expect(isoFromTyped("21061990")).toBe("1990-06-21");
  });

  it("leaves what is not yet a date as typed, for the rules to refuse beside the field", () => {
    expect(isoFromTyped("21/06/19")).toBe("21/06/19");
    expect(isoFromTyped("21/06")).toBe("21/06");
    expect(isoFromTyped("demain")).toBe("demain");
    expect(isoFromTyped("")).toBe("");
  });

  it("shows a stored day as jj/mm/aaaa and anything else as it is", () => {
    expect(frenchDate("1990-06-21")).toBe("21/06/1990");
    expect(frenchDate("21/06/19")).toBe("21/06/19");
    expect(frenchDate("21-06-19")).toBe("21-06-19");
    expect(frenchDate("")).toBe("");
  });
});
