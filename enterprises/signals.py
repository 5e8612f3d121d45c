"""Signals the enterprises app sends to the layers above it (matching listens; enterprises never imports matching)."""
from django.dispatch import Signal

# An enterprise's group or name changed, which changes who has a conflict of interest with the challenges of
# `enterprise_ids` (the enterprise and every member of its old and new group). Sent inside the writing
# transaction; receivers queue their work with on_commit_collect.
group_changed = Signal()
