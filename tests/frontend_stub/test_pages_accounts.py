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


# --- passwords: Django's validators on sign-up, claim and password change -------------------------------------
WEAK = {
    "jianglian": "at least 10 characters",  # the site's own name: too short
    "password123": "这个密码太常见了",
    "qwertyuiop": "这个密码太常见了",
    "2024052012345": "密码只包含数字",
}


@pytest.mark.parametrize("password", WEAK)
def test_enterprise_signup_refuses_a_weak_password_on_the_field(web, password):
    response = web().post(reverse("web:signup_enterprise"),
                          enterprise_signup_data(password1=password, password2=password))
    assert response.status_code == 200
    assert any(WEAK[password] in message for message in response.context["form"].errors["password2"])
    assert not User.objects.exists() and not Enterprise.objects.exists()


@pytest.mark.parametrize("password", WEAK)
def test_the_expert_claim_refuses_a_weak_password_on_the_field(web, secretariat, password):
    expert = factories.make_expert(name="王强")
    token = expert_claim_token(user=secretariat, expert=expert)
    response = web().post(reverse("web:signup_expert"), {
        "token": token, "username": "wangqiang", "password1": password, "password2": password})
    assert response.status_code == 200
    assert any(WEAK[password] in message for message in response.context["form"].errors["password2"])
    expert.refresh_from_db()
    assert expert.user is None


def test_a_password_that_resembles_the_username_is_refused(web):
    response = web().post(reverse("web:signup_enterprise"), enterprise_signup_data(
        username="zhangsan2024", password1="zhangsan2024", password2="zhangsan2024"))
    assert "password2" in response.context["form"].errors


@pytest.mark.parametrize("password", WEAK)
def test_a_password_change_refuses_a_weak_new_password_on_the_field(web, password):
    user = factories.make_user("wangwu")
    response = web(user).post(reverse("web:password_change"), {
        "old_password": "pass-word-123", "new_password1": password, "new_password2": password})
    assert response.status_code == 200
    assert any(WEAK[password] in message for message in response.context["form"].errors["new_password2"])
    user.refresh_from_db()
    assert user.check_password("pass-word-123")


def test_a_signed_in_user_changes_the_password_and_stays_signed_in(web, expert_user):
    user = expert_user[0]
    client = web(user)
    wrong = client.post(reverse("web:password_change"), {
        "old_password": "not-it", "new_password1": "Gongjiang-2025!", "new_password2": "Gongjiang-2025!"})
    assert "old_password" in wrong.context["form"].errors

    response = client.post(reverse("web:password_change"), {
        "old_password": "pass-word-123", "new_password1": "Gongjiang-2025!", "new_password2": "Gongjiang-2025!"})

    assert response.status_code == 302 and response["Location"] == reverse("web:my_invitations")
    user.refresh_from_db()
    assert user.check_password("Gongjiang-2025!")
    assert client.get(reverse("web:home")).context["user"] == user


def test_the_password_change_page_needs_sign_in(web):
    response = web().get(reverse("web:password_change"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("web:login"))
