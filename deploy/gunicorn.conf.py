"""gunicorn settings for jianglian.wsgi (`gunicorn -c deploy/gunicorn.conf.py jianglian.wsgi`).

Every value can be changed from the environment, so the compose recipe and CI's production stage use this
one file: GUNICORN_BIND, WEB_CONCURRENCY (worker processes), GUNICORN_THREADS, GUNICORN_TIMEOUT,
GUNICORN_MAX_REQUESTS, GUNICORN_ACCESS_LOG ("-" for stdout, empty for none), GUNICORN_PID.
"""
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Two workers per core is gunicorn's advice for a CPU-bound Django app; WEB_CONCURRENCY overrides it.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count()))
# Threads: a request waiting on PostgreSQL, Redis or search lets another run in the same worker.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (a slow leak never grows without bound); jitter: not all at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 5000))
max_requests_jitter = max_requests // 10
# The TLS proxy in front sets X-Forwarded-Proto (Django's SECURE_PROXY_SSL_HEADER trusts it): trust only
# proxies at these addresses (comma-separated; "*" when only the proxy can reach the port).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
pidfile = os.environ.get("GUNICORN_PID") or None
# Each worker imports the app itself: no database connection or open search index is shared across a fork.
preload_app = False
