"""Signals the search engine owns, so that the apps above it can tell it (and each other) what changed
without the engine importing them.

`taxonomy_changed`: the skill taxonomy changed (a skill added, edited, deleted or re-related, a taxonomy
load): the words apps registered with `search.text.register_words` and the areas matching derives from
the skills. Sent by the app that owns the taxonomy (experts), inside the transaction that changed it,
`sender` being the model. Receivers defer their work to the commit (once per transaction):
- `search.text.taxonomy_changed_receiver`: this process rereads the dictionary words;
- matching: forgets its cached taxonomy and re-derives candidate areas and rankings (a task).
"""
from django.dispatch import Signal

taxonomy_changed = Signal()
