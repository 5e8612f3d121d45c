"""A world of campaign activity counted by hand (the fixture `world`), for the campaign report's specifications."""
import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tests import factories

Q1 = {"date_from": dt.date(2026, 1, 1), "date_to": dt.date(2026, 3, 31)}


def local(*args):
    return timezone.make_aware(dt.datetime(*args))


def challenge(enterprise, category, published_at, status="open"):
    return factories.make_challenge(enterprise=enterprise, category=category, published_at=published_at,
                                    status=status)


def participate(event, expert, status="confirmed"):
    from alliance.models import EventParticipation

    EventParticipation.objects.create(event=event, expert=expert, status=status)


@pytest.fixture
def world(db):
    """Counted by hand for 2026-01-01 … 2026-03-31 (local time, Asia/Shanghai):

    enterprises E1, E2 in Sichuan, E3 in Jiangsu;
    challenges published: C1 E1 green Jan 15 · C2 E1 technology Feb 3 · C3 E2 management Feb 20 ·
      C4 E3 green Mar 1 00:30 (still February in UTC) · C5 E3 Dec 31 2025 23:30 (before) · C6 E1 a draft;
    agreements: P1 C1 signed Jan 20, completed Mar 10 (3 problems, 120,000.50 yuan, 15 trained) ·
      P5 C2 signed Feb 1, terminated Feb 5 · P2 C2 signed Feb 10, active · P3 C4 signed Mar 5, completed Apr 2
      (after) · P4 C3 proposed;
    events: V1 Sichuan held Feb 15 (120 people; X1, X2 confirmed, X3 declined) · V2 Jiangsu held Mar 20 (80; X2) ·
      V3 Sichuan cancelled Mar 1 · V4 Sichuan planned Mar 25 (X1 confirmed) · V5 Sichuan held Nov 1 2025 (before).
    """
    e1 = factories.make_enterprise(province="sichuan")
    e2 = factories.make_enterprise(province="sichuan")
    e3 = factories.make_enterprise(province="jiangsu")
    c1 = challenge(e1, "green", local(2026, 1, 15, 9))
    c2 = challenge(e1, "technology", local(2026, 2, 3, 9))
    c3 = challenge(e2, "management", local(2026, 2, 20, 9))
    c4 = challenge(e3, "green", local(2026, 3, 1, 0, 30))
    challenge(e3, "technology", local(2025, 12, 31, 23, 30))
    challenge(e1, "green", None, status="draft")
    x1, x2, x3 = (factories.make_expert() for _ in range(3))
    factories.make_pairing(challenge=c1, expert=x1, status="completed", activated_at=local(2026, 1, 20, 10),
                           ended_at=local(2026, 3, 10, 10), problems_solved=3, savings_yuan=Decimal("120000.50"),
                           workers_trained=15)
    factories.make_pairing(challenge=c2, expert=x3, status="terminated", activated_at=local(2026, 2, 1, 10),
                           ended_at=local(2026, 2, 5, 10))
    factories.make_pairing(challenge=c2, expert=x2, status="active", activated_at=local(2026, 2, 10, 10))
    factories.make_pairing(challenge=c4, expert=x1, status="completed", activated_at=local(2026, 3, 5, 10),
                           ended_at=local(2026, 4, 2, 10), problems_solved=2, savings_yuan=Decimal(1000),
                           workers_trained=4)
    factories.make_pairing(challenge=c3, expert=x3, status="proposed")
    v1 = factories.make_event(province="sichuan", status="held", starts_at=local(2026, 2, 15, 14), audience_count=120)
    for expert, status in ((x1, "confirmed"), (x2, "confirmed"), (x3, "declined")):
        participate(v1, expert, status)
    participate(factories.make_event(province="jiangsu", status="held", starts_at=local(2026, 3, 20, 14),
                                     audience_count=80), x2)
    factories.make_event(province="sichuan", status="cancelled", starts_at=local(2026, 3, 1, 14))
    participate(factories.make_event(province="sichuan", status="planned", starts_at=local(2026, 3, 25, 14)), x1)
    participate(factories.make_event(province="sichuan", status="held", starts_at=local(2025, 11, 1, 14),
                                     audience_count=50), x1)


