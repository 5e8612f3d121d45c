"""Builders for matching specifications: the real taxonomy, derived areas and a real search index."""
import pytest

from experts.taxonomy.loader import load_taxonomy
from matching.engine.profiles import refresh_all_areas
from search import sync
from search.backends import reset_backends


@pytest.fixture
def taxonomy(db, tmp_path, settings):
    """The curated taxonomy loaded, and a fresh embedded search index for this test."""
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    settings.SEARCH_BACKEND = "embedded"
    reset_backends()
    load_taxonomy()
    yield
    reset_backends()


def index_everything():
    """What the on-commit tasks do after saves (they do not run inside a test transaction)."""
    refresh_all_areas()
    sync.rebuild(["expert", "studio"])
