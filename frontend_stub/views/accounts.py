"""Sign-up for enterprise staff and for experts, and the "my pages" entry that sends each role home."""
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from enterprises.services import enterprise_register
from experts.services import expert_claim, expert_from_claim_token
from jianglian.errors import DomainError
from ..forms import ChangePasswordForm, EnterpriseSignupForm, ExpertSignupForm, LoginForm, add_service_errors
from .common import is_local_path, signed_in, workspace_url


class _Rollback(Exception):
    pass


def signup(request):
    return render(request, "frontend_stub/accounts/signup.html")


def signup_enterprise(request):
    """One form, one transaction: the account and the enterprise it registers, or neither."""
    form = EnterpriseSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                user = form.save()
                try:
                    enterprise_register(user=user, **form.enterprise_fields())
                except ValidationError as exc:
                    add_service_errors(form, exc, EnterpriseSignupForm.SERVICE_FIELD_MAP)
                    raise _Rollback from exc
        except _Rollback:
            pass
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("注册成功。企业信息已提交，秘书处认证后即可发布需求。"))
            return redirect("web:my_challenges")
    return render(request, "frontend_stub/accounts/signup_enterprise.html", {"form": form})


def signup_expert(request):
    """Sign-up through the claim link the secretariat sent: the new account becomes that catalog entry's."""
    token = request.POST.get("token") or request.GET.get("token") or ""
    try:
        expert = expert_from_claim_token(token) if token else None
    except DomainError as exc:
        messages.error(request, str(exc))
        expert = None
    if expert is None:
        return render(request, "frontend_stub/accounts/signup_expert.html", {"form": None}, status=400 if token else 200)
    form = ExpertSignupForm(request.POST or None, initial={"token": token})
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                user = form.save()
                expert = expert_claim(user=user, token=form.cleaned_data["token"])
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("注册成功，欢迎您，%(name)s。") % {"name": expert.name})
            return redirect("web:expert_profile")
    return render(request, "frontend_stub/accounts/signup_expert.html", {"form": form, "expert": expert})


@signed_in
def my_home(request):
    """Where "my pages" lead: the role's workspace (the secretariat's dashboard, an enterprise's challenges or an
    expert's invitations); a signed-in user without a role is told how to get one."""
    target = workspace_url(request.user)
    if target != reverse("web:home"):
        return redirect(target)
    return render(request, "frontend_stub/accounts/no_role.html", {"signup_url": reverse("web:signup")})


class SafeNextMixin:
    """Django's sign-in and sign-out views with this site's one reading of `next` (`next_url`): a local path or
    the role's workspace, never another host and never a bare word taken relative to the current page."""

    def get_redirect_url(self):
        target = self.request.POST.get(self.redirect_field_name) or self.request.GET.get(self.redirect_field_name)
        return target if target and is_local_path(target, self.request) else ""

    def get_default_redirect_url(self):
        return workspace_url(self.request.user)


class LoginView(SafeNextMixin, auth_views.LoginView):
    template_name = "frontend_stub/accounts/login.html"
    authentication_form = LoginForm


class LogoutView(SafeNextMixin, auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    """Any signed-in user changes their password (the new one passes the password validators); the session
    stays signed in, other sessions of the account end (Django rotates the session hash)."""

    template_name = "frontend_stub/accounts/password_change.html"
    form_class = ChangePasswordForm

    def get_success_url(self):
        return workspace_url(self.request.user)

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("密码已修改。"))
        return response
