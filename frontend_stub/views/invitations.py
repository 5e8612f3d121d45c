"""The page an invitation link opens (issue 12 §1): an expert without an account sees the invitation on their
phone, opens their account and answers, in one visit. The rules are matching.pairings.invitations'."""
from django.contrib import messages
from django.contrib.auth import login
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jianglian.errors import DomainError
from matching.pairings.invitations import invitation_link_open, invitation_link_redeem, link_needs_answer

from ..forms import InvitationSignupForm

# What each refusal answers: the page says why, with the status a client can read.
REFUSAL_STATUS = {"link_invalid": 404, "link_other_user": 403}


class _Refused(Exception):
    pass


def invitation_link(request, token):
    state = invitation_link_open(token=token, user=request.user)
    refusal, pairing = state.refusal, state.pairing
    if refusal is not None and refusal.code == "link_claimed" and request.user.is_authenticated \
            and pairing.expert.user_id == request.user.pk:
        return redirect("web:pairing", pk=pairing.pk)  # the expert, signed in: answer on the agreement's page
    if refusal is not None:
        return render(request, "frontend_stub/pairings/invitation_link.html", {"refusal": refusal, "pairing": pairing},
                      status=REFUSAL_STATUS.get(refusal.code, 410))
    answer = link_needs_answer(state.link)
    form = InvitationSignupForm(request.POST or None, answer=answer)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                user = form.save()
                pairing = invitation_link_redeem(token=token, user=user,
                                                 accept=form.cleaned_data.get("answer", "accept") == "accept",
                                                 note=form.cleaned_data.get("note", ""))
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            if not answer or pairing.status == pairing.Status.ACCEPTED:
                messages.success(request, _("账号已开通，欢迎您，%(name)s。请阅读并签署结对意向书。") % {
                    "name": pairing.expert.name})
            else:
                messages.success(request, _("账号已开通，已婉拒邀请。欢迎您，%(name)s。") % {"name": pairing.expert.name})
            return redirect("web:pairing", pk=pairing.pk)
    return render(request, "frontend_stub/pairings/invitation_link.html",
                  {"pairing": pairing, "form": form, "answer": answer}, status=400 if form.errors else 200)
