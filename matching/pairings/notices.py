"""The notification kinds of reaching experts and studios (issue 12 §1, §2), with their texts in
matching/templates/notifications/<kind>.<language>.txt, registered with jianglian.notifications (whose own kinds
PAIRING_ANSWERED_ON_BEHALF and STUDIO_INVITATION_ASSIGNED, texts in jianglian/templates/, these services send too)."""
from jianglian.notifications import Kind, register_kind

INVITATION_LINK = register_kind("pairing_invitation_link")  # no account: the one-time link → the entry's channels
ANSWERED_ON_BEHALF = Kind.PAIRING_ANSWERED_ON_BEHALF         # a liaison recorded the expert's answer → both sides
PAPER_AGREEMENT = register_kind("pairing_paper_agreement")  # the paper agreement attached → both sides
STUDIO_INVITATION = register_kind("studio_invitation")      # an enterprise invited a studio → its lead and managers
STUDIO_INVITATION_ASSIGNED = Kind.STUDIO_INVITATION_ASSIGNED  # the studio assigned a member → the member
STUDIO_INVITATION_TAKEN = register_kind("studio_invitation_taken")  # … and → the enterprise
STUDIO_INVITATION_DECLINED = register_kind("studio_invitation_declined")  # the studio declined → the enterprise
