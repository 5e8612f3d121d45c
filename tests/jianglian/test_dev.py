"""`./dev serve` as a stranger runs it on another port: the links its e-mails and text messages carry lead to
that server. The script runs for real, with a stand-in interpreter that records how each step was called."""
import subprocess
import sys

import pytest

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX shell")

STAND_IN = """#!/bin/sh
if [ "$1" = "--version" ]; then echo "Python 3.11.0"; exit 0; fi
echo "SITE_URL=${SITE_URL:-} :: $*" >> "$STEPS"
"""


def serve(tmp_path, **env):
    """Run `./dev serve` with `env`; the steps it ran, each with the SITE_URL it was given."""
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    python = venv / "bin" / "python"
    python.write_text(STAND_IN)
    python.chmod(0o755)
    stamp = subprocess.run(f"(cat pyproject.toml; '{python}' --version) | cksum | cut -d' ' -f1", shell=True,
                           cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    (venv / ".jianglian-install-stamp").write_text(stamp + "\n")  # installed: no pip run
    steps = tmp_path / "steps.log"
    subprocess.run(["sh", str(ROOT / "dev"), "serve"], cwd=ROOT, capture_output=True, text=True, timeout=60,
                   check=True, env={"PATH": "/usr/bin:/bin", "VENV": str(venv), "STEPS": str(steps), **env})
    return steps.read_text().splitlines()


def site_url_of(steps, command):
    return next(line.split(" :: ")[0] for line in steps if f"manage.py {command}" in line)


def test_on_another_port_the_links_in_messages_lead_to_that_server(tmp_path):
    """Was: `PORT=8231 ./dev serve` texted invitation links to http://127.0.0.1:8000/s/…, another server."""
    steps = serve(tmp_path, PORT="8231")

    assert site_url_of(steps, "runserver") == "SITE_URL=http://127.0.0.1:8231"
    assert site_url_of(steps, "seed_demo") == "SITE_URL=http://127.0.0.1:8231"  # the demo data's messages too


def test_a_server_listening_on_every_address_links_to_this_machine(tmp_path):
    steps = serve(tmp_path, HOST="0.0.0.0", PORT="8232")

    assert site_url_of(steps, "runserver") == "SITE_URL=http://127.0.0.1:8232"


def test_a_site_url_given_is_kept(tmp_path):
    steps = serve(tmp_path, PORT="8233", SITE_URL="https://jianglian.example.org")

    assert site_url_of(steps, "runserver") == "SITE_URL=https://jianglian.example.org"
