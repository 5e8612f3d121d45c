"""The audit trail becomes insert-only and keeps who acted.

- `actor_name` and `actor_role` are copied into every entry when it is written (jianglian.audit); existing
  entries get them from their actor now, before the trigger exists.
- PostgreSQL: a trigger refuses UPDATE and DELETE of an entry, whoever sends the SQL. One UPDATE passes: the
  actor set to NULL and nothing else, which is how deleting an account (ON DELETE SET NULL, done by Django)
  reaches its entries. TRUNCATE is not refused (a row trigger does not fire on it): that is the test
  runner's flush, and a TRUNCATE needs the table owner's privilege anyway.
- SQLite (the embedded default) has no trigger: its test runner empties tables with DELETE. The model and
  its queryset refuse changes there as everywhere.
"""
from django.db import migrations, models

TRIGGER = """
CREATE OR REPLACE FUNCTION jianglian_audit_insert_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.actor_id IS NOT NULL AND NEW.actor_id IS NULL
       AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
        RETURN NEW;  -- the actor's account deleted: the entry keeps the copied name and role
    END IF;
    RAISE EXCEPTION 'audit trail is insert-only: % of alliance_auditentry % refused', TG_OP, OLD.id
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_insert_only ON alliance_auditentry;
CREATE TRIGGER audit_insert_only BEFORE UPDATE OR DELETE ON alliance_auditentry
    FOR EACH ROW EXECUTE FUNCTION jianglian_audit_insert_only();
"""
DROP_TRIGGER = """
DROP TRIGGER IF EXISTS audit_insert_only ON alliance_auditentry;
DROP FUNCTION IF EXISTS jianglian_audit_insert_only();
"""


def copy_actors(apps, schema_editor):
    db = schema_editor.connection.alias
    AuditEntry = apps.get_model("jianglian", "AuditEntry")
    User = apps.get_model("auth", "User")
    Expert = apps.get_model("experts", "Expert")
    Enterprise = apps.get_model("enterprises", "Enterprise")
    actor_ids = set(AuditEntry.objects.using(db).exclude(actor=None).values_list("actor_id", flat=True))
    if not actor_ids:
        return
    staff = set(Enterprise.staff.through.objects.using(db).filter(user_id__in=actor_ids).values_list("user_id", flat=True))
    experts = set(Expert.objects.using(db).filter(user_id__in=actor_ids).values_list("user_id", flat=True))
    secretariat = set(User.objects.using(db).filter(pk__in=actor_ids).filter(
        models.Q(is_superuser=True) | models.Q(groups__name="secretariat")).values_list("pk", flat=True))
    for user in User.objects.using(db).filter(pk__in=actor_ids):
        full = f"{user.first_name} {user.last_name}".strip()
        name = f"{full} ({user.username})" if full else user.username
        role = "+".join(r for r, ids in (("secretariat", secretariat), ("enterprise", staff), ("expert", experts))
                        if user.pk in ids) or "user"
        AuditEntry.objects.using(db).filter(actor_id=user.pk).update(actor_name=name, actor_role=role)
    AuditEntry.objects.using(db).filter(actor=None).update(actor_role="system")


def add_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER, params=None)  # no placeholders: % is the RAISE format


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("jianglian", "0003_rosterupload"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("experts", "0001_initial"),
        ("enterprises", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="actor_name",
            field=models.CharField(blank=True, max_length=200, verbose_name="操作人姓名"),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="actor_role",
            field=models.CharField(blank=True, max_length=64, verbose_name="操作人角色"),
        ),
        migrations.RunPython(copy_actors, migrations.RunPython.noop),
        migrations.RunPython(add_trigger, drop_trigger),
    ]
