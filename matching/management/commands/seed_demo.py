"""manage.py seed_demo — a realistic Chinese demo data set, deterministic and idempotent.

Every row it creates is recorded under its key in the plan (matching.models.DemoRecord: credit code, studio
name, (expert name, employer), (enterprise, challenge title), (event title, school), (school, topic) of a
school's request, (title, venue) of a service day), and a second run finds
its rows through these records, so it creates nothing and changes nothing even after the rows were edited
in the admin or on the pages (an expert's employer, a studio's name …). Rows of a database seeded before
the records existed are found by their natural keys (an expert by mobile phone, then name and employer) and
recorded then. Where a rule applies the services are called (registering and verifying
enterprises, applying for and approving membership, creating and publishing challenges — which
queues matching); plain catalog rows (experts, studios, honours) are bulk-created for speed.
It belongs to matching, the top of the domain, because it needs every app (see matching/demo_data.py).
"""
import io
import logging
import os
import time
from datetime import timedelta
from operator import attrgetter

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.models import Q
from django.test.utils import override_settings
from django.utils import timezone
from rest_framework.authtoken.models import Token
from tqdm import tqdm

from alliance.models import EventRequest, MembershipApplication, MembershipBatch, OutreachEvent, ServiceDay, Studio
from alliance.services import (
    ReviewDecision, event_confirm, event_create, event_hold, event_invite_experts, event_request_accept,
    event_request_decline, event_request_submit, event_respond, membership_apply, membership_batch_publish,
    membership_review, service_day_cancel, service_day_create, service_day_hold, service_day_log_question,
    service_question_convert,
)
from enterprises.models import Challenge, Enterprise
from enterprises.services import (
    challenge_close, challenge_create, challenge_publish, enterprise_register, enterprise_verify,
)
from experts.models import Expert, ExpertHonour, Skill
from jianglian.roles import SECRETARIAT_GROUP
from matching.demo_data import build_plan
from matching.engine.profiles import refresh_expert_areas, refresh_studio_areas
from matching.models import DemoRecord, Match, PairingAgreement
from matching.pairings.services import (
    pairing_accept, pairing_complete, pairing_propose, pairing_rate, pairing_sign,
)

logger = logging.getLogger("matching.seed_demo")

DEFAULT_PASSWORD = "jianglian-demo"
SECRETARIAT_APPS = ("experts", "alliance", "enterprises", "matching", "authtoken", "search")
SECRETARIAT_MODELS = (("jianglian", "auditentry"),)  # the audit trail (the ground's other models are not theirs)
FIRST_BATCH_NAME = "首批成员名单"


class Command(BaseCommand):
    help = "Load the demo data set (studios, experts, enterprises, challenges, events) and demo accounts; idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2024, help="random seed (default 2024)")
        parser.add_argument(
            "--password", default=os.environ.get("DEMO_PASSWORD", DEFAULT_PASSWORD),
            help="password of the demo accounts when they are created (default: $DEMO_PASSWORD or %(default)s)",
        )
        parser.add_argument("--scale", type=float, default=1.0,
                            help="size of the data set relative to the default (48 studios, 360 experts …)")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, seed, password, scale, no_progress, **options):
        started = time.monotonic()
        self._quiet_logs()
        if connection.vendor == "sqlite" and not connection.in_atomic_block:
            # Hundreds of small service transactions: under WAL, NORMAL skips an fsync per commit (this connection only).
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous=NORMAL")
        self.password = password
        self.counts = {}
        self.timings = {}
        self.plan = build_plan(seed, scale=scale)
        steps = [
            ("taxonomy", self.ensure_taxonomy),
            ("accounts", self.ensure_accounts),
            ("enterprises", self.ensure_enterprises),
            ("experts", self.ensure_experts),
            ("studios", self.ensure_studios),
            ("membership", self.ensure_membership),
            ("profiles", self.refresh_profiles),
            ("search index", self.refresh_index),
            ("challenges", self.ensure_challenges),
            ("pairings", self.ensure_pairings),
            ("open challenges", self.publish_open),
            ("events", self.ensure_events),
            ("school requests", self.ensure_requests),
            ("service days", self.ensure_service_days),
        ]
        self.show_progress = not no_progress and options.get("verbosity", 1) > 0
        # Demo addresses are invented: the notifications the services record go to the inbox, not by e-mail or SMS.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
                               SMS_BACKEND="jianglian.sms.backends.dummy.SmsBackend"), \
                tqdm(total=len(steps), desc="seed_demo", unit="step", disable=not self.show_progress) as bar:
            for label, step in steps:
                bar.set_postfix_str(label)
                step_started = time.monotonic()
                # One transaction per step: the search sync sends each step's changed ids once, at its
                # commit, and matching runs then too (in-process without a broker).
                with transaction.atomic():
                    step()
                self.timings[label] = time.monotonic() - step_started
                logger.debug("step %s took %.2fs", label, self.timings[label])
                bar.update()
        elapsed = time.monotonic() - started
        self.report(elapsed)

    @staticmethod
    def _quiet_logs():
        """One log line per service call or eager task would bury the progress bar: keep those to warnings."""
        for name in ("celery", "enterprises", "experts", "alliance", "matching", "search", "jianglian"):
            logging.getLogger(name).setLevel(logging.WARNING)
        logger.setLevel(logging.INFO)

    # --- what the earlier runs created ----------------------------------------------------------

    @staticmethod
    def _recorded(kind: str, model, keys) -> dict:
        """{plan key: row} of the rows earlier runs created under `keys` (rows deleted since are not there)."""
        ids = dict(DemoRecord.objects.filter(kind=kind, key__in=list(keys)).values_list("key", "object_id"))
        rows = model.objects.in_bulk(list(ids.values()))
        return {key: rows[pk] for key, pk in ids.items() if pk in rows}

    def _earlier(self, kind: str, plans, key, rows, natural: tuple[str, ...]) -> dict:
        """{plan key: row or None} for `plans`: the row an earlier run recorded under `kind`, else the one of `rows`
        with the plan's natural key (the attributes `natural`, named alike on the plan and the row)."""
        natural_key = attrgetter(*natural)
        recorded = self._recorded(kind, rows.model, [key(p) for p in plans])
        by_natural = {natural_key(row): row for row in rows}
        return {key(p): recorded.get(key(p)) or by_natural.get(natural_key(p)) for p in plans}

    @staticmethod
    def _record(kind: str, rows: dict) -> None:
        """Record {plan key: row} (a key whose row was deleted and created again points at the new row)."""
        known = dict(DemoRecord.objects.filter(kind=kind, key__in=list(rows)).values_list("key", "object_id"))
        stale = [key for key, row in rows.items() if key in known and known[key] != row.pk]
        DemoRecord.objects.filter(kind=kind, key__in=stale).delete()
        DemoRecord.objects.bulk_create([DemoRecord(kind=kind, key=key, object_id=row.pk) for key, row in rows.items()
                                        if key not in known or key in stale])

    # --- steps ------------------------------------------------------------------------------------

    def ensure_taxonomy(self):
        if not Skill.objects.filter(parent__isnull=True).exists():
            call_command("load_taxonomy", stdout=io.StringIO())
        self.skills = {s.code: s for s in Skill.objects.all()}
        unknown = sorted({c for t in self.plan.experts for c in t.areas} - self.skills.keys())
        if unknown:
            logger.warning("demo topics name skill areas the taxonomy does not have (skipped): %s", ", ".join(unknown))
        self.counts["skills"] = len(self.skills)

    def _user(self, username, *, password=None, **fields):
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, **fields)
            if password:
                user.set_password(password)
            else:
                user.set_unusable_password()
            user.save()
            self.counts["users created"] = self.counts.get("users created", 0) + 1
        return user

    def ensure_accounts(self):
        group, _ = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
        granted = Q(content_type__app_label__in=SECRETARIAT_APPS)
        for app_label, model in SECRETARIAT_MODELS:
            granted |= Q(content_type__app_label=app_label, content_type__model=model)
        wanted = set(Permission.objects.filter(granted).values_list("id", flat=True))
        missing = wanted - set(group.permissions.values_list("id", flat=True))
        if missing:
            group.permissions.add(*missing)
        self.secretariat = self._user("secretariat", password=self.password, is_staff=True,
                                      first_name="联盟秘书处", email="secretariat@demo.jianglian.local")
        if not self.secretariat.groups.filter(pk=group.pk).exists():
            self.secretariat.groups.add(group)
        self.enterprise_user = self._user("enterprise", password=self.password, first_name="企业用户",
                                          email="enterprise@demo.jianglian.local")
        self.expert_user = self._user("expert", password=self.password, first_name="工匠用户",
                                      email="expert@demo.jianglian.local")
        self.tokens = {u.username: Token.objects.get_or_create(user=u)[0].key
                       for u in (self.secretariat, self.enterprise_user, self.expert_user)}

    def ensure_enterprises(self):
        codes = [p.credit_code for p in self.plan.enterprises]
        existing = self._recorded("enterprise", Enterprise, codes)
        existing |= {e.credit_code: e for e in Enterprise.objects.filter(
            credit_code__in=[c for c in codes if c not in existing])}
        created = verified = 0
        self.enterprises = {}
        self.enterprise_staff = {}
        for index, plan in enumerate(self.plan.enterprises):
            # The demo `enterprise` account works for the first verified enterprise; each other has its own staff.
            demo = index == self._demo_enterprise_index()
            staff = self.enterprise_user if demo else self._user(f"staff-{plan.credit_code.lower()}")
            enterprise = existing.get(plan.credit_code)
            if enterprise is None:
                enterprise = enterprise_register(
                    user=staff, name=plan.name, credit_code=plan.credit_code, province=plan.province,
                    city=plan.city, industry=plan.industry, size=plan.size, description=plan.description,
                )
                created += 1
            if plan.verified and not enterprise.verified:
                enterprise = enterprise_verify(user=self.secretariat, enterprise=enterprise)
                verified += 1
            self.enterprises[plan.credit_code] = enterprise
            self.enterprise_staff[plan.credit_code] = staff
        self._record("enterprise", self.enterprises)
        self.counts["enterprises"] = len(self.enterprises)
        self.counts["enterprises created"] = created
        self.counts["enterprises verified now"] = verified

    def _demo_enterprise_index(self) -> int:
        return next(i for i, p in enumerate(self.plan.enterprises) if p.verified)

    def ensure_experts(self):
        plans = self.plan.experts
        recorded = self._recorded("expert", Expert, [_expert_key(p) for p in plans])
        existing = {(p.name, p.employer): recorded[_expert_key(p)] for p in plans if _expert_key(p) in recorded}
        unrecorded = [p for p in plans if (p.name, p.employer) not in existing]
        if unrecorded:  # seeded before the records: the roster's natural key (mobile phone, else name + employer)
            by_phone = {e.phone: e for e in Expert.objects.filter(phone__in=[p.phone for p in unrecorded if p.phone])}
            by_name = {(e.name, e.employer): e for e in Expert.objects.filter(
                name__in={p.name for p in unrecorded}, employer__in={p.employer for p in unrecorded})}
            for p in unrecorded:
                found = by_phone.get(p.phone) if p.phone else None
                found = found or by_name.get((p.name, p.employer))
                if found is not None:
                    existing[(p.name, p.employer)] = found
        new = [p for p in plans if (p.name, p.employer) not in existing]
        if new:
            fields = ("name", "gender", "birth_year", "role", "professional_title", "position", "employer",
                      "province", "city", "industry", "skill_tags", "bio", "achievements", "capacity",
                      "accepting_pairings", "accepts_remote", "phone", "email")
            rows = Expert.objects.bulk_create([Expert(**{f: getattr(p, f) for f in fields}) for p in new])
            if not all(r.pk for r in rows):  # backends without RETURNING: read the ids back
                rows = list(Expert.objects.filter(phone__in=[p.phone for p in new]))
            created = {(p.name, p.employer) for p in new}
            by_key = {(r.name, r.employer): r for r in rows if (r.name, r.employer) in created}
            through = Expert.skills.through
            links, honours = [], []
            for p in new:
                expert = by_key[(p.name, p.employer)]
                links += [through(expert_id=expert.pk, skill_id=self.skills[c].pk) for c in p.areas if c in self.skills]
                honours += [ExpertHonour(expert_id=expert.pk, honour=h, year=y) for h, y in p.honours]
            through.objects.bulk_create(links)
            ExpertHonour.objects.bulk_create(honours)
            existing.update(by_key)
        self.experts = existing
        self._record("expert", {_expert_key(p): existing[(p.name, p.employer)] for p in plans})
        self.new_expert_ids = [existing[(p.name, p.employer)].pk for p in new]
        self.counts["experts"] = len(existing)
        self.counts["experts created"] = len(new)
        self.counts["honours"] = ExpertHonour.objects.filter(expert__in=existing.values()).count()

    def ensure_studios(self):
        plans = self.plan.studios
        existing = self._recorded("studio", Studio, [p.name for p in plans])
        existing |= {s.name: s for s in Studio.objects.filter(name__in=[p.name for p in plans if p.name not in existing])}
        new = [p for p in plans if p.name not in existing]
        if new:
            fields = ("name", "level", "host_enterprise", "province", "city", "established_year", "focus",
                      "description", "achievements", "capacity")
            rows = Studio.objects.bulk_create([
                Studio(lead=self.experts[p.lead], **{f: getattr(p, f) for f in fields}) for p in new
            ])
            if not all(r.pk for r in rows):
                rows = list(Studio.objects.filter(name__in=[p.name for p in new]))
            by_name = {r.name: r for r in rows}
            through = Studio.skills.through
            through.objects.bulk_create([
                through(studio_id=by_name[p.name].pk, skill_id=self.skills[c].pk)
                for p in new for c in p.areas if c in self.skills
            ])
            for p in new:
                member_ids = [self.experts[k].pk for k in [p.lead, *p.members]]
                Expert.objects.filter(pk__in=member_ids, studio__isnull=True).update(studio=by_name[p.name])
            existing.update(by_name)
        self.studios = existing
        self._record("studio", existing)
        self.counts["studios"] = len(existing)
        self.counts["studios created"] = len(new)
        # The demo `expert` account is the lead of the first (national-level) studio.
        lead = self.experts[plans[0].lead]
        if lead.user_id is None and not Expert.objects.filter(user=self.expert_user).exists():
            lead.user = self.expert_user
            lead.save(update_fields=["user", "updated_at"])
        self.demo_expert = Expert.objects.get(user=self.expert_user)

    def ensure_membership(self):
        applied = approved = 0
        first_batch = []
        for index, plan in enumerate(self.plan.studios):
            if plan.membership == "none":
                continue
            studio = self.studios[plan.name]
            manager = self.expert_user if studio.lead_id == self.demo_expert.pk else self._user(f"studio-{index + 1:03d}")
            if not studio.managers.filter(pk=manager.pk).exists():
                studio.managers.add(manager)
            application = studio.applications.order_by("id").first()
            if application is None:
                application = membership_apply(user=manager, studio=studio, statement=plan.statement)
                applied += 1
            if plan.membership == "first_batch":
                if application.status == MembershipApplication.Status.PENDING:
                    application = membership_review(user=self.secretariat, application=application,
                                                    decision=ReviewDecision.APPROVE, note="符合入盟条件，同意。")
                    approved += 1
                if application.batch_id is None:
                    first_batch.append(application.pk)
        if first_batch and not MembershipBatch.objects.filter(name=FIRST_BATCH_NAME).exists():
            membership_batch_publish(user=self.secretariat, name=FIRST_BATCH_NAME, application_ids=first_batch)
        self.counts["membership applications filed"] = applied
        self.counts["applications approved now"] = approved
        self.counts["studios in 首批"] = Studio.objects.filter(batch__name=FIRST_BATCH_NAME).count()
        self.counts["applications pending"] = MembershipApplication.objects.filter(
            status=MembershipApplication.Status.PENDING).count()

    def refresh_profiles(self):
        """Bulk-created experts skip the services' hooks: derive their skill areas for matching now."""
        if self.new_expert_ids:
            refresh_expert_areas(self.new_expert_ids)
        if self.counts.get("studios created"):
            refresh_studio_areas([s.pk for s in self.studios.values()])

    def refresh_index(self):
        """Bulk-created rows skip the on-commit index sync: rebuild once so matching can retrieve them."""
        if self.new_expert_ids or self.counts.get("studios created"):
            call_command("search_index", "--rebuild", stdout=io.StringIO(), stderr=io.StringIO())
            self.counts["search index rebuilt"] = 1

    def ensure_challenges(self):
        """Every planned challenge as a draft; those planned as paired are published now, to be matched and paired.

        The open ones are published after the pairings (`publish_open`): their matching then sees the
        experts' remaining capacity, and the pairings re-rank no open challenge on the way.
        """
        recorded = self._recorded("challenge", Challenge, [_challenge_key(p) for p in self.plan.challenges])
        existing = {(c.enterprise_id, c.title): c for c in Challenge.objects.filter(
            enterprise__in=self.enterprises.values())}
        created = 0
        self.challenges = []
        for plan in self.plan.challenges:
            enterprise = self.enterprises[plan.enterprise_code]
            challenge = recorded.get(_challenge_key(plan)) or existing.get((enterprise.pk, plan.title))
            if challenge is None:
                challenge = challenge_create(
                    user=self.enterprise_staff[plan.enterprise_code], enterprise=enterprise, title=plan.title,
                    description=plan.description, category=plan.category,
                    skills=[self.skills[c] for c in plan.areas if c in self.skills],
                    preferred_province=plan.preferred_province, preferred_city=plan.preferred_city,
                )
                created += 1
            self.challenges.append((plan, challenge))
        self._record("challenge", {_challenge_key(plan): challenge for plan, challenge in self.challenges})
        self.counts["challenges"] = len(self.challenges)
        self.counts["challenges created"] = created
        self._publish("paired")
        self._publish("resolved")

    def publish_open(self):
        self._publish("open")
        self._invite_demo_expert()
        self._close("closed")

    def _close(self, planned_status):
        """Challenges planned as closed were published, then closed by their enterprise (still-draft ones)."""
        todo = [(plan, challenge) for plan, challenge in self.challenges
                if plan.status == planned_status and challenge.status == Challenge.Status.DRAFT]
        for plan, challenge in todo:
            staff = self.enterprise_staff[plan.enterprise_code]
            challenge_publish(user=staff, challenge=challenge)
            challenge_close(user=staff, challenge=challenge, reason="问题已由厂内团队自行解决。")
        self.counts[f"challenges closed now ({planned_status})"] = len(todo)

    def _publish(self, planned_status):
        """Publish the still-draft challenges planned as `planned_status`; matching runs when the step commits."""
        todo = [(plan, challenge) for plan, challenge in self.challenges
                if plan.status == planned_status and challenge.status == Challenge.Status.DRAFT]
        for plan, challenge in tqdm(todo, desc=f"publish ({planned_status})", unit="challenge", leave=False,
                                    disable=not self.show_progress or not todo):
            challenge_publish(user=self.enterprise_staff[plan.enterprise_code], challenge=challenge)
        self.counts[f"challenges published now ({planned_status})"] = len(todo)
        self.challenges = [(plan, Challenge.objects.get(pk=c.pk) if (plan, c) in todo else c)
                           for plan, c in self.challenges]

    def _account_of(self, expert: Expert):
        """The account an expert answers invitations with (catalog experts get one when first needed)."""
        if expert.user_id is None:
            expert.user = self._user(f"expert-{expert.phone}", first_name=expert.name)
            Expert.objects.filter(pk=expert.pk).update(user=expert.user)  # an account link changes no profile
        return expert.user

    def _best_expert(self, challenge, busy):
        """The top-ranked available expert of a challenge's matches, else one sharing a skill area."""
        ranked = (Match.objects.filter(challenge=challenge, kind=Match.Kind.EXPERT, expert__accepting_pairings=True)
                  .select_related("expert").order_by("rank")[:20])
        for match in ranked:
            if match.expert_id not in busy:
                return match.expert
        return (Expert.objects.filter(skills__in=challenge.skills.all(), accepting_pairings=True)
                .exclude(pk__in=busy).order_by("id").first())

    def ensure_pairings(self):
        """Challenges planned as paired go through the whole agreement: propose, accept, both sign."""
        busy = set(PairingAgreement.objects.filter(status__in=PairingAgreement.HOLDING_STATES)
                   .values_list("expert_id", flat=True)) | {self.demo_expert.pk}
        made = completed = 0
        for plan, challenge in self.challenges:
            if plan.status not in ("paired", "resolved"):
                continue
            challenge.refresh_from_db(fields=["status"])
            if challenge.status != Challenge.Status.OPEN or challenge.pairings.exists():
                continue
            expert = self._best_expert(challenge, busy)
            if expert is None:
                continue
            busy.add(expert.pk)
            staff, expert_account = self.enterprise_staff[plan.enterprise_code], self._account_of(expert)
            today = timezone.localdate()
            pairing = pairing_propose(
                user=staff, challenge=challenge, expert=expert,
                message=f"{expert.name}老师您好，我们在平台上看到您的经历，想邀请您帮助解决“{challenge.title}”。",
                goals="三个月内完成现场诊断并提出改进方案，协助实施，培训班组骨干。",
                start_date=today, end_date=today + timedelta(days=90),
            )
            pairing_accept(user=expert_account, pairing=pairing, note="愿意协助，可先安排一次现场调研。")
            pairing_sign(user=expert_account, pairing=pairing)
            pairing = pairing_sign(user=staff, pairing=pairing)
            made += 1
            if plan.status == "resolved":
                summary, solved, savings, trained, (by_enterprise, by_expert) = plan.outcome
                pairing_complete(user=staff, pairing=pairing, summary=summary, problems_solved=solved,
                                 savings_yuan=savings, workers_trained=trained, rating=by_enterprise)
                pairing_rate(user=expert_account, pairing=pairing, rating=by_expert)
                completed += 1
        self.counts["pairings created"] = made
        self.counts["pairings completed now"] = completed
        self.counts["pairings active"] = PairingAgreement.objects.filter(status=PairingAgreement.Status.ACTIVE).count()

    def _invite_demo_expert(self):
        """The demo expert has an invitation waiting in their inbox."""
        demo_code = self.plan.enterprises[self._demo_enterprise_index()].credit_code
        if not PairingAgreement.objects.filter(expert=self.demo_expert).exists() and self.demo_expert.accepting_pairings:
            challenge = (Challenge.objects.filter(enterprise=self.enterprises[demo_code], status=Challenge.Status.OPEN)
                         .order_by("id").first())
            if challenge is not None:
                pairing_propose(user=self.enterprise_user, challenge=challenge, expert=self.demo_expert,
                                message="您好，我们的问题和您的专长很接近，想请您指导。")
                self.counts["invitations to the demo expert"] = 1

    def ensure_events(self):
        earlier = self._earlier("event", self.plan.events, _event_key, OutreachEvent.objects.all(), ("title", "school"))
        created = 0
        now = timezone.now().replace(minute=0, second=0, microsecond=0)
        for plan in self.plan.events:
            found = earlier[_event_key(plan)]
            if found is not None:
                self._record("event", {_event_key(plan): found})
                continue
            starts = (now + timedelta(days=plan.days_from_now)).replace(hour=6)  # 14:00 in Asia/Shanghai
            with transaction.atomic():
                event = event_create(
                    user=self.secretariat, title=plan.title, school=plan.school, province=plan.province,
                    city=plan.city, starts_at=starts, ends_at=starts + timedelta(hours=3), format=plan.format,
                    topic=plan.topic, capacity=plan.capacity, audience=plan.audience,
                    allow_past=True,  # held demo events took place already
                )
                speakers = [self.experts[key] for key in plan.experts]
                event_invite_experts(user=self.secretariat, event=event, experts=speakers[:1], role="主讲")
                event_invite_experts(user=self.secretariat, event=event, experts=speakers[1:], role="实训指导")
                if plan.status in ("confirmed", "held"):
                    for expert in speakers:
                        event_respond(user=self._account_of(expert), event=event, accept=True, note="按时参加。")
                    event = event_confirm(user=self.secretariat, event=event)
                if plan.status == "held":
                    event_hold(user=self.secretariat, event=event, audience_count=plan.audience_count,
                               summary=plan.report_summary, feedback="学生反响很好，希望多安排实操环节。")
                self._record("event", {_event_key(plan): event})
            created += 1
        self.counts["events"] = OutreachEvent.objects.count()
        self.counts["events created"] = created

    def ensure_requests(self):
        """Schools' 进校园 requests through the public form's service; the secretariat accepted some (each now an
        event, pre-filled from the request) and declined some with a reason; the rest wait in its queue."""
        earlier = self._earlier("event_request", self.plan.requests, _request_key, EventRequest.objects.filter(
            school__in=[p.school for p in self.plan.requests]), ("school", "topic"))
        created = 0
        today = timezone.localdate()
        for plan in self.plan.requests:
            found = earlier[_request_key(plan)]
            if found is None:
                found = event_request_submit(
                    school=plan.school, contact_name=plan.contact_name, phone=plan.phone, province=plan.province,
                    city=plan.city, topic=plan.topic, audience=plan.audience, audience_size=plan.audience_size,
                    format=plan.format, note=plan.note,
                    preferred_dates=[today + timedelta(days=d) for d in plan.days_ahead])
                if plan.decision == "accepted":
                    found = event_request_accept(user=self.secretariat, request=found)
                elif plan.decision == "declined":
                    found = event_request_decline(user=self.secretariat, request=found, reason=plan.decline_reason)
                created += 1
            self._record("event_request", {_request_key(plan): found})
        self.counts["school requests"] = EventRequest.objects.count()
        self.counts["school requests created"] = created

    def ensure_service_days(self):
        """助企行 service days through the services: held ones with the questions the enterprises brought (logged,
        most answered on the spot, the demo enterprise's first one turned into its draft challenge), planned ones,
        a cancelled one."""
        earlier = self._earlier("service_day", self.plan.service_days, _service_day_key, ServiceDay.objects.filter(
            title__in=[p.title for p in self.plan.service_days]), ("title", "venue"))
        created = converted = 0
        now = timezone.now().replace(minute=0, second=0, microsecond=0)
        for plan in self.plan.service_days:
            found = earlier[_service_day_key(plan)]
            if found is None:
                starts = (now + timedelta(days=plan.days_from_now)).replace(hour=1)  # 09:00 in Asia/Shanghai
                enterprises = [self.enterprises[code] for code in plan.enterprise_codes]
                found = service_day_create(
                    user=self.secretariat, title=plan.title, venue=plan.venue, province=plan.province,
                    city=plan.city, starts_at=starts, ends_at=starts + timedelta(hours=7), description=plan.description,
                    experts=[self.experts[key] for key in plan.experts], enterprises=enterprises, allow_past=True)
                for question in plan.questions:
                    logged = service_day_log_question(
                        user=self.secretariat, day=found, enterprise=self.enterprises[question.enterprise_code],
                        answered_by=self.experts[question.answered_by] if question.answered_by else None,
                        topic=question.topic, description=question.description, category=question.category,
                        solved_on_site=question.solved_on_site, workers_trained=question.workers_trained)
                    if question.converted:
                        service_question_convert(user=self.secretariat, question=logged)
                        converted += 1
                if plan.status == "held":
                    found = service_day_hold(user=self.secretariat, day=found, summary=plan.summary)
                elif plan.status == "cancelled":
                    found = service_day_cancel(user=self.secretariat, day=found, reason=plan.cancel_reason)
                created += 1
            self._record("service_day", {_service_day_key(plan): found})
        self.counts["service days"] = ServiceDay.objects.count()
        self.counts["service days created"] = created
        self.counts["questions turned into drafts now"] = converted

    # --- output -------------------------------------------------------------------------------------

    def report(self, elapsed):
        statuses = {s: Challenge.objects.filter(status=s).count() for s in Challenge.Status.values}
        self.counts["challenges by status"] = ", ".join(f"{k} {v}" for k, v in statuses.items())
        self.counts["matches stored"] = Match.objects.count()
        logger.info("seed_demo done in %.1fs: %s; steps: %s", elapsed, self.counts,
                    ", ".join(f"{k} {v:.1f}s" for k, v in self.timings.items()))
        out = self.stdout
        out.write(self.style.SUCCESS(f"Demo data ready in {elapsed:.1f}s"))
        for key, value in self.counts.items():
            out.write(f"  {key:<32} {value}")
        out.write("")
        out.write("Demo accounts (password set when the account was first created):")
        roles = {"secretariat": "秘书处 secretariat (admin, GraphQL console)",
                 "enterprise": f"企业 enterprise staff of {self.enterprises[self.plan.enterprises[self._demo_enterprise_index()].credit_code].name}",
                 "expert": f"劳模工匠 expert {self.demo_expert.name}"}
        for username, role in roles.items():
            out.write(f"  {username:<12} password {self.password:<16} token {self.tokens[username]}  {role}")


def _expert_key(plan) -> str:
    return f"{plan.name}|{plan.employer}"


def _challenge_key(plan) -> str:
    return f"{plan.enterprise_code}|{plan.title}"


def _event_key(plan) -> str:
    return f"{plan.title}|{plan.school}"


def _request_key(plan) -> str:
    return f"{plan.school}|{plan.topic}"


def _service_day_key(plan) -> str:
    return f"{plan.title}|{plan.venue}"
