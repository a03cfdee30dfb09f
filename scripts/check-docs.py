#!/usr/bin/env python3
"""Checks the documentation, from the repository's root (Python 3 standard library only):

1. README.md stays short: under 150 lines (the rest lives in docs/);
2. every relative link and image of README.md and docs/**/*.md names a file that exists
   (http(s), mailto and other schemes are not followed; `#anchor` alone is not a file; a file
   link's `#anchor` is dropped);
3. every screenshot of the user guide, `docs/guide/.../images/<dir>/<NN>-<name>.png`, is one an
   end-to-end test takes: the `tests/e2e_*.rs` file that keeps its screenshots in
   `artifacts("<dir>")` calls `screenshot("<name>")` (or `screenshot_each_section` with the
   section `<id>` for `section-<id>`), so a screenshot renamed or removed breaks this check;
4. with `--fresh-from test-artifacts/e2e`, first copies each screenshot the guide shows from
   that folder (`<dir>/<NN>-<name>.png`, as the end-to-end tests left them) over the guide's
   copy in `docs/guide/images/`, and fails if one is missing there.

    scripts/check-docs.py [--fresh-from test-artifacts/e2e]

Prints what it checked and each failure; exits 1 on failure.
"""

import argparse
import re
import shutil
import sys
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"
GUIDE = DOCS / "guide"
TESTS = ROOT / "tests"
MAX_README_LINES = 150

# `[text](target "title")` and `![alt](target)`; the text may hold one level of brackets.
INLINE_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
# `[label]: target` (reference definitions).
REFERENCE_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)", re.MULTILINE)
# `<img src="...">` and `<a href="...">` written as HTML.
HTML_LINK = re.compile(r"<(?:img|a)\b[^>]*?\b(?:src|href)\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
FENCE = re.compile(r"^\s{0,3}(```|~~~)")
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
# A guide screenshot, relative to the guide's folder.
SHOT = re.compile(r"^images/([^/]+)/(\d{2})-([^/]+)\.png$")


def markdown_files():
    files = [README] if README.exists() else []
    if DOCS.is_dir():
        files += sorted(p for p in DOCS.rglob("*.md") if p.is_file())
    return files


def without_code(text):
    """The text with fenced code blocks and code spans blanked (line numbers kept)."""
    lines, fenced, fence = [], False, ""
    for line in text.splitlines():
        opening = FENCE.match(line)
        if fenced:
            if opening and opening.group(1) == fence:
                fenced = False
            lines.append("")
            continue
        if opening:
            fenced, fence = True, opening.group(1)
            lines.append("")
            continue
        lines.append(CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line))
    return lines


def links_of(path):
    """(line number, target) of every link and image in a markdown file, code left out."""
    lines = without_code(path.read_text(encoding="utf-8"))
    found = []
    for number, line in enumerate(lines, 1):
        for pattern in (INLINE_LINK, HTML_LINK):
            for match in pattern.finditer(line):
                found.append((number, match.group(1).strip("<>")))
    for match in REFERENCE_LINK.finditer("\n".join(lines)):
        number = "\n".join(lines)[: match.start()].count("\n") + 1
        found.append((number, match.group(1).strip("<>")))
    return found


def resolve(source, target):
    """The file a relative link names, or None for an external link or an anchor alone."""
    if SCHEME.match(target) or target.startswith("//") or target.startswith("#"):
        return None
    file_part = urllib.parse.unquote(target.split("#", 1)[0].split("?", 1)[0])
    if not file_part:
        return None
    if file_part.startswith("/"):
        return ROOT / file_part.lstrip("/")
    return (source.parent / file_part).resolve()


def shown(path):
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


class Tests:
    """What the end-to-end tests photograph: for each artifacts folder, the screenshot names."""

    def __init__(self):
        self.sources = {p: p.read_text(encoding="utf-8") for p in sorted(TESTS.glob("e2e_*.rs"))}

    def files_for(self, folder):
        """The test files that keep their screenshots in `artifacts("<folder>")`. A file that
        passes the folder's name through a helper (`start("replacement")` whose body calls
        `artifacts(test)`) counts when it calls `artifacts(` with a variable and names the
        folder as a string literal."""
        literal = [p for p, text in self.sources.items() if f'artifacts("{folder}")' in text]
        if literal:
            return literal
        return [
            p
            for p, text in self.sources.items()
            if re.search(r"artifacts\(\s*&?[A-Za-z_]", text) and f'"{folder}"' in text
        ]

    @staticmethod
    def takes(text, name):
        if f'screenshot("{name}")' in text:
            return True
        if name.startswith("section-"):
            section = name[len("section-"):]
            for listed in re.finditer(r"screenshot_each_section\(\s*&\[(.*?)\]", text, re.DOTALL):
                if f'"{section}"' in listed.group(1):
                    return True
        return False


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--fresh-from",
        metavar="FOLDER",
        help="copy each screenshot the guide shows from this folder (e.g. test-artifacts/e2e) first",
    )
    args = parser.parse_args()
    failures = []

    def fail(message):
        failures.append(message)
        print(f"  FAIL {message}")

    files = markdown_files()
    per_file = {path: links_of(path) for path in files}

    # The guide's screenshots: every image link under docs/guide/ that points into images/.
    shots = {}  # relative path under docs/guide/ -> [(markdown file, line)]
    for path, links in per_file.items():
        if GUIDE not in path.parents:
            continue
        for number, target in links:
            resolved = resolve(path, target)
            if resolved is None or resolved.suffix.lower() != ".png":
                continue
            try:
                relative = resolved.relative_to(GUIDE.resolve()).as_posix()
            except ValueError:
                continue
            shots.setdefault(relative, []).append((path, number))

    if args.fresh_from:
        source = Path(args.fresh_from)
        if not source.is_absolute():
            source = ROOT / source
        print(f"refreshing the guide's {len(shots)} screenshots from {shown(source)}/")
        copied = 0
        for relative, where in sorted(shots.items()):
            match = SHOT.match(relative)
            if not match:
                continue
            fresh = source / relative[len("images/"):]
            if not fresh.is_file():
                path, number = where[0]
                fail(f"{shown(path)}:{number}: {relative} is not in {shown(source)}/ (no end-to-end run took it)")
                continue
            kept = GUIDE / relative
            kept.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(fresh, kept)
            copied += 1
        print(f"  copied {copied} screenshot(s) into {shown(GUIDE)}/images/")

    lines = len(README.read_text(encoding="utf-8").splitlines()) if README.exists() else 0
    print(f"README.md: {lines} lines (fewer than {MAX_README_LINES} wanted)")
    if not README.exists():
        fail("README.md is missing")
    elif lines >= MAX_README_LINES:
        fail(f"README.md has {lines} lines: move content into docs/ (fewer than {MAX_README_LINES} wanted)")

    relative_links = sum(1 for links in per_file.values() for _, t in links if resolve(Path("."), t) is not None)
    print(f"links: {relative_links} relative links and images in {len(files)} markdown files")
    for path, links in per_file.items():
        for number, target in links:
            resolved = resolve(path, target)
            if resolved is not None and not resolved.exists():
                fail(f"{shown(path)}:{number}: {target} names no file ({shown(resolved)})")

    tests = Tests()
    print(f"screenshots: {len(shots)} images of docs/guide/ against {len(tests.sources)} tests/e2e_*.rs files")
    for relative, where in sorted(shots.items()):
        path, number = where[0]
        match = SHOT.match(relative)
        if not match:
            fail(f"{shown(path)}:{number}: {relative} is not images/<dir>/<NN>-<name>.png, as the end-to-end tests name them")
            continue
        folder, _, name = match.groups()
        owners = tests.files_for(folder)
        if not owners:
            fail(f'{shown(path)}:{number}: {relative}: no tests/e2e_*.rs keeps screenshots in artifacts("{folder}")')
            continue
        if not any(Tests.takes(tests.sources[p], name) for p in owners):
            names = ", ".join(shown(p) for p in owners)
            fail(f'{shown(path)}:{number}: {relative}: {names} never calls screenshot("{name}")')

    images = GUIDE / "images"
    if images.is_dir():
        unused = sorted(
            p.relative_to(GUIDE).as_posix() for p in images.rglob("*.png") if p.relative_to(GUIDE).as_posix() not in shots
        )
        for relative in unused:
            print(f"  note: docs/guide/{relative} is shown by no page of the guide")

    if failures:
        print(f"docs: {len(failures)} failure(s)")
        return 1
    print("docs: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
