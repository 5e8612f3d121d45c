"""The test settings' scratch directories (search index, uploads) leave with the process that made them.

Each process loading jianglian.settings.test makes its own; a test run used to leave both behind in /tmp, one
pair per run, for ever. A forked child of that process (it inherits the exit hook) must not remove them.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)

PROCESS = """
import json, os, sys
import django
django.setup()
from django.conf import settings
made = [str(settings.SEARCH_INDEX_DIR), str(settings.MEDIA_ROOT)]
(settings.SEARCH_INDEX_DIR / "expert").mkdir()  # as an index write leaves it: not empty
for path in made:
    open(os.path.join(path, "written.txt"), "w").write("a test wrote here")
child = os.fork()
if child == 0:
    sys.exit(0)  # runs the inherited exit hooks, as any forked child's normal exit does
os.waitpid(child, 0)
print(json.dumps({"made": made, "after_child": [os.path.isdir(path) for path in made]}))
"""


def test_the_index_and_media_directories_are_removed_when_the_process_exits_and_not_by_a_forked_child():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["DJANGO_SETTINGS_MODULE"] = "jianglian.settings.test"
    done = subprocess.run([sys.executable, "-c", PROCESS], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    index, media = (Path(path) for path in seen["made"])
    assert index.name.startswith("jianglian-test-index-") and media.name.startswith("jianglian-test-media-")
    assert seen["after_child"] == [True, True]
    assert not index.exists() and not media.exists()

