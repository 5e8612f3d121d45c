"""Studio invitations on the web (issue 12 §2): an enterprise invites a ranked studio from its challenge's page; the
studio's lead or managers (or the secretariat) assign the member who takes it, or decline. Rules:
matching.pairings.services / selectors."""
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.selectors import studio_list
from enterprises.selectors import challenge_list
from experts.selectors import expert_list
from matching.models import StudioInvitation
from matching.pairings import services
from matching.pairings.selectors import studio_assignable_members, studio_invitation_actions, studio_invitation_list

from ..forms import InviteForm, NoteForm
from .common import back, cleaned, enterprise_required, paginate, service_call, signed_in


@require_POST
@enterprise_required
def invite_studio(request, pk, studio_pk):
    challenge = get_object_or_404(challenge_list(user=request.user), pk=pk)
    studio = get_object_or_404(studio_list(user=request.user), pk=studio_pk)
    form = InviteForm(request.POST)
    message = cleaned(form, "message")
    with service_call(request) as ok:
        services.studio_invite(user=request.user, challenge=challenge, studio=studio, message=message)
    if ok:
        messages.success(request, _("已邀请%(name)s，等待工作室指派成员。") % {"name": studio.name})
    return redirect("web:challenge", pk=pk)


@signed_in
def my_studio_invitations(request):
    """The invitations of the studios the user leads or manages (the secretariat: all), pending first."""
    qs = studio_invitation_list(user=request.user)
    page = paginate(request, qs.filter(status=StudioInvitation.Status.PENDING).order_by("expires_at", "id"))
    for invitation in page:
        invitation.actions = studio_invitation_actions(request.user, invitation)
        if "assign" in invitation.actions:
            invitation.members = list(studio_assignable_members(invitation))
    answered = qs.exclude(status=StudioInvitation.Status.PENDING).order_by("-answered_at", "-id")[:20]
    return render(request, "frontend_stub/pairings/studio_invitations.html", {
        "page": page, "answered": answered, "note_form": NoteForm()})


ACTIONS = ("assign", "decline", "withdraw")


@require_POST
@signed_in
def studio_invitation_action(request, pk, action):
    if action not in ACTIONS:
        raise Http404
    invitation = get_object_or_404(studio_invitation_list(user=request.user), pk=pk)
    note = request.POST.get("note", "")[:2000]
    with service_call(request) as ok:
        if action == "assign":
            expert = get_object_or_404(expert_list(user=request.user), pk=request.POST.get("expert") or 0)
            services.studio_invitation_assign(user=request.user, invitation=invitation, expert=expert)
        elif action == "decline":
            services.studio_invitation_decline(user=request.user, invitation=invitation, note=note)
        else:
            services.studio_invitation_withdraw(user=request.user, invitation=invitation, note=note)
    if ok:
        messages.success(request, {"assign": _("已指派成员，邀请已转给该成员。"), "decline": _("已婉拒工作室邀请。"),
                                   "withdraw": _("已撤回工作室邀请。")}[action])
    return back(request, reverse("web:my_studio_invitations"))
