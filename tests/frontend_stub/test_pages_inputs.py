"""Page inputs go through form fields: a NUL, a lone surrogate (as percent-encoded bytes), or text past a field's
length is a field error on the page (or a 400), never a 500 and never a query with it — on both databases
(PostgreSQL cannot compare or store a NUL)."""
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from enterprises.models import Challenge

pytestmark = pytest.mark.django_db

NUL, SURROGATE_BYTES, OVERLONG = "a\x00b", "%ED%A0%80", "长" * 5000


@pytest.mark.parametrize("url", ["web:experts", "web:studios", "web:home", "web:batches", "web:skill_suggestions"])
@pytest.mark.parametrize("value", [NUL, OVERLONG])
def test_public_pages_read_their_query_through_forms(web, url, value):
    response = web().get(reverse(url) + "?" + urlencode({"q": value, "province": value, "page": value}))
    assert response.status_code in (200, 400)


@pytest.mark.parametrize("url", ["web:experts", "web:studios", "web:skill_suggestions"])
def test_percent_encoded_lone_surrogates_in_a_query_are_no_server_error(web, url):
    response = web().get(f"{reverse(url)}?q=x{SURROGATE_BYTES}y&province={SURROGATE_BYTES}")
    assert response.status_code in (200, 400)


@pytest.mark.parametrize("title, error", [(NUL, "title"), (OVERLONG, "title")])
def test_a_page_form_refuses_nul_and_overlong_text_with_a_field_error(web, enterprise_user, title, error):
    user, _ = enterprise_user
    data = {"title": title, "description": "冷却水温度波动。", "category": "technology", "region_strictness": "soft"}
    response = web(user).post(reverse("web:challenge_new"), data)
    assert response.status_code == 200
    assert error in response.context["form"].errors
    assert not Challenge.objects.exists()


def test_a_lone_surrogate_posted_as_bytes_is_no_server_error(web, enterprise_user):
    user, _ = enterprise_user
    body = f"title=x{SURROGATE_BYTES}&description=y{SURROGATE_BYTES}&category=technology&region_strictness=soft"
    response = web(user).post(reverse("web:challenge_new"), body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (200, 302)
    for challenge in Challenge.objects.all():  # decoded as U+FFFD if stored: never a surrogate
        assert "\ud800" not in challenge.title
