"""Has this been solved before? The paired and resolved challenges most like a draft or open one (or like the
text being typed on the posting form), with their outcome and who solved them.

Through the search backend (the `challenge` index: embedded tantivy or Elasticsearch), filtered to paired and
resolved challenges; each hit is read back through enterprises.selectors.challenge_list, so only rows the caller
may see come out (a hit the index still holds but the database no longer shows is left out). What is shown of
them is what is public about a challenge: title, category, region, status, the outcome figures of its pairing
(problems solved, yuan saved, the enterprise's rating) and the expert (and their studio) who took it on —
never a description, an outcome summary or any draft. One query whatever the number of results (two when a hit
has no pairing on record or is not the caller's to see).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from enterprises.models import Challenge
from enterprises.selectors import challenge_list
from search.backends import get_backend
from search.text import tokenize_query

from .models import PairingAgreement

SOLVED_STATES = (Challenge.Status.PAIRED, Challenge.Status.RESOLVED)
# The pairing behind a paired challenge (active) and a resolved one (completed).
SOLVING_PAIRING_STATES = (PairingAgreement.Status.ACTIVE, PairingAgreement.Status.COMPLETED)
DEFAULT_FIRST = 5
MAX_FIRST = 20
TITLE_WEIGHT, DESCRIPTION_WEIGHT = 1.0, 0.5
# A hit scoring under this share of the best one shares a word or two with the text, not the problem.
MIN_SHARE_OF_BEST = 0.3
MAX_TITLE_CHARS, MAX_DESCRIPTION_CHARS = 128, 5000


@dataclass
class SimilarChallenge:
    """A paired or resolved challenge like the one asked about, as public as a challenge is."""

    challenge: Challenge  # read only its public facts: id, title, category, status, its enterprise's region
    score: float
    pairing: PairingAgreement | None  # the active or completed pairing, with its expert (and their studio)

    @property
    def expert(self):
        return self.pairing.expert if self.pairing else None

    @property
    def studio(self):
        return self.pairing.expert.studio if self.pairing else None

    @property
    def problems_solved(self) -> int | None:
        return self.pairing.problems_solved if self.pairing else None

    @property
    def savings_yuan(self) -> Decimal | None:
        return self.pairing.savings_yuan if self.pairing else None

    @property
    def rating(self) -> int | None:
        """The enterprise's rating of the pairing (1–5), once given."""
        return self.pairing.enterprise_rating if self.pairing else None


def similarity_query(title: str, description: str = "") -> dict[str, float]:
    """Weighted tokens of a challenge's text: its title's words above its description's."""
    query = dict.fromkeys(tokenize_query(title or ""), TITLE_WEIGHT)
    for token in tokenize_query(description or ""):
        query.setdefault(token, DESCRIPTION_WEIGHT)
    return query


def _bounded(first) -> int:
    try:
        first = int(DEFAULT_FIRST if first is None else first)
    except (TypeError, ValueError):
        raise ValidationError({"first": _("请输入整数。")}) from None
    if first < 0:
        raise ValidationError({"first": _("不能为负数。")})
    return min(first, MAX_FIRST)


def similar_to_text(*, user, title: str, description: str = "", first=DEFAULT_FIRST,
                    exclude_id: int | None = None) -> list[SimilarChallenge]:
    """The paired and resolved challenges most like `title` + `description`, best first (at most `first`, capped
    at MAX_FIRST), as `user` may see them. ValidationError on `title` / `description` / `first` when too long or
    not a number; an empty text finds nothing."""
    first = _bounded(first)
    title, description = (title or "").strip(), (description or "").strip()
    errors = {}
    if len(title) > MAX_TITLE_CHARS:
        errors["title"] = _("标题最多 %(n)d 个字。") % {"n": MAX_TITLE_CHARS}
    if len(description) > MAX_DESCRIPTION_CHARS:
        errors["description"] = _("问题描述最多 %(n)d 个字。") % {"n": MAX_DESCRIPTION_CHARS}
    if errors:
        raise ValidationError(errors)
    query = similarity_query(title, description)
    if not query or first == 0:
        return []
    hits = get_backend().search("challenge", query, filters={"status": list(SOLVED_STATES)}, limit=first + 1).hits
    hits = [hit for hit in hits if hit.id != exclude_id]
    if hits:
        best = hits[0].score
        hits = [hit for hit in hits if hit.score >= best * MIN_SHARE_OF_BEST][:first]
    if not hits:
        return []
    visible = challenge_list(user=user).filter(pk__in=[h.id for h in hits], status__in=SOLVED_STATES)
    pairings = {}
    for pairing in (PairingAgreement.objects.filter(challenge__in=visible, status__in=SOLVING_PAIRING_STATES)
                    .select_related("challenge__enterprise", "expert__studio")
                    .order_by("challenge_id", "-activated_at", "-id")):
        pairings.setdefault(pairing.challenge_id, pairing)  # the latest, should a challenge have had two
    rows = {pk: pairing.challenge for pk, pairing in pairings.items()}
    unsolved = [hit.id for hit in hits if hit.id not in rows]
    if unsolved:  # hits the caller may not see, or paired or resolved without a pairing on record
        rows.update({c.pk: c for c in visible.filter(pk__in=unsolved).select_related("enterprise")})
    return [SimilarChallenge(challenge=rows[hit.id], score=hit.score, pairing=pairings.get(hit.id))
            for hit in hits if hit.id in rows]


def similar_challenges(*, user, challenge: Challenge, first=DEFAULT_FIRST) -> list[SimilarChallenge]:
    """The paired and resolved challenges most like `challenge` (one `user` may see: the caller loads it through
    challenge_list), itself left out."""
    return similar_to_text(user=user, title=challenge.title, description=challenge.description, first=first,
                           exclude_id=challenge.pk)
