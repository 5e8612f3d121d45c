"""Expert pages: my profile, open challenges that fit my skills, my outreach events (pairings in pairings.py)."""
from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.models import EventParticipation
from alliance.selectors import event_list, my_service_days
from alliance.services import event_respond
from experts.services import expert_update
from jianglian.roles import expert_of

from .. import selectors
from ..forms import ExpertProfileForm, NoteForm
from .common import call_for_form, cleaned, expert_required, paginate, service_call


@expert_required
def profile(request):
    expert = expert_of(request.user)
    form = ExpertProfileForm.for_expert(expert, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        if call_for_form(form, expert_update, user=request.user, expert=expert, **form.service_fields()):
            messages.success(request, _("档案已保存。"))
            return redirect("web:expert_profile")
    return render(request, "frontend_stub/expert/profile.html", {"form": form, "expert": expert})


@expert_required
def open_challenges(request):
    expert = expert_of(request.user)
    ranked, by_skill = selectors.open_challenges_for_expert(user=request.user, expert=expert)
    return render(request, "frontend_stub/expert/open_challenges.html", {
        "page": paginate(request, [f.challenge for f in ranked] + by_skill),
        "ranked_ids": {f.challenge.pk for f in ranked},
        "bands": {f.challenge.pk: (f.band, f.band_label, f.rank) for f in ranked},
        "my_skill_ids": set(expert.skills.values_list("pk", flat=True)),
    })


@expert_required
def my_events(request):
    """My 进校园 invitations: confirm or decline while the event is planned or confirmed."""
    expert = expert_of(request.user)
    events = (
        event_list(user=request.user).filter(participations__expert=expert).distinct()
        .prefetch_related(Prefetch("participations", queryset=EventParticipation.objects.filter(expert=expert),
                                   to_attr="mine"))
        .order_by("-starts_at", "-id")
    )
    return render(request, "frontend_stub/expert/my_events.html", {"events": events, "note_form": NoteForm(),
                                                                   "service_days": my_service_days(expert=expert)})


@require_POST
@expert_required
def event_respond_view(request, pk, answer):
    event = get_object_or_404(event_list(user=request.user), pk=pk)
    form = NoteForm(request.POST)
    note = cleaned(form, "note")
    with service_call(request) as ok:
        event_respond(user=request.user, event=event, accept=answer == "confirm", note=note)
    if ok:
        messages.success(request, _("已确认参加。") if answer == "confirm" else _("已婉拒。"))
    return redirect("web:my_events")
