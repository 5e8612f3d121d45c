"""API load benchmark: concurrent clients against the production stack (gunicorn), one endpoint at a time.

    python bench/api.py --serve                  # start gunicorn itself (production settings, 2 workers)
    python bench/api.py --base http://127.0.0.1:8000   # or drive a stack already running

The database (DATABASE_URL, PostgreSQL) must hold the demo data (`seed_demo`, full scale) and its search index
(`search_index --rebuild`); with --serve, gunicorn runs `deploy/gunicorn.conf.py` with WEB_CONCURRENCY=2 on
127.0.0.1:--port and the environment of this process (CELERY_BROKER_URL, SEARCH_BACKEND …), and is stopped at
the end. For each endpoint, --clients concurrent clients (asyncio + httpx, keep-alive) send requests back to
back for --duration seconds (default 60, after a short warm-up); printed per endpoint: requests, requests/s,
p50/p95/p99 latency in ms, errors (a status other than 2xx, or no answer), the load average of the machine
before and after (latencies and rates are only comparable on a quiet machine), and the CPU milliseconds per
request of gunicorn (with --serve) and of the clients, which a busy machine does not distort. The endpoints:

- experts:      GET /api/v1/experts/                       (anonymous, pages 1–5)
- expert:       GET /api/v1/experts/<id>/                  (anonymous, 50 ids in turn)
- search:       GET /api/v1/search/?q=…&type=expert        (anonymous, 12 queries in turn)
- matches:      GET /api/v1/challenges/<id>/matches/       (the demo enterprise's token, its open challenges)
- graphql:      POST /graphql/api/ experts(first: 20) with skills, honours and studio { members }   (anonymous)

Targets (issue 14, 2 cores, 2 workers, 16 clients): 0 errors; experts and search ≥ 150 requests/s, p95 ≤ 100 ms.
--json prints one JSON object instead of the table.
"""
import argparse
import asyncio
import itertools
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
HEADERS = {"Accept": "application/json", "X-Forwarded-Proto": "https"}  # as the TLS proxy in front would say
SEARCH_TERMS = ["精馏", "节能", "密封", "结晶", "催化剂", "安全", "泄漏", "污水处理", "换热器", "自动化", "设备维修", "质量"]
GRAPHQL = """query Experts($first: Int) { experts(first: $first) { totalCount edges { node {
  id name employer province honours { honour year } skills { name }
  studio { name level members { name } } } } } }"""


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    k = (len(sorted_values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


async def drive(client, make_request, *, clients, duration):
    """`clients` loops sending make_request() back to back for `duration` s: (latencies in s, errors, samples)."""
    latencies, errors, samples = [], 0, []
    deadline = time.monotonic() + duration

    async def one_client():
        nonlocal errors
        while time.monotonic() < deadline:
            method, url, kwargs = make_request()
            started = time.perf_counter()
            try:
                response = await client.request(method, url, **kwargs)
                ok = 200 <= response.status_code < 300 and not (
                    url.startswith("/graphql") and response.json().get("errors"))
            except httpx.HTTPError as exc:
                ok, response = False, exc
            latencies.append(time.perf_counter() - started)
            if not ok:
                errors += 1
                if len(samples) < 3:
                    samples.append(str(getattr(response, "status_code", response))
                                   + " " + (response.text[:200] if hasattr(response, "text") else ""))

    await asyncio.gather(*(one_client() for _ in range(clients)))
    return latencies, errors, samples


async def prepare(client, password):
    """Ids and the enterprise token the endpoints use, read through the API itself."""
    experts = (await client.get("/api/v1/experts/", params={"page_size": 50})).json()["results"]
    token = (await client.post("/api/v1/auth/token/",
                               json={"username": "enterprise", "password": password})).json()["token"]
    auth = {**HEADERS, "Authorization": f"Token {token}"}
    challenges = (await client.get("/api/v1/challenges/", params={"mine": "true", "status": "open",
                                                                   "page_size": 20}, headers=auth)).json()["results"]
    if not experts or not challenges:
        raise SystemExit("the database has no experts or the demo enterprise no open challenge: run seed_demo")
    return [e["id"] for e in experts], [c["id"] for c in challenges], auth


def endpoints(expert_ids, challenge_ids, auth):
    pages, ids, terms, open_ids = (itertools.cycle(range(1, 6)), itertools.cycle(expert_ids),
                                   itertools.cycle(SEARCH_TERMS), itertools.cycle(challenge_ids))
    return {
        "experts": lambda: ("GET", "/api/v1/experts/", {"params": {"page": next(pages)}}),
        "expert": lambda: ("GET", f"/api/v1/experts/{next(ids)}/", {}),
        "search": lambda: ("GET", "/api/v1/search/", {"params": {"q": next(terms), "type": "expert"}}),
        "matches": lambda: ("GET", f"/api/v1/challenges/{next(open_ids)}/matches/",
                            {"params": {"type": "expert"}, "headers": auth}),
        "graphql": lambda: ("POST", "/graphql/api/", {"json": {"query": GRAPHQL, "variables": {"first": 20}}}),
    }


def server_cpu_seconds(process):
    """CPU seconds (user + system) of gunicorn's master and workers so far; None without --serve (or /proc)."""
    if process is None:
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    try:
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
        for pid in [str(process.pid), *children]:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    except OSError:
        return None
    return total / ticks


async def bench(base, *, clients, duration, warmup, only, password, process=None):
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, headers=HEADERS, limits=limits, timeout=30) as client:
        expert_ids, challenge_ids, auth = await prepare(client, password)
        results = {}
        for name, make_request in endpoints(expert_ids, challenge_ids, auth).items():
            if only and name not in only:
                continue
            await drive(client, make_request, clients=clients, duration=warmup)
            load_before = os.getloadavg()[0]
            started, client_cpu, server_cpu = time.monotonic(), time.process_time(), server_cpu_seconds(process)
            latencies, errors, samples = await drive(client, make_request, clients=clients, duration=duration)
            elapsed = time.monotonic() - started
            client_cpu = time.process_time() - client_cpu
            server_cpu = server_cpu_seconds(process) - server_cpu if server_cpu is not None else None
            ordered = sorted(latencies)
            results[name] = {
                "requests": len(latencies), "rps": round(len(latencies) / elapsed, 1),
                "p50_ms": round(percentile(ordered, 50) * 1000, 1), "p95_ms": round(percentile(ordered, 95) * 1000, 1),
                "p99_ms": round(percentile(ordered, 99) * 1000, 1), "errors": errors,
                "load_before": round(load_before, 2), "load_after": round(os.getloadavg()[0], 2),
            }
            if latencies:  # CPU per request: what a busy machine does not distort
                results[name]["client_cpu_ms"] = round(client_cpu / len(latencies) * 1000, 2)
                if server_cpu is not None:
                    server_ms = server_cpu / len(latencies) * 1000
                    results[name]["server_cpu_ms"] = round(server_ms, 2)
                    # what the cores could serve if the server had them all (the clients elsewhere)
                    results[name]["cpu_bound_rps"] = round((os.cpu_count() or 1) * 1000 / server_ms, 1) \
                        if server_ms else None
            if samples:
                results[name]["error_samples"] = samples
            print(f"  {name}: {results[name]}", file=sys.stderr, flush=True)
        return results


def serve(port):
    """gunicorn with deploy/gunicorn.conf.py, production settings, 2 workers; returns the process."""
    env = {
        "DJANGO_SETTINGS_MODULE": "jianglian.settings.production",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-only-" + "k" * 50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": f"http://127.0.0.1:{port}",
        **os.environ,
        "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "2"),
        "GUNICORN_ACCESS_LOG": "", "GUNICORN_MAX_REQUESTS": "0",  # no worker recycled: its CPU time stays counted
    }
    env["DJANGO_SETTINGS_MODULE"] = "jianglian.settings.production"
    process = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-c", "deploy/gunicorn.conf.py",
                                "jianglian.wsgi"], cwd=ROOT, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    for _ in range(60):
        try:
            if httpx.get(base + "/readyz", timeout=5).status_code == 200:
                return process, base
        except httpx.HTTPError:
            pass
        if process.poll() is not None:
            raise SystemExit("gunicorn exited")
        time.sleep(1)
    stop(process)
    raise SystemExit("gunicorn did not become ready")


def stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", help="a running stack, e.g. http://127.0.0.1:8000")
    parser.add_argument("--serve", action="store_true", help="start gunicorn (2 workers) for the run")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=60, help="seconds per endpoint (default 60)")
    parser.add_argument("--warmup", type=float, default=3, help="seconds per endpoint before measuring")
    parser.add_argument("--only", nargs="*", help="some endpoints: experts expert search matches graphql")
    parser.add_argument("--password", default=os.environ.get("DEMO_PASSWORD", "jianglian-demo"))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not args.base and not args.serve:
        parser.error("--base URL or --serve")

    process = None
    try:
        base = args.base
        if args.serve:
            process, base = serve(args.port)
        results = asyncio.run(bench(base, clients=args.clients, duration=args.duration, warmup=args.warmup,
                                    only=args.only, password=args.password, process=process))
    finally:
        if process is not None:
            stop(process)
    report = {"clients": args.clients, "duration_s": args.duration, "cores": os.cpu_count(), "endpoints": results}
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return
    print(f"{args.clients} clients, {args.duration:g} s per endpoint, {os.cpu_count()} cores")
    print(f"{'endpoint':<10}{'requests':>9}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'errors':>7}"
          f"{'server CPU ms/req':>19}{'client CPU ms/req':>19}  load avg")
    for name, r in results.items():
        print(f"{name:<10}{r['requests']:>9}{r['rps']:>8}{r['p50_ms']:>8}{r['p95_ms']:>8}{r['p99_ms']:>8}"
              f"{r['errors']:>7}{str(r.get('server_cpu_ms', '-')):>19}{str(r.get('client_cpu_ms', '-')):>19}"
              f"  {r['load_before']} → {r['load_after']}")


if __name__ == "__main__":
    main()
