// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { LangContext } from "../i18n";
import { DateInput, FileChoice } from ".";

afterEach(cleanup);

describe("a date field reads and shows jj/mm/aaaa whatever the system's language", () => {
  it("gives the rules the day typed, and shows a stored day the French way", () => {
    const onChange = vi.fn();
    render(<DateInput id="birth" label="Date de naissance" value="1985-03-14" onChange={onChange} />);
    const input = screen.getByLabelText<HTMLInputElement>("Date de naissance");
    expect(input.value).toBe("14/03/1985");
    expect(input.placeholder).toBe("jj/mm/aaaa");
    expect(input.type).toBe("text");
    fireEvent.change(input, { target: { value: "21/06/1990" } });
    expect(onChange).toHaveBeenLastCalledWith("1990-06-21");
    fireEvent.change(input, { target: { value: "21/06/19" } });
    expect(onChange).toHaveBeenLastCalledWith("21/06/19");
  });

  it("speaks English in English mode", () => {
    render(
      <LangContext.Provider value="en">
        <DateInput id="birth" label="Birth date" value="" onChange={() => {}} />
      </LangContext.Provider>,
    );
    expect(screen.getByLabelText<HTMLInputElement>("Birth date").placeholder).toBe("dd/mm/yyyy");
  });
});

describe("a file is chosen through the system's dialog, worded in the app's language", () => {
  it("says no file is chosen, then names the one chosen and hands it over", () => {
    const onFile = vi.fn();
    const { container } = render(<FileChoice id="scan" accept="image/jpeg" onFile={onFile} />);
    expect(screen.getByText("Choisir un fichier")).toBeTruthy();
    expect(screen.getByText("Aucun fichier choisi")).toBeTruthy();
    const input = container.querySelector<HTMLInputElement>("#scan")!;
    const file = new File([new Uint8Array([1, 2, 3])], "cni-recto.jpg", { type: "image/jpeg" });
    fireEvent.change(input, { target: { files: [file] } });
    expect(onFile).toHaveBeenCalledWith(file);
    expect(screen.getByText("cni-recto.jpg")).toBeTruthy();
    expect(input.getAttribute("aria-describedby")).toBe("scan-chosen");
  });
});
