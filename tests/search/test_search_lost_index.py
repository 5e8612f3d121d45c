"""An embedded index whose `current` dangles, or is gone while generations remain, is lost: 503, never an empty
answer and never replaced by an empty index outside a rebuild; the reconcile (beat) rebuilds it from the
database, after which `search_index --check` finds no drift."""
import os
import shutil

import pytest
from django.core.management import call_command

from search import sync
from search.backends import get_backend
from search.errors import IndexLost
from search.index import get_definition
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("index_dir")]


@pytest.fixture
def built(index_dir):
    experts = [factories.make_expert(name=f"钟工{n}", bio="精馏塔节能改造") for n in range(3)]
    sync.rebuild(["expert"])
    assert sorted(get_backend().search("expert", "精馏").ids) == sorted(e.pk for e in experts)
    return index_dir / "expert", experts


def dangle(root):
    current = root / "current"
    shutil.rmtree(current.resolve())  # the generation it points to is gone


def unlink(root):
    (root / "current").unlink()  # the link is gone, the generation stays


@pytest.mark.parametrize("lose", [dangle, unlink], ids=["dangling", "missing"])
def test_a_lost_index_answers_503(built, lose, client):
    root, _ = built
    lose(root)
    with pytest.raises(IndexLost):
        get_backend().search("expert", "精馏")
    response = client.get("/api/v1/search/", {"q": "精馏", "type": "expert"})
    assert response.status_code == 503 and response.json()["code"] == "search_unavailable"
    assert response["Retry-After"]


@pytest.mark.parametrize("lose", [dangle, unlink], ids=["dangling", "missing"])
def test_a_write_never_replaces_a_lost_index_with_an_empty_one(built, lose):
    root, experts = built
    lose(root)
    generations = sorted(p.name for p in root.glob("gen-*"))
    factories.make_expert(name="新来的", bio="精馏")  # its after-commit index update fails, logged; the save stands
    with pytest.raises(IndexLost):
        sync.apply_update("expert", [experts[0].pk])
    assert sorted(p.name for p in root.glob("gen-*")) == generations
    assert not (root / "current").exists()


@pytest.mark.parametrize("lose", [dangle, unlink], ids=["dangling", "missing"])
def test_the_reconcile_rebuilds_a_lost_index_from_the_database(built, lose, capsys):
    root, experts = built
    lose(root)
    newcomer = factories.make_expert(name="新来的", bio="精馏塔")
    found = {drift.index: drift for drift in sync.reconcile(["expert"])}
    assert found["expert"].missing == {e.pk for e in experts} | {newcomer.pk}
    assert sorted(get_backend().search("expert", "精馏").ids) == sorted([e.pk for e in experts] + [newcomer.pk])
    assert os.path.isdir((root / "current").resolve())
    assert not sync.find_drift(get_definition("expert"), get_backend())


def test_an_index_never_built_still_reads_empty_and_is_created_by_its_first_write(
        index_dir, django_capture_on_commit_callbacks):
    assert get_backend().search("expert", "催化").ids == []
    with django_capture_on_commit_callbacks(execute=True):
        expert = factories.make_expert(name="初建", bio="催化")
    assert get_backend().search("expert", "催化").ids == [expert.pk]  # the save's own update created it
