"""Pairing pages of both sides: invite, invitations, agreements, the agreement page, its printable document.

Every transition is one call to matching.pairings.services. Which buttons a page offers is asked of
matching.pairings.selectors (`pairing_actions`, the `can_*` rules the services enforce), never decided here.
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from enterprises.selectors import challenge_list
from experts.selectors import expert_list
from jianglian.errors import NotAllowed
from matching.models import PairingAgreement
from matching.pairings import documents
from matching.pairings import services as pairing_services
from matching.pairings.selectors import (
    accept_refusal, can_attach_paper, can_record_response, can_see_paper, is_enterprise_side, is_invited_expert,
    my_pairings, pairing_actions, pairing_contact_visible, pairing_list, propose_refusal, studio_invitation_list,
)

from ..forms import InviteForm, NoteForm, OutcomeForm, PaperAgreementForm, RecordResponseForm, add_service_errors
from .common import (
    back, call_for_form, cleaned, enterprise_required, expert_required, paginate, party_required, service_call, signed_in,
)

Status = PairingAgreement.Status
AGREEMENT_STATES = (Status.ACCEPTED, Status.ACTIVE, Status.COMPLETED, Status.TERMINATED)


def _get_pairing(request, pk) -> PairingAgreement:
    try:
        return pairing_list(user=request.user).get(pk=pk)
    except PairingAgreement.DoesNotExist:
        raise Http404 from None


@enterprise_required
def invite(request, pk, expert_pk):
    """Enterprise staff invite a ranked expert to pair on their challenge: the quick form of the ranking (a
    message) or this page's full form — goals, term, deliverables, as the printed 结对意向书 will say them.
    Bad input comes back on this page with the messages by field and what was typed kept."""
    challenge = get_object_or_404(challenge_list(user=request.user), pk=pk)
    expert = get_object_or_404(expert_list(user=request.user), pk=expert_pk)
    form = InviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        pairing = None
        with service_call(request) as ok:
            try:
                pairing = pairing_services.pairing_propose(user=request.user, challenge=challenge, expert=expert,
                                                           **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
                ok.failed = True
        if ok:
            messages.success(request, _("已向 %(name)s 发出结对邀请，等待对方答复。") % {"name": expert.name})
            return redirect("web:pairing", pk=pairing.pk)
        if not form.errors:  # a rule of the service (taken, over capacity …): its message on the challenge page
            return redirect("web:challenge", pk=pk)
    refusal = propose_refusal(request.user, challenge, expert)  # the rule the service applies, said before typing
    if isinstance(refusal, NotAllowed):
        raise PermissionDenied(str(refusal))
    return render(request, "frontend_stub/pairings/invite.html", {"challenge": challenge, "expert": expert,
                                                                  "form": form, "refusal": refusal},
                  status=400 if form.errors else 200)


@expert_required
def my_invitations(request):
    invitations = list(my_pairings(user=request.user, status=Status.PROPOSED).filter(
        expert__user=request.user).order_by("expires_at", "-id"))
    for pairing in invitations:
        _offer_actions(request.user, pairing)
    answered = my_pairings(user=request.user).filter(
        expert__user=request.user, status__in=[Status.DECLINED, Status.WITHDRAWN, Status.EXPIRED]
    ).order_by("-responded_at", "-id")[:10]
    return render(request, "frontend_stub/pairings/my_invitations.html", {
        "invitations": invitations, "answered": answered, "note_form": NoteForm(),
        # the way to the studio invitations of a studio this expert leads or manages (issue 12 §2)
        "leads_studio": studio_invitation_list(user=request.user).exists(),
    })


@party_required
def my_agreements(request):
    """An expert's or an enterprise's agreements (accepted and later)."""
    qs = my_pairings(user=request.user).filter(status__in=AGREEMENT_STATES).order_by("-proposed_at", "-id")
    return render(request, "frontend_stub/pairings/my_agreements.html", {"page": paginate(request, qs)})


def _side(user, pairing):
    return {"expert": is_invited_expert(user, pairing), "enterprise": is_enterprise_side(user, pairing)}


def _offer_actions(user, pairing):
    """Put on `pairing` the transitions `user` may make (.actions) and why accepting is refused (.accept_refusal)."""
    pairing.actions = pairing_actions(user, pairing)
    pairing.accept_refusal = accept_refusal(user, pairing)
    return pairing


@signed_in
def pairing_detail(request, pk):
    return render(request, "frontend_stub/pairings/detail.html", _detail_context(request, _get_pairing(request, pk)))


@signed_in
def pairing_print(request, pk):
    """The printable 结对意向书 (HTML; the browser prints it or saves it as PDF)."""
    pairing = _get_pairing(request, pk)
    return HttpResponse(documents.render_html(pairing, pdf_url=reverse("web:pairing_pdf", args=[pairing.pk])))


@signed_in
def pairing_pdf(request, pk):
    pairing = _get_pairing(request, pk)
    response = HttpResponse(documents.render_pdf(pairing), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{documents.document_number(pairing)}.pdf"'
    return response


# action → (service, success message); every one takes the note typed with the button.
ACTIONS = {
    "accept": (pairing_services.pairing_accept, "note", _lazy("已接受邀请。请签署结对意向书。")),
    "decline": (pairing_services.pairing_decline, "note", _lazy("已婉拒邀请。")),
    "withdraw": (pairing_services.pairing_withdraw, "note", _lazy("已撤回邀请。")),
    "sign": (pairing_services.pairing_sign, None, _lazy("已签署结对意向书。")),
    "terminate": (pairing_services.pairing_terminate, "reason", _lazy("结对已终止。")),
}


@require_POST
@signed_in
def pairing_action(request, pk, action):
    """One transition of the agreement by the signed-in party; the service decides whether it is allowed."""
    if action not in ACTIONS:
        raise Http404
    service, note_argument, success = ACTIONS[action]
    pairing = _get_pairing(request, pk)
    form = NoteForm(request.POST)
    note = cleaned(form, "note")
    arguments = {note_argument: note} if note_argument else {}
    with service_call(request) as ok:
        service(user=request.user, pairing=pairing, **arguments)
    if ok:
        messages.success(request, success)
    return back(request, reverse("web:pairing", args=[pk]))


def _offer_liaison(user, pairing):
    """Put on `pairing` what the secretariat may do to it (the selectors' rules): record the expert's answer,
    attach the paper agreement."""
    pairing.can_record_response = can_record_response(user, pairing)
    pairing.can_attach_paper = can_attach_paper(user, pairing)
    return pairing


def _detail_context(request, pairing, outcome_form=None):
    _offer_actions(request.user, pairing)
    _offer_liaison(request.user, pairing)
    if outcome_form is None and "complete" in pairing.actions:
        outcome_form = OutcomeForm(prefix="outcome")
    return {
        "can_see_paper": can_see_paper(request.user, pairing),
        "response_form": RecordResponseForm(), "paper_form": PaperAgreementForm(),
        "pairing": pairing, "side": _side(request.user, pairing), "actions": pairing.actions,
        "contact_visible": pairing_contact_visible(user=request.user, pairing=pairing),
        "outcome_form": outcome_form, "note_form": NoteForm(),
        "document_number": documents.document_number(pairing),
    }


@require_POST
@signed_in
def pairing_complete(request, pk):
    pairing = _get_pairing(request, pk)
    form = OutcomeForm(request.POST, prefix="outcome")
    if form.is_valid():
        data = form.cleaned_data
        done = call_for_form(
            form, pairing_services.pairing_complete, field_map={"summary": "outcome_summary"},
            user=request.user, pairing=pairing, summary=data["outcome_summary"],
            problems_solved=data["problems_solved"], savings_yuan=data["savings_yuan"],
            workers_trained=data["workers_trained"], rating=data["rating"],
        )
        if done:
            messages.success(request, _("结对成果已填报，需求已标记为已解决。"))
            return redirect("web:pairing", pk=pk)
    return render(request, "frontend_stub/pairings/detail.html", _detail_context(request, pairing, form), status=400)
