"""Sign-in, sign-up of enterprise staff (then waiting for verification) and of experts through a claim link."""
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from enterprises.models import Enterprise
from experts.services import expert_claim_token
from tests import factories

pytestmark = pytest.mark.django_db

User = get_user_model()


def enterprise_signup_data(**overrides):
    data = {
        "username": "zhangsan", "email": "zhangsan@example.com",
        "password1": "Jianglian-2024!", "password2": "Jianglian-2024!",
        "enterprise_name": "成都新材料化工有限公司", "credit_code": factories.make_credit_code(),
        "province": "sichuan", "city": "成都", "industry": "chemical", "size": "medium",
    }
    data.update(overrides)
    return data


def test_sign_in_and_out(web):
    factories.make_user("wangwu")
    client = web()

    assert client.get(reverse("web:login")).status_code == 200
    response = client.post(reverse("web:login"), {"username": "wangwu", "password": "pass-word-123"})
    assert response.status_code == 302
    assert client.get(reverse("web:home")).context["user"].username == "wangwu"

    client.post(reverse("web:logout"))
    assert not client.get(reverse("web:home")).context["user"].is_authenticated


def test_enterprise_signup_registers_an_unverified_enterprise_and_signs_in(web):
    client = web()

    response = client.post(reverse("web:signup_enterprise"), enterprise_signup_data(), follow=True)

    user = User.objects.get(username="zhangsan")
    enterprise = Enterprise.objects.get(name="成都新材料化工有限公司")
    assert list(enterprise.staff.all()) == [user]
    assert enterprise.verified is False
    assert response.context["user"] == user
    assert "秘书处认证" in response.content.decode()


def test_enterprise_signup_with_a_bad_credit_code_keeps_what_was_typed_and_creates_nothing(web):
    """The check digit is the service's rule (enterprise_register → full_clean): its error lands on the field."""
    response = web().post(reverse("web:signup_enterprise"), enterprise_signup_data(credit_code="91510100MA6CXXXXX0"))

    assert response.status_code == 200
    form = response.context["form"]
    assert "credit_code" in form.errors
    html = response.content.decode()
    assert 'value="成都新材料化工有限公司"' in html and 'value="91510100MA6CXXXXX0"' in html
    assert not User.objects.filter(username="zhangsan").exists()
    assert not Enterprise.objects.exists()


def test_expert_signs_up_through_the_secretariats_claim_link(web, secretariat):
    expert = factories.make_expert(name="王强")
    token = expert_claim_token(user=secretariat, expert=expert)
    client = web()

    page = client.get(reverse("web:signup_expert"), {"token": token})
    assert "王强" in page.content.decode()
    response = client.post(reverse("web:signup_expert"), {
        "token": token, "username": "wangqiang", "password1": "Jianglian-2024!", "password2": "Jianglian-2024!",
    })

    assert response.status_code == 302
    expert.refresh_from_db()
    assert expert.user.username == "wangqiang"
    # the link works once
    again = web().get(reverse("web:signup_expert"), {"token": token})
    assert again.status_code == 400 and again.context["form"] is None


def test_expert_signup_without_a_valid_link_explains_how_to_get_one(web):
    assert web().get(reverse("web:signup_expert")).context["form"] is None
    response = web().get(reverse("web:signup_expert"), {"token": "forged"})
    assert response.status_code == 400
    assert "认领链接无效" in response.content.decode()


def test_only_the_secretariat_issues_claim_links(web, secretariat, enterprise_user):
    expert = factories.make_expert()
    url = reverse("web:expert_claim_link", args=[expert.pk])

    assert web(enterprise_user[0]).post(url).status_code == 403
    response = web(secretariat).post(url)
    assert response.status_code == 200
    assert "/accounts/signup/expert/?token=" in response.context["link"]


@pytest.mark.parametrize("role, target", [
    ("secretariat", "web:secretariat"), ("enterprise", "web:my_challenges"), ("expert", "web:my_invitations"),
])
def test_my_pages_lead_each_role_home(web, role, target, secretariat, enterprise_user, expert_user):
    user = {"secretariat": secretariat, "enterprise": enterprise_user[0], "expert": expert_user[0]}[role]
    response = web(user).get(reverse("web:my_home"))
    assert response.status_code == 302 and response.url == reverse(target)


def test_my_pages_need_sign_in(web):
    response = web().get(reverse("web:my_home"))
    assert response.status_code == 302 and response.url.startswith(reverse("web:login"))
