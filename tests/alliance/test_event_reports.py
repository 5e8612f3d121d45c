"""An event's report with photos (JPEG/PNG read from the bytes, size-capped, stored under MEDIA_ROOT and served only
to who may see the event), and cancelling with notice to the invited experts."""
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, transaction
from django.test import override_settings
from django.utils import timezone

from alliance import services
from alliance.models import EventPhoto, OutreachEvent
from jianglian.errors import NotAllowed
from jianglian.models import NotificationLog
from tests import factories
from tests.images import FAKE_JPEG, GIF, JPEG, PNG

pytestmark = pytest.mark.django_db
URL = "/api/v1/events/"


def confirmed_event(secretariat, *experts):
    event = services.event_create(user=secretariat, title="走进泸州职院", school="泸州职业技术学院", province="sichuan",
                                  city="泸州", starts_at=timezone.now() + timedelta(days=3), format="lecture",
                                  topic="精馏节能")
    services.event_invite_experts(user=secretariat, event=event, experts=[e for _, e in experts])
    services.event_respond(user=experts[0][0], event=event, accept=True)
    event = services.event_confirm(user=secretariat, event=event)
    OutreachEvent.objects.filter(pk=event.pk).update(starts_at=timezone.now() - timedelta(hours=2))  # it took place
    return event


def stored_files():
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_the_report_with_photos_is_stored_under_media_root(secretariat, expert_user):
    event = confirmed_event(secretariat, expert_user)
    before = stored_files()

    event = services.event_report(user=secretariat, event=event, audience_count=210, summary="座无虚席",
                                  feedback="希望多来", photos=[(JPEG, "现场"), (PNG, "合影")])

    photos = list(event.photos.order_by("id"))
    assert (event.status, event.audience_count) == ("held", 210)
    assert [(p.content_type, p.caption, p.size) for p in photos] == [
        ("image/jpeg", "现场", len(JPEG)), ("image/png", "合影", len(PNG))]
    new = [p for p in stored_files() if p not in before]
    assert len(new) == 2 and all(Path(settings.MEDIA_ROOT) in p.parents for p in new)
    assert sorted(p.read_bytes() for p in new) == sorted([JPEG, PNG])


@pytest.mark.parametrize("content", [GIF, FAKE_JPEG, b"%PDF-1.7 not a photo", b"", PNG[:20]])
def test_a_photo_that_is_not_a_jpeg_or_png_refuses_the_whole_report(secretariat, expert_user, content):
    event = confirmed_event(secretariat, expert_user)
    before = stored_files()

    with pytest.raises(ValidationError) as refused:
        services.event_report(user=secretariat, event=event, audience_count=10, summary="好",
                              photos=[(JPEG, ""), (content, "")])

    assert list(refused.value.message_dict) == ["photos"]
    assert OutreachEvent.objects.get(pk=event.pk).status == "confirmed"
    assert not EventPhoto.objects.exists() and stored_files() == before


@override_settings(EVENT_PHOTO_MAX_BYTES=1000)
def test_a_photo_over_the_cap_is_refused(secretariat, expert_user):
    event = confirmed_event(secretariat, expert_user)
    big = PNG[:-12] + b"\x00" * 2000 + PNG[-12:]
    with pytest.raises(ValidationError):
        services.event_photo_add(user=secretariat, event=event, data=big)
    assert not EventPhoto.objects.exists()


def test_only_the_secretariat_reports_and_uploads(secretariat, expert_user, enterprise_user):
    event = confirmed_event(secretariat, expert_user)
    for user in (expert_user[0], enterprise_user[0]):
        with pytest.raises(NotAllowed):
            services.event_report(user=user, event=event, audience_count=1, summary="x")
        with pytest.raises(NotAllowed):
            services.event_photo_add(user=user, event=event, data=PNG)
    assert not EventPhoto.objects.exists()


def test_cancelling_tells_every_invited_expert_who_did_not_decline(secretariat):
    a, b, c = factories.make_expert_user(), factories.make_expert_user(), factories.make_expert_user()
    event = services.event_create(user=secretariat, title="走进职院", school="某职院", province="sichuan", city="泸州",
                                  starts_at=timezone.now() + timedelta(days=3), format="lecture", topic="安全")
    services.event_invite_experts(user=secretariat, event=event, experts=[a[1], b[1], c[1]])
    services.event_respond(user=a[0], event=event, accept=True)
    services.event_respond(user=c[0], event=event, accept=False)

    services.event_cancel(user=secretariat, event=event, reason="学校停课")

    told = NotificationLog.objects.filter(kind="event_cancelled", channel="email")
    assert sorted(told.values_list("recipient", flat=True)) == sorted([a[0].pk, b[0].pk])
    assert told.first().context["reason"] == "学校停课"


def test_an_event_cannot_be_planned_in_the_past(secretariat):
    with pytest.raises(ValidationError) as refused:
        services.event_create(user=secretariat, title="x", school="y", province="sichuan", city="泸州",
                              starts_at=timezone.now() - timedelta(minutes=5), format="lecture", topic="z")
    assert list(refused.value.message_dict) == ["starts_at"]


# --- REST -----------------------------------------------------------------------------------------------------------

def test_rest_photo_upload_and_who_sees_the_file(secretariat, expert_user, client_for):
    event = confirmed_event(secretariat, expert_user)
    admin = client_for(secretariat)

    uploaded = admin.post(f"{URL}{event.pk}/photos/", {"file": SimpleUploadedFile("a.png", PNG, "image/png"),
                                                      "caption": "合影"}, format="multipart")
    disguised = admin.post(f"{URL}{event.pk}/photos/", {"file": SimpleUploadedFile("b.jpg", GIF, "image/jpeg")},
                           format="multipart")
    expert = client_for(expert_user[0]).post(f"{URL}{event.pk}/photos/",
                                             {"file": SimpleUploadedFile("c.png", PNG, "image/png")}, format="multipart")

    assert uploaded.status_code == 201, uploaded.json()
    assert (disguised.status_code, list(disguised.json()["errors"])) == (400, ["photos"])
    assert expert.status_code == 403
    photo_url = uploaded.json()["photos"][0]["url"]
    public = client_for(None).get(photo_url)
    assert (public.status_code, public["Content-Type"], b"".join(public.streaming_content)) == (200, "image/png", PNG)
    hidden = services.event_create(user=secretariat, title="筹备中", school="y", province="sichuan", city="泸州",
                                   starts_at=timezone.now() + timedelta(days=9), format="lecture", topic="z")
    assert client_for(None).get(f"{URL}{hidden.pk}/photos/1/").status_code == 404  # a planned event is not public


def test_rest_event_list_with_photos_is_a_fixed_number_of_queries(secretariat, expert_user, client_for,
                                                                  django_assert_max_num_queries):
    client = client_for(None)
    event = confirmed_event(secretariat, expert_user)
    services.event_report(user=secretariat, event=event, audience_count=5, summary="x", photos=[(PNG, "")])
    with django_assert_max_num_queries(6) as one:
        assert client.get(URL).json()["count"] == 1
    for _ in range(4):
        event = confirmed_event(secretariat, factories.make_expert_user())
        services.event_report(user=secretariat, event=event, audience_count=5, summary="x",
                              photos=[(PNG, ""), (JPEG, "")])
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(URL).json()["count"] == 5


# --- a failed write leaves no file behind (jianglian.files) ------------------------------------------------------

@pytest.fixture
def own_media_root(settings, tmp_path):
    """A media folder of this test's own: the sweep below sees only its files."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_a_database_error_on_the_second_photo_leaves_neither_row_nor_file(secretariat, expert_user, own_media_root,
                                                                          monkeypatch):
    event = confirmed_event(secretariat, expert_user)
    saves = []
    original = EventPhoto.save

    def second_fails(photo, *args, **kwargs):  # the database refuses the second photo's row (disk full, a lock …)
        saves.append(photo.stored_name)
        if len(saves) == 2:
            raise DatabaseError("could not extend file: No space left on device")
        return original(photo, *args, **kwargs)

    monkeypatch.setattr(EventPhoto, "save", second_fails)

    with pytest.raises(DatabaseError):
        services.event_report(user=secretariat, event=event, audience_count=80, summary="好",
                              photos=[(JPEG, "现场"), (PNG, "合影")])

    # both files had been written (the first with its row) and both are gone with the rolled-back report
    assert len(saves) == 2
    assert OutreachEvent.objects.get(pk=event.pk).status == "confirmed" and not EventPhoto.objects.exists()
    assert not [p for p in own_media_root.rglob("*") if p.is_file()]


def test_a_failed_single_upload_leaves_no_file(secretariat, expert_user, own_media_root, monkeypatch):
    event = confirmed_event(secretariat, expert_user)
    monkeypatch.setattr("alliance.services.audit_record",
                        lambda **kwargs: (_ for _ in ()).throw(DatabaseError("the audit trail is unwritable")))

    with pytest.raises(DatabaseError):
        services.event_photo_add(user=secretariat, event=event, data=JPEG)

    assert not EventPhoto.objects.exists() and not [p for p in own_media_root.rglob("*") if p.is_file()]


def test_a_photo_whose_enclosing_transaction_rolled_back_is_swept_after_the_grace_period(
        secretariat, expert_user, own_media_root):
    from jianglian.files import orphan_files_sweep

    event = confirmed_event(secretariat, expert_user)
    kept = services.event_photo_add(user=secretariat, event=event, data=PNG, caption="合影")
    # a caller's transaction around the upload rolls back after the service returned: its file stays for now
    with pytest.raises(RuntimeError), transaction.atomic():
        lost = services.event_photo_add(user=secretariat, event=event, data=JPEG)
        raise RuntimeError("the caller failed after the upload")
    orphan = own_media_root / lost.image.name
    assert orphan.exists() and not EventPhoto.objects.filter(pk=lost.pk).exists()

    # within the grace period (a write may still be in its transaction) the sweep keeps it
    assert orphan_files_sweep()["event photos"] == 0 and orphan.exists()
    # an hour on, the sweep (beat: jianglian.sweep_orphan_files) removes it, never a file a row names
    swept = orphan_files_sweep(now=timezone.now() + timedelta(hours=2))
    assert swept == {"event photos": 1, "paper agreements": 0}
    assert not orphan.exists() and (own_media_root / kept.image.name).read_bytes() == PNG


def test_the_sweep_runs_on_beats_schedule():
    assert settings.CELERY_BEAT_SCHEDULE["orphan-files-sweep"]["task"] == "jianglian.sweep_orphan_files"
