from jianglian.rosters.command import RosterImportCommand


class Command(RosterImportCommand):
    kind_name = "enterprises"
