#!/usr/bin/env python3
"""End-to-end smoke over HTTP against a running stack (gunicorn + Celery worker + beat), as CI's production
stage runs it (.ci/run) and as an operator would after a deploy:

  python deploy/smoke.py http://127.0.0.1:8000 --mail-dir /path/of/EMAIL_FILE_PATH

health and readiness → static files and GraphQL → tokens for the demo `enterprise` and `expert` → the enterprise posts and publishes a
challenge in the expert's skills → its matches appear (computed by the worker) with the expert among them →
the search finds the new challenge (indexed by the worker) → propose → the expert accepts → both sign →
complete → the expert's "pairing proposed" e-mail was delivered (the worker sent it; with the file e-mail
backend, --mail-dir checks the file). Standard library only; exits 1 with the failing step on any failure.
"""
import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path


class SmokeFailed(Exception):
    pass


class Client:
    def __init__(self, base, host=None):
        self.base = base.rstrip("/")
        self.host = host
        self.token = None

    def call(self, method, path, body=None, expect=(200,)):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Accept", "application/json")
        request.add_header("X-Forwarded-Proto", "https")  # as the TLS proxy in front of gunicorn says
        if self.host:
            request.add_header("Host", self.host)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", f"Token {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        try:
            payload = json.loads(raw or b"null")
        except ValueError:
            payload = raw[:500]
        if status not in expect:
            raise SmokeFailed(f"{method} {path}: HTTP {status} (expected {expect}): {payload}")
        return payload

    def get(self, path, **kw):
        return self.call("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.call("POST", path, body if body is not None else {}, **kw)


def eventually(what, probe, timeout):
    """Call probe() until it returns something truthy; SmokeFailed after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise SmokeFailed(f"{what}: not within {timeout} s")
        time.sleep(1)


def step(name):
    print(f"  smoke: {name}", flush=True)


def run(base, *, password, mail_dir, timeout, host=None):
    started = time.monotonic()
    anonymous = Client(base, host)
    step("/healthz and /readyz")
    assert_equal(anonymous.get("/healthz")["status"], "ok", "healthz")
    ready = anonymous.get("/readyz")
    assert_equal(ready["status"], "ready", "readyz")
    if set(ready["checks"]) < {"database", "broker", "search"}:
        raise SmokeFailed(f"readyz checks {ready['checks']}")

    step("static files (WhiteNoise) and the GraphQL endpoint")
    anonymous.get("/static/graphiql/console.js")
    graphql = anonymous.post("/graphql/api/", {"query": "{ skills(first: 1) { totalCount } }"})
    if not graphql.get("data", {}).get("skills", {}).get("totalCount"):
        raise SmokeFailed(f"GraphQL: {graphql}")

    step("tokens for the demo enterprise and expert")
    enterprise, expert = Client(base, host), Client(base, host)
    for client, username in ((enterprise, "enterprise"), (expert, "expert")):
        client.token = anonymous.post("/api/v1/auth/token/", {"username": username, "password": password})["token"]

    step("the expert's profile (through an invitation of theirs)")
    invitations = expert.get("/api/v1/pairings/")["results"]
    if not invitations:
        raise SmokeFailed("the demo expert has no pairing to read their expert id from (seed_demo not loaded?)")
    expert_id = invitations[0]["expert"]["id"]
    profile = anonymous.get(f"/api/v1/experts/{expert_id}/")
    skill_ids = [skill["id"] for skill in profile["skills"]]

    step("post and publish a challenge in the expert's skills")
    marker = "smk" + uuid.uuid4().hex[:8]
    challenge = enterprise.post("/api/v1/challenges/", {
        "title": f"反应釜夹套换热效率下降 {marker}",
        "description": f"冷却水侧结垢，夹套传热系数两年下降三成，希望找出清洗与水质方案。{marker}",
        "category": "technology", "skills": skill_ids, "preferred_province": profile["province"],
    }, expect=(201,))
    challenge_id = challenge["id"]
    published = enterprise.post(f"/api/v1/challenges/{challenge_id}/publish/")
    assert_equal(published["status"], "open", "published status")

    step("matches appear (ranked by the worker) with the expert among them")
    matches_path = f"/api/v1/challenges/{challenge_id}/matches/?type=expert&page_size=100"

    def expert_matched():
        results = enterprise.get(matches_path)["results"]
        return results if any((m.get("expert") or {}).get("id") == expert_id for m in results) else None

    matches = eventually("the expert among the challenge's matches", expert_matched, timeout)
    print(f"    {len(matches)} matches", flush=True)

    step("the search finds the new challenge (indexed by the worker)")
    search_path = "/api/v1/search/?" + urllib.parse.urlencode({"q": marker, "type": "challenge"})
    eventually("the challenge in search", lambda: any(
        hit["id"] == challenge_id for hit in anonymous.get(search_path)["results"]), timeout)

    step("propose, accept, sign (both), complete")
    pairing = enterprise.post("/api/v1/pairings/", {
        "challenge": challenge_id, "expert": expert_id, "message": "请您帮忙诊断夹套结垢。"}, expect=(201,))
    pairing_id = pairing["id"]
    assert_equal(expert.post(f"/api/v1/pairings/{pairing_id}/accept/", {"note": "乐意"})["status"], "accepted",
                 "after accept")
    enterprise.post(f"/api/v1/pairings/{pairing_id}/sign/")
    assert_equal(expert.post(f"/api/v1/pairings/{pairing_id}/sign/")["status"], "active", "after both signed")
    done = expert.post(f"/api/v1/pairings/{pairing_id}/complete/", {"summary": "酸洗加阻垢剂，传热系数恢复。"})
    assert_equal(done["status"], "completed", "after complete")
    assert_equal(enterprise.get(f"/api/v1/challenges/{challenge_id}/")["status"], "resolved", "challenge status")

    step("the expert's notification was delivered")
    if mail_dir:
        def delivered():
            for path in Path(mail_dir).glob("*.log"):
                text = path.read_text(encoding="utf-8", errors="replace")
                if marker in text:  # the pairing's mail names the challenge
                    return path
            return None

        found = eventually("the pairing e-mail in " + str(mail_dir), delivered, timeout)
        print(f"    {found.name}", flush=True)
    else:
        print("    (no --mail-dir: not checked)", flush=True)
    print(f"smoke passed in {time.monotonic() - started:.1f} s", flush=True)


def assert_equal(got, expected, what):
    if got != expected:
        raise SmokeFailed(f"{what}: {got!r}, expected {expected!r}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base", help="the site, e.g. http://127.0.0.1:8000")
    parser.add_argument("--password", default=os.environ.get("DEMO_PASSWORD", "jianglian-demo"))
    parser.add_argument("--mail-dir", help="EMAIL_FILE_PATH of the file e-mail backend, to check delivery")
    parser.add_argument("--host", help="Host header to send (one of DJANGO_ALLOWED_HOSTS)")
    parser.add_argument("--timeout", type=float, default=90, help="seconds to wait for each worker's effect")
    args = parser.parse_args(argv)
    try:
        run(args.base, password=args.password, mail_dir=args.mail_dir, timeout=args.timeout, host=args.host)
    except (SmokeFailed, urllib.error.URLError, KeyError) as error:
        print(f"smoke FAILED: {error!r}", file=sys.stderr, flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
