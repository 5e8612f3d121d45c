"""Exports of the other lists — challenges, pairing agreements with their outcomes, campus events: the list's
visibility and filters, one row per record in a file (`GET /api/v1/<list>/export/?format=xlsx|csv`)."""
import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests import factories

pytestmark = pytest.mark.django_db


def rows_of(response, fmt="csv"):
    assert response.status_code == 200, response.content[:500] if not response.streaming else ""
    data = b"".join(response.streaming_content)
    if fmt == "csv":
        return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    return [["" if c is None else str(c) for c in row]
            for row in load_workbook(io.BytesIO(data), read_only=True).worksheets[0].iter_rows(values_only=True)]


def column(rows, header):
    return [r[rows[0].index(header)] for r in rows[1:]]


def test_challenges_export_what_the_caller_may_see_as_filtered(client_for, enterprise_user, other_enterprise_user,
                                                               secretariat):
    user, mine = enterprise_user
    other_user, theirs = other_enterprise_user
    factories.make_challenge(enterprise=mine, title="我的草稿", status="draft")
    factories.make_challenge(enterprise=mine, title="我的公开需求", category="technology")
    factories.make_challenge(enterprise=theirs, title="别人的草稿", status="draft")
    factories.make_challenge(enterprise=theirs, title="别人的公开需求")
    assert sorted(column(rows_of(client_for(user).get("/api/v1/challenges/export/?format=csv")), "标题")) == [
        "别人的公开需求", "我的公开需求", "我的草稿"]
    assert sorted(column(rows_of(client_for(None).get("/api/v1/challenges/export/?format=xlsx"), "xlsx"), "标题")) == [
        "别人的公开需求", "我的公开需求"]
    assert len(column(rows_of(client_for(secretariat).get("/api/v1/challenges/export/?format=csv")), "标题")) == 4
    filtered = rows_of(client_for(user).get("/api/v1/challenges/export/?format=csv&status=draft"))
    assert column(filtered, "标题") == ["我的草稿"] and column(filtered, "状态") == ["草稿"]


def test_pairings_export_the_callers_own_agreements_with_their_outcomes(client_for, enterprise_user,
                                                                         other_enterprise_user, secretariat):
    user, mine = enterprise_user
    other_user, theirs = other_enterprise_user
    expert = factories.make_expert(name="王建国")
    done = factories.make_pairing(challenge=factories.make_challenge(enterprise=mine, title="精馏节能"), expert=expert,
                                  status="completed", problems_solved=3, savings_yuan=Decimal("120000.00"),
                                  workers_trained=15, outcome_summary="蒸汽单耗降低 12%。", enterprise_rating=5)
    factories.make_pairing(challenge=factories.make_challenge(enterprise=theirs, title="别人的"), status="proposed")
    rows = rows_of(client_for(user).get("/api/v1/pairings/export/?format=csv"))
    assert column(rows, "需求") == ["精馏节能"] and column(rows, "劳模工匠") == ["王建国"]
    assert (column(rows, "解决问题数"), column(rows, "节约金额（元）"), column(rows, "培训人数")) == (
        ["3"], ["120000.00"], ["15"])
    assert len(rows_of(client_for(secretariat).get("/api/v1/pairings/export/?format=csv"))) == 3
    assert column(rows_of(client_for(secretariat).get("/api/v1/pairings/export/?format=csv&status=completed")),
                  "需求") == ["精馏节能"]
    assert client_for(None).get("/api/v1/pairings/export/?format=csv").status_code == 401
    assert done.pk


def test_events_export_with_their_experts_and_audience(client_for, secretariat):
    held = factories.make_event(title="泸州职院专场", status="held", audience_count=180)
    held.participations.create(expert=factories.make_expert(name="王建国"), role="主讲", status="confirmed")
    factories.make_event(title="筹备中的活动", status="planned")
    rows = rows_of(client_for(secretariat).get("/api/v1/events/export/?format=csv&status=held"))
    assert column(rows, "名称") == ["泸州职院专场"] and column(rows, "参与专家") == ["王建国"]
    assert column(rows, "实到人数") == ["180"]


def test_control_characters_a_worksheet_cannot_hold_are_left_out_of_the_xlsx(client_for, enterprise_user):
    user, mine = enterprise_user
    factories.make_challenge(enterprise=mine, title="蒸汽\x01单耗", description="第一行\x0b第二行")
    rows = rows_of(client_for(user).get("/api/v1/challenges/export/?format=xlsx"), "xlsx")
    assert column(rows, "标题") == ["蒸汽单耗"] and column(rows, "问题描述") == ["第一行第二行"]
    assert column(rows_of(client_for(user).get("/api/v1/challenges/export/?format=csv")), "标题") == ["蒸汽\x01单耗"]


def test_events_export_per_role_lists_only_the_experts_the_caller_may_see(client_for, secretariat, expert_user):
    user, invited = expert_user
    held = factories.make_event(title="泸州职院专场", status="held", audience_count=180)
    held.participations.create(expert=factories.make_expert(name="王建国"), status="confirmed")
    held.participations.create(expert=factories.make_expert(name="李婉拒"), status="declined")
    planned = factories.make_event(title="筹备中的活动", status="planned")
    planned.participations.create(expert=invited, status="invited")

    def export(caller):
        rows = rows_of(client_for(caller).get("/api/v1/events/export/?format=csv"))
        return dict(zip(column(rows, "名称"), column(rows, "参与专家")))

    assert export(None) == {"泸州职院专场": "王建国"}  # the public events, their confirmed experts
    assert export(user) == {"泸州职院专场": "王建国", "筹备中的活动": invited.name}  # and the expert's own invitation
    assert export(secretariat) == {"泸州职院专场": "王建国、李婉拒", "筹备中的活动": invited.name}


def test_an_expert_exports_only_their_own_pairings(client_for, expert_user, secretariat):
    user, expert = expert_user
    factories.make_pairing(challenge=factories.make_challenge(title="我的结对"), expert=expert, status="active")
    factories.make_pairing(challenge=factories.make_challenge(title="别人的结对"), status="active")
    assert column(rows_of(client_for(user).get("/api/v1/pairings/export/?format=xlsx"), "xlsx"), "需求") == ["我的结对"]
    assert sorted(column(rows_of(client_for(secretariat).get("/api/v1/pairings/export/?format=csv")), "需求")) == [
        "别人的结对", "我的结对"]
