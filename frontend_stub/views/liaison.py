"""The secretariat's liaison work (issue 12 §1): the queue of invitations waiting on experts who cannot answer on
the site, the answer an expert gave by phone or in person (代为答复), and the scan of a paper agreement signed on
site; the scan is served to the parties and the secretariat only. Rules: matching.pairings.services/selectors."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jianglian.errors import NotAllowed
from matching.pairings import paper, services
from matching.pairings.selectors import (
    can_see_paper, liaison_queue, paper_agreement_refusal, record_response_refusal,
)

from ..forms import PaperAgreementForm, RecordResponseForm
from .common import back, paginate, secretariat_required, service_call, signed_in
from .pairings import _get_pairing, _offer_liaison


@secretariat_required
def queue(request):
    page = paginate(request, liaison_queue(user=request.user))
    for pairing in page:
        _offer_liaison(request.user, pairing)
    return render(request, "frontend_stub/secretariat/liaison.html", {
        "page": page, "response_form": RecordResponseForm(), "paper_form": PaperAgreementForm(),
    })


def _refuse_other_roles(refusal):
    """403 before reading the form when the role may never do this (the service would refuse it anyway)."""
    if isinstance(refusal, NotAllowed):
        raise PermissionDenied(str(refusal))


def _errors(request, form):
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}：{error}" if label else error)


@require_POST
@signed_in
def record_response(request, pk):
    pairing = _get_pairing(request, pk)
    _refuse_other_roles(record_response_refusal(request.user, pairing, accept=False))
    form = RecordResponseForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
        return back(request, reverse("web:pairing", args=[pk]))
    data = form.cleaned_data
    with service_call(request) as ok:
        services.pairing_record_response(user=request.user, pairing=pairing, accept=data["answer"] == "accept",
                                         channel=data["channel"], note=data["note"])
    if ok:
        messages.success(request, _("已代为记录 %(name)s 的答复，并通知双方。") % {"name": pairing.expert.name})
    return back(request, reverse("web:pairing", args=[pk]))


@require_POST
@signed_in
def attach_paper(request, pk):
    pairing = _get_pairing(request, pk)
    _refuse_other_roles(paper_agreement_refusal(request.user, pairing))
    form = PaperAgreementForm(request.POST, request.FILES)
    if not form.is_valid():
        _errors(request, form)
        return back(request, reverse("web:pairing", args=[pk]))
    with service_call(request) as ok:
        services.pairing_attach_paper(user=request.user, pairing=pairing, file=form.cleaned_data["file"],
                                      signed_on=form.cleaned_data["signed_on"])
    if ok:
        messages.success(request, _("纸质意向书已上传，意向书生效。"))
    return back(request, reverse("web:pairing", args=[pk]))


@signed_in
def paper_scan(request, pk):
    pairing = _get_pairing(request, pk)
    if not can_see_paper(request.user, pairing):
        raise Http404
    return paper.paper_response(pairing)
