import { describe, expect, it } from "vitest";
import { count, counted, fromHundredths, hundredths } from "./numbers";

describe("numbers as each language writes them", () => {
  it("groups thousands with a narrow no-break space in French and a comma in English", () => {
    expect(count(20000, "fr")).toBe("20\u202f000");
    expect(count(1234567, "fr")).toBe("1\u202f234\u202f567");
    expect(count(20000, "en")).toBe("20,000");
    expect(count(999, "fr")).toBe("999");
  });

  it("puts 0 and 1 in the singular in French, only 1 in English", () => {
    expect(counted(0, "fr", "formation", "formations")).toBe("0 formation");
    expect(counted(1, "fr", "formation", "formations")).toBe("1 formation");
    expect(counted(2, "fr", "formation", "formations")).toBe("2 formations");
    expect(counted(12500, "fr", "formation", "formations")).toBe("12\u202f500 formations");
    expect(counted(0, "en", "training", "trainings")).toBe("0 trainings");
    expect(counted(1, "en", "training", "trainings")).toBe("1 training");
  });

  it("reads an amount or a rate typed with a comma or a point, to the hundredth", () => {
    expect(hundredths("25,50")).toBe(2550);
    expect(hundredths(" 25 ")).toBe(2500);
    expect(hundredths("5,5")).toBe(550);
    expect(hundredths("1 000,00")).toBe(100000);
    expect(hundredths("0.05")).toBe(5);
    for (const wrong of ["", "-6", "25,505", "vingt", "1e3", "25,", ",5"]) {
      expect(hundredths(wrong)).toBeNull();
    }
    expect(fromHundredths(2550, "fr")).toBe("25,50");
    expect(fromHundredths(2000, "en")).toBe("20.00");
  });
});
