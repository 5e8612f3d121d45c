"""Signals the experts app sends to the layers above it (matching listens; experts never imports matching)."""
from django.dispatch import Signal

# Experts written in bulk (a roster import: bulk_create / bulk_update send no model signals) changed their
# profiles. Sent inside the writing transaction with `expert_ids` and the `studio_ids` whose members changed;
# receivers queue their work with on_commit_collect, so it runs once, after the commit.
profiles_changed = Signal()
