"""GET /api/v1/search/: what anyone may find, in the REST error shape when something is wrong."""
import pytest

from enterprises.models import Challenge
from jianglian.choices import Honour, Province
from search import sync
from search.backends import get_backend
from search.errors import SearchUnavailable
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("index_dir")]

URL = "/api/v1/search/"


@pytest.fixture
def indexed():
    distillation = factories.make_skill(code="distillation-x", name="精馏节能")
    wang = factories.make_expert(name="王建国", bio="主持精馏塔节能改造。", skills=[distillation],
                                 honours=[Honour.GREAT_CRAFTSMAN], phone="13811112222", email="wang@example.com")
    li = factories.make_expert(name="李明", bio="精馏操作培训。", province=Province.JIANGSU, city="南京")
    studio = factories.make_studio(name="精馏创新工作室")
    enterprise_user, enterprise = factories.make_enterprise_user()
    public = factories.make_challenge(enterprise=enterprise, title="精馏塔液泛", status=Challenge.Status.OPEN)
    draft = factories.make_challenge(enterprise=enterprise, title="精馏塔草稿", status=Challenge.Status.DRAFT)
    sync.rebuild()
    return {"wang": wang, "li": li, "studio": studio, "public": public, "draft": draft,
            "enterprise_user": enterprise_user}


def test_experts_are_found_with_highlights_and_facets(client_for, indexed):
    response = client_for().get(URL, {"q": "精馏塔"})

    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "expert" and body["count"] == 2
    first = body["results"][0]
    assert first["id"] == indexed["wang"].pk
    assert first["object"]["name"] == "王建国"
    assert "<em>精馏塔</em>" in first["highlights"]["bio"]
    assert {"value": "sichuan", "count": 1} in body["facets"]["province"]


def test_filters_narrow_the_results(client_for, indexed):
    body = client_for().get(URL, {"q": "精馏", "province": "jiangsu"}).json()
    by_honour = client_for().get(URL, {"q": "精馏", "honour": Honour.GREAT_CRAFTSMAN}).json()
    both_cities = client_for().get(URL, {"city": "成都,南京"}).json()

    assert [r["id"] for r in body["results"]] == [indexed["li"].pk]
    assert [r["id"] for r in by_honour["results"]] == [indexed["wang"].pk]
    assert both_cities["count"] == 2


def test_no_contact_detail_is_in_any_hit_whoever_asks(client_for, indexed, secretariat):
    for user in (None, secretariat, indexed["enterprise_user"]):
        raw = client_for(user).get(URL, {"q": "王建国"}).content.decode()

        assert "13811112222" not in raw and "wang@example.com" not in raw
        assert "phone" not in raw and "email" not in raw


def test_studios_and_challenges_are_searched_by_type(client_for, indexed):
    studios = client_for().get(URL, {"q": "精馏", "type": "studio"}).json()
    challenges = client_for().get(URL, {"q": "精馏塔", "type": "challenge"}).json()

    assert [r["id"] for r in studios["results"]] == [indexed["studio"].pk]
    assert [r["id"] for r in challenges["results"]] == [indexed["public"].pk]


@pytest.mark.parametrize("who", ["anonymous", "owner", "secretariat"])
def test_a_draft_challenge_is_never_found_even_by_its_own_enterprise(client_for, indexed, secretariat, who):
    user = {"anonymous": None, "owner": indexed["enterprise_user"], "secretariat": secretariat}[who]

    body = client_for(user).get(URL, {"q": "草稿", "type": "challenge", "status": "draft"}).json()

    assert body["count"] == 0 and body["results"] == []


def test_pages_are_capped(client_for, indexed):
    assert client_for().get(URL, {"page_size": 1000000}).status_code == 400
    body = client_for().get(URL, {"q": "精馏", "page_size": 1, "page": 2}).json()
    assert len(body["results"]) == 1 and body["page"] == 2


@pytest.mark.parametrize("params", [{"type": "user"}, {"page": 0}, {"q": "x" * 201}, {"phone": "138"}])
def test_bad_parameters_answer_400_in_the_error_shape(client_for, indexed, params):
    response = client_for().get(URL, params)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


@pytest.mark.parametrize("q", ['"', "(((", "a:b", "*", "\\", "精馏 AND OR NOT", "<script>alert(1)</script>"])
def test_any_query_text_answers_200(client_for, indexed, q):
    response = client_for().get(URL, {"q": q})

    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


@pytest.mark.parametrize("failure", ["unreachable_elasticsearch", "unreadable_embedded_index"])
def test_an_unavailable_backend_answers_503_not_500(client_for, settings, tmp_path, failure):
    from search.backends import reset_backends

    if failure == "unreachable_elasticsearch":  # a loopback port that refuses, and no embedded index kept
        settings.SEARCH_BACKEND, settings.ELASTICSEARCH_URL = "elasticsearch", "http://127.0.0.1:9"
        settings.SEARCH_KEEP_EMBEDDED = False
    else:  # the index directory is a file
        (tmp_path / "not-a-directory").write_text("")
        settings.SEARCH_BACKEND, settings.SEARCH_INDEX_DIR = "embedded", tmp_path / "not-a-directory"
    reset_backends()
    try:
        response = client_for().get(URL, {"q": "精馏"})
    finally:
        reset_backends()

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json()["code"] == "search_unavailable"
