"""The notification kinds of reaching experts and studios (issue 12 §1, §2), with their texts in
matching/templates/notifications/<kind>.<language>.txt; registered with jianglian.notifications."""
from jianglian import notifications

INVITATION_LINK = "pairing_invitation_link"          # an expert without an account: the one-time link → the entry's channels
ANSWERED_ON_BEHALF = "pairing_answered_on_behalf"    # a liaison recorded the expert's answer → both sides
PAPER_AGREEMENT = "pairing_paper_agreement"          # the secretariat attached the paper agreement → both sides
STUDIO_INVITATION = "studio_invitation"              # an enterprise invited a studio → its lead and managers
STUDIO_INVITATION_ASSIGNED = "studio_invitation_assigned"  # the studio assigned a member → the enterprise
STUDIO_INVITATION_DECLINED = "studio_invitation_declined"  # the studio declined → the enterprise

KINDS = (INVITATION_LINK, ANSWERED_ON_BEHALF, PAPER_AGREEMENT, STUDIO_INVITATION, STUDIO_INVITATION_ASSIGNED,
         STUDIO_INVITATION_DECLINED)

_missing = tuple(kind for kind in KINDS if kind not in notifications.Kind.ALL)
notifications.Kind.ALL = (*notifications.Kind.ALL, *_missing)
