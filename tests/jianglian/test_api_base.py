"""The shared REST pieces: token login, session + CSRF, the OpenAPI schema and the offline Swagger UI."""
import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from enterprises.models import Challenge, Enterprise
from tests import factories

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


# --- token authentication ---------------------------------------------------------------------
def test_a_user_exchanges_username_and_password_for_a_token_and_uses_it():
    user = factories.make_user("zhangsan")
    response = APIClient().post(TOKEN_URL, {"username": "zhangsan", "password": "pass-word-123"}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    assert Token.objects.get(user=user).key == token
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.post("/api/v1/enterprises/", {
        "name": "某化工", "credit_code": factories.make_credit_code(), "province": "sichuan", "city": "成都"},
        format="json")
    assert response.status_code == 201


def test_wrong_credentials_are_a_400_and_no_token():
    factories.make_user("lisi")
    response = APIClient().post(TOKEN_URL, {"username": "lisi", "password": "wrong"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and "non_field_errors" in response.json()["errors"]
    assert not Token.objects.exists()


def test_an_invalid_token_is_a_401_even_on_public_reads():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get("/api/v1/studios/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_anonymous_writes_answer_401_with_the_token_challenge():
    response = APIClient().post("/api/v1/challenges/", {}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


# --- session authentication keeps CSRF ----------------------------------------------------------
@pytest.fixture
def browser(enterprise_user):
    user, enterprise = enterprise_user
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    return client, enterprise


NEW = {"title": "溶剂回收率低", "description": "回收塔效率不足。", "category": "green"}


def test_a_session_post_without_the_csrf_token_is_refused(browser):
    client, _ = browser
    response = client.post("/api/v1/challenges/", NEW, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    response = client.post("/api/v1/challenges/", NEW)  # form-encoded, as a plain HTML form would
    assert response.status_code == 403
    assert not Challenge.objects.exists()


def test_a_session_post_with_the_csrf_token_goes_through(browser):
    client, _ = browser
    client.get("/api/v1/challenges/")  # any page; the token comes from the cookie
    from django.middleware.csrf import _get_new_csrf_string

    csrf = _get_new_csrf_string()
    client.cookies["csrftoken"] = csrf
    response = client.post("/api/v1/challenges/", NEW, format="json", HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 201, response.json()


def test_a_session_verify_without_csrf_changes_nothing(secretariat):
    enterprise = factories.make_enterprise(verified=False)
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(secretariat)
    assert client.post(f"/api/v1/enterprises/{enterprise.pk}/verify/").status_code == 403
    assert Enterprise.objects.get(pk=enterprise.pk).verified is False


# --- documentation ----------------------------------------------------------------------------
ERROR_CODES = {"400", "401", "403", "404", "409"}


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        response = APIClient().get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def test_every_operation_documents_the_error_answers_in_the_one_error_shape(schema):
    operations = [(path, method, op) for path, item in schema["paths"].items() for method, op in item.items()]
    assert len(operations) >= 20
    for path, method, op in operations:
        assert ERROR_CODES <= set(op["responses"]), (path, method)
        ref = op["responses"]["403"]["content"]["application/json"]["schema"]["$ref"]
        assert ref == "#/components/schemas/Error"
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"detail", "code", "errors"}


def test_every_rest_operation_has_a_bilingual_summary(schema):
    for path, item in schema["paths"].items():
        for method, op in item.items():
            assert " / " in op.get("summary", ""), (path, method)


def test_writes_document_the_output_and_refuse_unknown_fields(schema):
    post = schema["paths"]["/api/v1/challenges/"]["post"]
    assert post["responses"]["201"]["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/Challenge"
    request = schema["components"]["schemas"]["ChallengeCreateRequest"]
    assert request["additionalProperties"] is False
    assert "status" not in request["properties"]
    assert "verified" not in schema["components"]["schemas"]["EnterpriseRegisterRequest"]["properties"]


def test_the_list_documents_the_page_size_parameter(schema):
    params = {p["name"] for p in schema["paths"]["/api/v1/experts/"]["get"]["parameters"]}
    assert {"page", "page_size", "ordering", "province", "city", "skill", "honour", "studio", "category"} <= params


def test_swagger_ui_is_served_from_local_static_files():
    response = APIClient().get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn.jsdelivr" not in html and "unpkg.com" not in html


def test_an_out_of_range_page_is_a_404_in_the_error_shape():
    response = APIClient().get("/api/v1/studios/?page=99")
    assert response.status_code == 404
    assert set(response.json()) == {"detail", "code", "errors"}


def test_the_user_model_is_never_exposed(schema):
    assert get_user_model()._meta.model_name not in {s.lower() for s in schema["components"]["schemas"]}
    for name, component in schema["components"]["schemas"].items():
        if not name.endswith("Request"):  # only the token login takes a password
            assert "password" not in component.get("properties", {}), name


@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
@pytest.mark.parametrize("url", ["/api/v1/challenges/not-a-number.5/", "/api/v1/no-such-thing/", "/api/nope",
                                 "/api/v2/experts/"])
def test_an_unknown_api_url_answers_json_not_an_html_page_in_every_mode(settings, debug, url):
    settings.DEBUG = debug
    response = APIClient().get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "未找到 / Not found.", "code": "not_found", "errors": {}}


def test_an_api_url_without_its_trailing_slash_still_redirects_to_it():
    response = APIClient().get("/api/v1/experts")
    assert response.status_code == 301 and response["Location"] == "/api/v1/experts/"


def test_an_unknown_page_outside_the_api_stays_an_html_page(settings):
    settings.DEBUG = True
    response = APIClient().get("/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


# --- pages and ordering of every list ---------------------------------------------------------------------------
@pytest.mark.parametrize("page", ["-1", "0", "abc", "1.5", "²"])
def test_a_page_that_is_no_positive_whole_number_is_a_400_on_page(page):
    """Was a 404 "invalid page" (the search answered 400 for the same `page=-1`)."""
    response = APIClient().get("/api/v1/experts/", {"page": page})

    assert response.status_code == 400
    assert response.json()["errors"] == {"page": ["应为从 1 开始的页码 / A page number, starting at 1."]}


def test_a_page_past_the_last_is_a_404_and_last_is_the_last_page():
    factories.make_expert()

    assert APIClient().get("/api/v1/experts/", {"page": "2"}).status_code == 404
    assert APIClient().get("/api/v1/experts/", {"page": "last"}).json()["count"] == 1


@pytest.mark.parametrize("size", ["-5", "0", "abc", "10.0"])
def test_a_page_size_that_is_no_positive_whole_number_is_a_400_on_page_size(size):
    """Was silently the default page size."""
    response = APIClient().get("/api/v1/challenges/", {"page_size": size})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["page_size"]


def test_a_page_size_over_the_cap_is_cut_to_the_cap(settings):
    for _ in range(3):
        factories.make_expert()
    from jianglian.api.pagination import CappedPageNumberPagination

    body = APIClient().get("/api/v1/experts/", {"page_size": "2"}).json()
    assert len(body["results"]) == 2
    assert CappedPageNumberPagination.max_page_size == settings.API_MAX_PAGE_SIZE


@pytest.mark.parametrize("ordering", ["password", "-phone", "name,nmae", "email"])
def test_ordering_by_a_field_the_list_does_not_offer_is_a_400_naming_the_ones_it_does(ordering):
    """Was silently ignored: `?ordering=password` answered the default order, a typo looked like it worked."""
    response = APIClient().get("/api/v1/experts/", {"ordering": ordering})

    assert response.status_code == 400
    [message] = response.json()["errors"]["ordering"]
    assert "name, id, capacity, updated_at, province, city" in message


def test_ordering_by_an_offered_field_still_orders_either_way():
    factories.make_expert(name="甲")
    factories.make_expert(name="乙")

    names = [e["name"] for e in APIClient().get("/api/v1/experts/", {"ordering": "-name,id"}).json()["results"]]

    assert names == sorted(names, reverse=True)


# --- a URL without its trailing slash ----------------------------------------------------------------------------
@pytest.mark.parametrize("debug", [True, False])
def test_a_write_to_a_url_missing_its_trailing_slash_is_redirected_to_be_repeated_there(settings, client_for, debug):
    """Was a 500 with DEBUG (Django's RuntimeError page: "You called this URL via POST …") and, without it, a 301
    that clients follow with a GET (405). 308 makes the client send the same POST to the slash URL."""
    settings.DEBUG = debug
    user, enterprise = factories.make_enterprise_user()
    draft = factories.make_challenge(enterprise=enterprise, status=Challenge.Status.DRAFT)
    client = client_for(user)

    response = client.post(f"/api/v1/challenges/{draft.pk}/publish", format="json")

    assert response.status_code == 308
    assert response["Location"] == f"/api/v1/challenges/{draft.pk}/publish/"
    assert client.post(response["Location"], format="json").status_code == 200
    draft.refresh_from_db()
    assert draft.status == Challenge.Status.OPEN


def test_a_read_without_the_trailing_slash_is_still_a_plain_permanent_redirect():
    response = APIClient().get("/api/v1/experts")

    assert response.status_code == 301 and response["Location"] == "/api/v1/experts/"


def test_a_write_to_an_unknown_url_is_still_a_json_404():
    response = APIClient().post("/api/v1/nowhere", {}, format="json")

    assert response.status_code == 404 and response.json()["code"] == "not_found"
