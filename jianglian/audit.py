"""The audit trail: every state change of an application, batch, pairing, event or challenge, written by the
services of every app (so it lives in the ground), read by the secretariat (alliance's audit feature)."""
from .models import AuditEntry


def subject_type_of(obj) -> str:
    return obj._meta.label_lower


def audit_record(*, actor, subject, action: str, from_state: str = "", to_state: str = "", note: str = "") -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        subject_type=subject_type_of(subject),
        subject_id=subject.pk,
        action=action,
        from_state=from_state or "",
        to_state=to_state or "",
        note=note or "",
    )
