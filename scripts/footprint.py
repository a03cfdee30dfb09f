#!/usr/bin/env python3
"""Measures the desktop app as a person meets it, from outside, on this machine under Xvfb:
the time from launch to the first paint (the app's blue « 95 » mark in its header, seen by
polling the X screen with xwd), to its first screen (the screen's own blue, its title or button,
below the header), and the memory a few seconds after (PSS of the app and its WebKit processes,
from /proc). The first run starts in a fresh home (the very first start: caches made,
no keychain, its first screen); the next ones in that same home, as every later start.

    scripts/footprint.py [COMMAND ...] [--runs N]   (default: target/release/cqc-desktop, 6 runs)

Several commands (each a binary and its arguments, quoted) are run in turn, one start of each per
round, so that they meet the machine in the same state: on a shared machine a start varies by
±100 ms from one minute to the next, and a comparison made an hour apart measures the machine.
"""
import argparse, os, shlex, shutil, statistics, subprocess, tempfile, time

# Eight pixels in a row of the mark's blue #000091, as xwd stores Xvfb's 24-bit pixels (B, G, R).
BLUE_RUN = b"\x91\x00\x00" * 8
# The header's height in pixels: blue below it is the screen's (a title, a button), not the mark.
HEADER_ROWS = 70


def blue_rows(frame):
    """Where the blue shows on an xwd frame: (in the header, below it)."""
    fields = [int.from_bytes(frame[i:i + 4], "big") for i in range(0, 80, 4)]
    header_size, bytes_per_line, colours = fields[0], fields[12], fields[19]
    pixels = header_size + colours * 12
    below = pixels + HEADER_ROWS * bytes_per_line
    return frame.find(BLUE_RUN, pixels, below) >= 0, frame.find(BLUE_RUN, below) >= 0


def descendants(pid):
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def pss_kib(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def name(pid):
    try:
        with open(f"/proc/{pid}/comm") as comm:
            return comm.read().strip()
    except OSError:
        return "?"


def one_run(command, display, settle, home):
    env = dict(os.environ, DISPLAY=display, HOME=home, XDG_DATA_HOME=f"{home}/.local/share",
               XDG_CONFIG_HOME=f"{home}/.config", XDG_CACHE_HOME=f"{home}/.cache",
               CQC_SERVER_URL="http://127.0.0.1:9", DBUS_SESSION_BUS_ADDRESS="unix:path=/nonexistent/bus")
    started = time.monotonic()
    app = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    painted = screen = None
    while time.monotonic() - started < 20 and screen is None:
        frame = subprocess.run(["xwd", "-root", "-silent", "-display", display], capture_output=True).stdout
        header, below = blue_rows(frame)
        now = (time.monotonic() - started) * 1000
        if (header or below) and painted is None:
            painted = now
        if below:
            screen = now
    time.sleep(settle)
    parts = {(pid, name(pid)): pss_kib(pid) for pid in descendants(app.pid)}
    app.terminate()
    app.wait(timeout=10)
    return painted, screen, parts


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("commands", nargs="*", default=["target/release/cqc-desktop"])
    parser.add_argument("--runs", type=int, default=6)
    parser.add_argument("--settle", type=float, default=5.0, help="seconds before reading memory")
    args = parser.parse_args()
    display = ":97"
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1280x900x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1)
    homes = {command: tempfile.mkdtemp(prefix="cqc-footprint-") for command in args.commands}
    later = {command: ([], [], []) for command in args.commands}
    try:
        for run in range(args.runs):
            for command in args.commands:
                painted, screen, parts = one_run(shlex.split(command), display, args.settle, homes[command])
                total = sum(parts.values()) / 1024
                detail = ", ".join(f"{comm} {kib / 1024:.0f}" for (_, comm), kib in parts.items() if kib)
                print(f"{command}: run {run + 1}: first paint {painted:.0f} ms, first screen {screen:.0f} ms, "
                      f"PSS {total:.0f} MiB ({detail})"
                      if painted and screen else f"{command}: run {run + 1}: no screen within 20 s")
                if painted and screen and run > 0:
                    for figures, figure in zip(later[command], (painted, screen, total)):
                        figures.append(figure)
        for command, (paints, screens, totals) in later.items():
            if paints:
                print(f"{command}: later starts: first paint median {statistics.median(paints):.0f} ms "
                      f"(min {min(paints):.0f}), first screen median {statistics.median(screens):.0f} ms "
                      f"(min {min(screens):.0f}), PSS median {statistics.median(totals):.0f} MiB "
                      f"over {len(paints)} runs; goals < 250 ms and < 200 MiB")
    finally:
        xvfb.terminate()
        for home in homes.values():
            shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
