"""The enterprise admin edits the group (所属集团) through enterprises.services.enterprise_update — the rule REST,
GraphQL and the dashboard obey: set by the secretariat it is verified at once and audited; a group the
enterprise set waits for the "核实所选企业的所属集团" action; an illegal group is refused on the form, never a
500. The verification fields are never typed in by hand."""
import pytest
from django.urls import reverse

from enterprises import services
from enterprises.models import Enterprise
from jianglian.audit import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:enterprises_enterprise_changelist"


@pytest.fixture
def secretariat_client(client):
    secretariat = factories.make_secretariat()
    secretariat.is_superuser = True  # admin permissions; the rule itself checks the secretariat role
    secretariat.save()
    client.force_login(secretariat)
    return client


def change_form(client, enterprise, **changes):
    """POST the change form as the admin page would, with `changes` over the enterprise's current values."""
    url = reverse("admin:enterprises_enterprise_change", args=[enterprise.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form.initial.get(name) for name in form.fields}
    data.update(changes)
    data["staff"] = [u.pk for u in enterprise.staff.all()]
    data = {k: ("" if v is None else v) for k, v in data.items()}
    return client.post(url, data, follow=True)


def test_a_group_set_in_the_admin_is_verified_at_once_and_audited(secretariat_client):
    enterprise = factories.make_enterprise(name="蓉新化工有限公司")
    parent = factories.make_enterprise(name="蓉新化工集团有限公司")

    response = change_form(secretariat_client, enterprise, group=parent.pk)

    assert response.status_code == 200
    enterprise.refresh_from_db()
    assert enterprise.group_id == parent.pk and enterprise.group_verified
    assert AuditEntry.objects.filter(action="set_group", subject_id=str(enterprise.pk)).exists()


def test_an_illegal_group_is_refused_on_the_form(secretariat_client):
    parent = factories.make_enterprise(name="母公司")
    member = factories.make_enterprise(name="子公司", group=parent)

    response = change_form(secretariat_client, parent, group=member.pk)   # a group's parent joins no group

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "所选企业本身属于集团「母公司」，请直接选择该集团。" in str(errors["group"])
    parent.refresh_from_db()
    assert parent.group_id is None


def test_the_verification_fields_are_read_only():
    from django.contrib import admin

    model_admin = admin.site._registry[Enterprise]
    assert {"group_verified_at", "group_verified_by"} <= set(model_admin.readonly_fields)
    assert "group" in model_admin.autocomplete_fields


def test_the_secretariat_verifies_the_group_an_enterprise_set(secretariat_client):
    user, enterprise = factories.make_enterprise_user()
    parent = factories.make_enterprise(name="某某集团有限公司")
    services.enterprise_update(user=user, enterprise=enterprise, group=parent)
    enterprise.refresh_from_db()
    assert not enterprise.group_verified
    no_group = factories.make_enterprise(name="独立企业")

    response = secretariat_client.post(reverse(CHANGELIST), {
        "action": "verify_group", "_selected_action": [enterprise.pk, no_group.pk]}, follow=True)

    enterprise.refresh_from_db()
    assert enterprise.group_verified
    said = [str(m) for m in response.context["messages"]]
    assert any("独立企业" in m and "没有填写所属集团" in m for m in said)
