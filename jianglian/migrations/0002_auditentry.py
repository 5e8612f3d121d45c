"""The audit trail, written by every app, moves here from alliance with its table: a state-only move
(`alliance_auditentry` and its rows stay), and its content type follows, so permissions granted on it and
admin log entries about it stay attached."""
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor, from_app="alliance", to_app="jianglian"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label=to_app, model="auditentry").exists():
        ContentType.objects.using(db).filter(app_label=from_app, model="auditentry").update(app_label=to_app)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, from_app="jianglian", to_app="alliance")


class Migration(migrations.Migration):

    dependencies = [
        ("jianglian", "0001_initial"),
        ("alliance", "0003_auditentry_to_jianglian"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AuditEntry",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="时间")),
                        ("subject_type", models.CharField(max_length=64, verbose_name="对象类型")),
                        ("subject_id", models.BigIntegerField(verbose_name="对象编号")),
                        ("action", models.CharField(max_length=64, verbose_name="操作")),
                        ("from_state", models.CharField(blank=True, max_length=32, verbose_name="原状态")),
                        ("to_state", models.CharField(blank=True, max_length=32, verbose_name="新状态")),
                        ("note", models.TextField(blank=True, verbose_name="备注")),
                        ("actor", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                                    related_name="audit_entries", to=settings.AUTH_USER_MODEL,
                                                    verbose_name="操作人")),
                    ],
                    options={
                        "verbose_name": "审计记录",
                        "verbose_name_plural": "审计记录",
                        "db_table": "alliance_auditentry",
                        "ordering": ["-at", "-id"],
                        "indexes": [models.Index(fields=["subject_type", "subject_id"],
                                                 name="alliance_au_subject_3dc2b6_idx")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
