import pytest

from search.backends import reset_backends


@pytest.fixture
def index_dir(tmp_path, settings):
    """A fresh index directory for this test, used by the process's default backend too."""
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    settings.SEARCH_BACKEND = "embedded"
    reset_backends()
    yield settings.SEARCH_INDEX_DIR
    reset_backends()
