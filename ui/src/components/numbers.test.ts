import { describe, expect, it } from "vitest";
import { count, counted } from "./numbers";

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
});
