#!/usr/bin/env python3
"""A real SMTP server for the tests of the service's email delivery (crates/server/tests/smtp.rs).

aiosmtpd (PyPI, installed by scripts/install-deps.sh in its own virtual environment) on loopback,
with STARTTLS required (a throwaway certificate authority and server certificate made here with
openssl) and AUTH refused on clear text, as a provider's submission port does. Each message it
accepts is written to <folder>/<n>.eml with the TLS state of its session.

Usage: smtp-server.py FOLDER PORT [--refuse N]
  FOLDER   where the certificates (ca.pem) and the messages go; created if missing
  --refuse N  answer « 451 try again later » to the first N messages (a server that refuses)
Prints "ready" once it listens; stops on SIGTERM.
"""

import argparse
import asyncio
import pathlib
import signal
import ssl
import subprocess

from aiosmtpd.controller import Controller


def certificates(folder: pathlib.Path) -> ssl.SSLContext:
    """A certificate authority and a server certificate for 127.0.0.1, made once per folder."""
    ca_key, ca, key, cert = (folder / n for n in ("ca.key", "ca.pem", "server.key", "server.pem"))
    if not cert.exists():
        run = lambda *args: subprocess.run(["openssl", *args], check=True, capture_output=True)
        run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca_key, "-out", ca, "-days", "2",
            "-subj", "/CN=CQC test CA", "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign")
        run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", folder / "server.csr",
            "-subj", "/CN=127.0.0.1")
        extensions = folder / "server.ext"
        extensions.write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n")
        run("x509", "-req", "-in", folder / "server.csr", "-CA", ca, "-CAkey", ca_key, "-CAcreateserial",
            "-out", cert, "-days", "2", "-extfile", extensions)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


class Recorder:
    def __init__(self, folder: pathlib.Path, refuse: int):
        self.folder, self.refuse, self.count = folder, refuse, 0

    async def handle_DATA(self, server, session, envelope):
        if self.refuse > 0:
            self.refuse -= 1
            return "451 4.3.0 Try again later"
        self.count += 1
        tls = "starttls" if session.ssl else "clear"
        (self.folder / f"{self.count}.eml").write_bytes(
            f"X-Test-Session: {tls}\r\nX-Test-Rcpt: {','.join(envelope.rcpt_tos)}\r\n".encode() + envelope.content
        )
        return "250 2.0.0 OK"


def main():
    arguments = argparse.ArgumentParser()
    arguments.add_argument("folder", type=pathlib.Path)
    arguments.add_argument("port", type=int)
    arguments.add_argument("--refuse", type=int, default=0)
    options = arguments.parse_args()
    options.folder.mkdir(parents=True, exist_ok=True)
    context = certificates(options.folder)
    controller = Controller(
        Recorder(options.folder, options.refuse),
        hostname="127.0.0.1",
        port=options.port,
        tls_context=context,
        require_starttls=True,
    )
    controller.start()
    print("ready", flush=True)
    stopped = asyncio.Event()
    loop = asyncio.new_event_loop()
    loop.add_signal_handler(signal.SIGTERM, stopped.set)
    loop.run_until_complete(stopped.wait())
    controller.stop()


if __name__ == "__main__":
    main()
