#!/usr/bin/env python3
"""Checks the API against its own OpenAPI document with schemathesis (a tool nobody here wrote):
a real server on a throwaway data folder, a driver's, a centre's, an agent's and an administrator's sessions, bounded
generated examples for every operation. Any failure, or any 5xx, fails the run.

Usage: scripts/api-contract.py PATH/TO/cqc-server SCHEMATHESIS [MAX_EXAMPLES]"""

import email
import email.policy
import json
import os
import pathlib
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

server_binary, schemathesis = sys.argv[1], sys.argv[2]
max_examples = sys.argv[3] if len(sys.argv) > 3 else "15"
PASSWORD = "Mot-De-Passe-Long-1!"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base, method, path, body=None, token=None):
    request = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode())
    request.add_header("content-type", "application/json")
    if token:
        request.add_header("authorization", "Bearer " + token)
    with urllib.request.urlopen(request, timeout=30) as answer:
        text = answer.read()
        return json.loads(text) if text else None


def cli(data_dir, *args, stdin=None):
    env = dict(os.environ, CQC_DATA_DIR=data_dir, RUST_LOG="warn")
    subprocess.run([server_binary, *args], input=stdin, text=True, check=True, env=env, stdout=subprocess.DEVNULL)


def link_token(outbox, to):
    for path in sorted(pathlib.Path(outbox).glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if message["To"] and to in message["To"] and "mot de passe" in message["Subject"]:
            found = re.search(r"jeton=([A-Za-z0-9_-]+)", message.get_body(("plain",)).get_content())
            if found:
                return found.group(1)
    return None


def main():
    data_dir = tempfile.mkdtemp(prefix="cqc-contract-")
    port = free_port()
    base = f"http://127.0.0.1:{port}/api/v1"
    cli(data_dir, "create-agent", "--email", "agent@cqc.localhost", "--name", "Agnès Traitement", stdin=PASSWORD)
    cli(data_dir, "create-admin", "--email", "admin@cqc.localhost", "--name", "Alice Admin", stdin=PASSWORD)
    cli(data_dir, "create-centre", "--approval", "AGR-69-0042", "--name", "Centre routier", "--address", "3 allée des Forgerons, 69200 Vénissieux")
    cli(data_dir, "create-centre-staff", "--centre", "AGR-69-0042", "--email", "formation@centre.fr", "--name", "Françoise Formatrice", stdin=PASSWORD)
    log = open(os.path.join(data_dir, "server.log"), "w")
    server = subprocess.Popen([server_binary, "serve", "--bind", f"127.0.0.1:{port}"], stdout=log, stderr=log,
                              env=dict(os.environ, CQC_DATA_DIR=data_dir, RUST_LOG="warn"))
    try:
        for _ in range(200):
            try:
                call(base, "GET", "/health")
                break
            except OSError:
                time.sleep(0.05)
        agent = call(base, "POST", "/session", {"email": "agent@cqc.localhost", "password": PASSWORD})["token"]
        centre = call(base, "POST", "/session", {"email": "formation@centre.fr", "password": PASSWORD})["token"]
        admin = call(base, "POST", "/session", {"email": "admin@cqc.localhost", "password": PASSWORD})["token"]
        driver_email = "jean.dupont@exemple.fr"
        receipt = call(base, "POST", "/registrations", {
            "civility": "monsieur", "last_name": "Dupont", "first_names": "Jean", "birth_date": "1985-03-14",
            "birth_city": "Lyon", "birth_country": "France", "email": driver_email, "mobile_phone": "06 12 34 56 78",
            "address": {"line1": "12 rue de la République", "line2": "", "postcode": "69002", "city": "Lyon", "country": "France"},
            "licence_kind": "card", "licence_number": "13AA00002",
            "consents": {"terms_of_use": True, "privacy_policy": True, "data_processing": True, "data_accuracy": True},
        })
        call(base, "POST", f"/agent/registrations/{receipt['request_id']}/accept", {}, agent)
        token = None
        for _ in range(100):
            token = link_token(os.path.join(data_dir, "outbox"), driver_email)
            if token:
                break
            time.sleep(0.05)
        call(base, "POST", "/password", {"token": token, "password": PASSWORD, "confirmation": PASSWORD})
        driver = call(base, "POST", "/session", {"email": driver_email, "password": PASSWORD})["token"]
        failed = False
        # The administrator last: the accounts it may open or deactivate are none of the others'.
        for role, session in [("driver", driver), ("centre", centre), ("agent", agent), ("administrator", admin)]:
            print(f"==> schemathesis as the {role}", flush=True)
            run = subprocess.run([
                schemathesis, "run", f"{base}/openapi.json",
                "--header", f"Authorization: Bearer {session}",
                "--max-examples", max_examples, "--seed", "20261127", "--workers", "1",
                # Logging out would end the session the rest of the run needs.
                "--exclude-operation-id", "logout",
                # Schemas cannot say the rules that span fields or the calendar (a confirmation
                # equal to the password, an age, a licence number's checksum): valid-looking data
                # the rules refuse with a 422 is expected, not a failure.
                "--exclude-checks", "positive_data_acceptance",
                "--no-color",
            ])
            failed |= run.returncode != 0
        sys.exit(1 if failed else 0)
    finally:
        server.kill()
        log.close()


main()
