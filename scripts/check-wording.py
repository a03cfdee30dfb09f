#!/usr/bin/env python3
"""One owner for every word (issue 31): French sentences belong to the UI's words files, the
server's outgoing messages and the PDFs, not to Rust code at large.

Counts, per Rust source file (test modules and `tests/` folders left out: tests assert the
words people see), the string literals that read as French sentences, and compares them with
`scripts/wording-baseline.txt`. A file may only go down: a new French sentence anywhere in Rust
outside the allowed places fails the check. When a file's count drops, the check says so, and
`--update` writes the new baseline (commit it): the ratchet only turns one way.

Allowed (not counted): `crates/documents` (the PDFs are French documents).

Usage: scripts/check-wording.py [--update]
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
BASELINE = ROOT / "scripts" / "wording-baseline.txt"
SCANNED = [ROOT / "src-tauri" / "src", *sorted((ROOT / "crates").glob("*/src"))]
ALLOWED = [ROOT / "crates" / "documents"]

# A string literal, over several lines too (`\` continuations); `'"'` is the one char literal that
# would pair wrongly, and is dropped first.
LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"', re.DOTALL)
FRENCH_LETTER = re.compile(r"[éèêëàâçîïôûùœÉÈÊÀÇ«»]")
FRENCH_WORD = re.compile(
    r"\b(le|la|les|de|des|un|une|et|en|est|pas|vous|votre|vos|du|au|aux|sur|pour|avec|dans|cette|ce|ne|qui)\b|\b(d|l|n|qu|s|c|j)'\w",
    re.IGNORECASE,
)


def is_french_sentence(text: str) -> bool:
    text = re.sub(r"\\.", " ", text)  # `\n` is no word
    words = re.findall(r"[^\W\d_]+", text)
    if len(words) < 3:
        return False
    return bool(FRENCH_LETTER.search(text)) or len(FRENCH_WORD.findall(text)) >= 2


def code_lines(path: pathlib.Path):
    """The file's lines up to its test module, comments dropped."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if line.strip() == "#[cfg(test)]" and number + 1 < len(lines) and lines[number + 1].startswith("mod tests"):
            return
        stripped = line.strip()
        if stripped.startswith("//"):
            continue
        yield line.split(" // ")[0]


def count(path: pathlib.Path) -> int:
    code = "\n".join(code_lines(path)).replace("'\"'", "")
    return sum(1 for text in LITERAL.findall(code) if is_french_sentence(text))


def current() -> dict:
    counts = {}
    for folder in SCANNED:
        if any(folder.is_relative_to(allowed) for allowed in ALLOWED):
            continue
        for path in sorted(folder.rglob("*.rs")):
            found = count(path)
            if found:
                counts[str(path.relative_to(ROOT))] = found
    return counts


def main() -> int:
    now = current()
    if "--update" in sys.argv:
        BASELINE.write_text(
            "# French sentences still written in Rust, per file: scripts/check-wording.py. Only ever lower.\n"
            + "".join(f"{path} {n}\n" for path, n in sorted(now.items())),
            encoding="utf-8",
        )
        print(f"wording: baseline written, {sum(now.values())} sentences in {len(now)} files")
        return 0
    allowed = {}
    for line in BASELINE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            path, n = line.rsplit(" ", 1)
            allowed[path] = int(n)
    failures = [f"{path}: {n} French sentences, {allowed.get(path, 0)} allowed" for path, n in sorted(now.items()) if n > allowed.get(path, 0)]
    lower = [path for path, n in allowed.items() if now.get(path, 0) < n]
    print(f"wording: {sum(now.values())} French sentences in {len(now)} Rust files (baseline {sum(allowed.values())})")
    for failure in failures:
        print(f"  more than before: {failure} (word it in the UI's words file, or in the server's messages)")
    if lower:
        print(f"  fewer than the baseline in {len(lower)} files: run scripts/check-wording.py --update and commit it")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
