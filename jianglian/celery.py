import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianglian.settings")

app = Celery("jianglian")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["matching.pairings"])  # pairing expiry and reminder beat tasks
