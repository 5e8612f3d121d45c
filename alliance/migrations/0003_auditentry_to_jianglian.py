"""The audit trail moves to the ground package (jianglian.AuditEntry): alliance forgets the model, the table
`alliance_auditentry` and its rows stay where they are (jianglian 0002 adopts them)."""
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("alliance", "0002_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AuditEntry")],
            database_operations=[],
        ),
    ]
