"""Signals the alliance app sends to the layers above it (matching listens; alliance never imports matching)."""
from django.dispatch import Signal

# Studios written in bulk (a roster import: bulk_create / bulk_update send no model signals) changed what they
# work on. Sent inside the writing transaction with `studio_ids`; receivers queue their work with
# on_commit_collect, so it runs once, after the commit.
studios_changed = Signal()
