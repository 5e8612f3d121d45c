"""The audit trail: every state change of an application, batch, pairing, event or challenge, written by the
services of every app (so it lives in the ground), read by the secretariat (alliance's audit feature)."""
from .models import AuditEntry
from .roles import enterprise_ids, expert_of, is_secretariat

SYSTEM = "system"  # the role of entries written by no one (beat tasks: expiry)


def subject_type_of(obj) -> str:
    return obj._meta.label_lower


def actor_name_of(user) -> str:
    """How the entry names its actor for good: the full name and the account name."""
    full = user.get_full_name().strip()
    return f"{full} ({user.get_username()})" if full else user.get_username()


def actor_role_of(user) -> str:
    """The roles the actor acted in, e.g. `secretariat`, `enterprise`, `expert`, `enterprise+expert`."""
    roles = [name for name, holds in (
        ("secretariat", is_secretariat(user)), ("enterprise", bool(enterprise_ids(user))),
        ("expert", expert_of(user) is not None),
    ) if holds]
    return "+".join(roles) or "user"


def audit_record(*, actor, subject, action: str, from_state: str = "", to_state: str = "", note: str = "") -> AuditEntry:
    """Write one entry (insert-only: AuditEntry refuses any later change), with the actor's name and role copied."""
    actor = actor if actor is not None and actor.is_authenticated else None
    return AuditEntry.objects.create(
        actor=actor,
        actor_name=actor_name_of(actor) if actor is not None else "",
        actor_role=actor_role_of(actor) if actor is not None else SYSTEM,
        subject_type=subject_type_of(subject),
        subject_id=subject.pk,
        action=action,
        from_state=from_state or "",
        to_state=to_state or "",
        note=note or "",
    )
