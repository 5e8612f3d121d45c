"""Studios (劳模工匠创新工作室) as a roster: columns, the rules of a row, matching and writing.

Natural key: the studio's name (unique). The lead (领衔人) must already be in the 劳模工匠库: found by the lead's
mobile phone when the roster gives it, else by name at the host enterprise, else by a name only one expert has.
Research directions are matched on the skill taxonomy like experts' skills; an unknown one is kept as a
self-filled direction (`focus`) and reported. Imported studios are not members: membership goes through an
application and the secretariat's review, as always.
"""
from __future__ import annotations

from collections import defaultdict
from functools import cached_property

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from experts.models import Expert
from experts.roster import TAG_MAX, SkillWords
from jianglian.choices import Province
from jianglian.rosters.columns import CellError, Choices, Column, lookup_key, phone_key, read_int, read_mobile
from jianglian.rosters.columns import read_year, split_list
from jianglian.rosters.importer import ModelRoster, Row
from search.sync import queue_update

from .models import Studio
from .signals import studios_changed

TEXT_MAX = 5000


def _max(name: str) -> int:
    return Studio._meta.get_field(name).max_length


def _labels(choices):
    return lambda: [str(label) for _, label in choices]


COLUMNS = (
    Column("name", "工作室名称", ("名称", "工作室", "创新工作室名称", "劳模工匠创新工作室", "工作室全称"), required=True,
           max_length=_max("name"), proper_name=True, example="王建国精馏节能创新工作室"),
    Column("level", "级别", ("工作室级别", "层级", "命名级别"), choices=_labels(Studio.Level.choices), example="省级"),
    Column("host_enterprise", "依托单位", ("依托企业", "所在单位", "单位", "工作单位"), required=True,
           max_length=_max("host_enterprise"), proper_name=True, example="四川天华化工集团有限公司"),
    Column("lead", "领衔人", ("负责人", "领办人", "带头人", "领衔人姓名"), max_length=64, proper_name=True, example="王建国",
           note=gettext_lazy("须已在劳模工匠库中")),
    Column("lead_phone", "领衔人手机号", ("负责人手机号", "联系电话", "手机号", "领衔人电话"), example="13800138000",
           note=gettext_lazy("用于确认领衔人；同名时必填")),
    Column("province", "省份", ("省", "所在省份", "所在省"), required=True, choices=_labels(Province.choices),
           example="四川"),
    Column("city", "城市", ("市", "所在城市", "地市"), required=True, max_length=_max("city"), example="泸州"),
    Column("established_year", "成立年份", ("成立时间", "命名年份", "命名时间"), example="2016"),
    Column("skills", "研究方向", ("技能专长", "专业领域", "技术方向", "研究领域"), multiple=True,
           example="精馏与分离节能、换热器", note=gettext_lazy("技能分类中的名称或同义词，多个用“、”分隔")),
    Column("focus", "其他研究方向", ("自填研究方向",), multiple=True, example="",
           note=gettext_lazy("技能分类以外的方向，多个用“、”分隔")),
    Column("capacity", "可同时结对数", ("结对容量", "最多结对数"), example="3"),
    Column("description", "简介", ("工作室简介", "基本情况"), max_length=TEXT_MAX,
           example="以精馏装置节能降耗为方向，开展技术攻关与人才培养。"),
    Column("achievements", "主要成果", ("成果", "主要业绩", "创新成果"), max_length=TEXT_MAX,
           example="完成技术攻关 12 项，获国家专利 8 项。"),
)


class StudioRoster(ModelRoster):
    name = "studios"
    label = gettext_lazy("工作室")
    columns = COLUMNS
    natural_key = gettext_lazy("工作室名称")
    model = Studio
    fields = ("name", "level", "host_enterprise", "lead_id", "province", "city", "established_year", "focus",
              "capacity", "description", "achievements")
    links = {"skills": "skill_ids"}
    column_of = {"lead_id": "lead"}

    @cached_property
    def levels(self):
        return Choices(Studio.Level.choices, what=gettext_lazy("级别"), aliases={
            "国家": "national", "全国": "national", "全国级": "national", "省": "provincial", "省部级": "provincial",
            "市": "municipal", "地市级": "municipal", "企业": "enterprise"})

    def read_level(self, text):
        return self.levels(text)

    def read_lead_phone(self, text):
        return read_mobile(text)

    def read_established_year(self, text):
        return read_year(text)

    def read_skills(self, text):
        return split_list(text)

    def read_focus(self, text):
        directions = split_list(text)
        for direction in directions:
            if len(direction) > TAG_MAX:
                raise CellError(_("“%(word)s…”过长：每项最多 %(max)s 个字符。") % {"word": direction[:10], "max": TAG_MAX})
        return directions

    def read_capacity(self, text):
        return read_int(text, low=0, high=50)

    def prepare(self, rows: list[Row]) -> None:
        self.skill_words = SkillWords()
        names = {lookup_key(row.values["name"]) for row in rows if "name" in row.values}
        self.by_name = {}
        for pk, name in Studio.objects.values_list("pk", "name"):
            if lookup_key(name) in names:
                self.by_name[lookup_key(name)] = pk
        self.stored = self.load(self.by_name.values())
        leads = {lookup_key(row.values["lead"]) for row in rows if "lead" in row.values}
        phones = {row.values["lead_phone"] for row in rows if "lead_phone" in row.values}
        self.experts = []  # (pk, name key, employer key, phone digits) of the experts a lead cell may name
        for pk, name, employer, phone in Expert.objects.values_list("pk", "name", "employer", "phone"):
            digits = phone_key(phone)
            if lookup_key(name) in leads or (digits and digits in phones):
                self.experts.append((pk, lookup_key(name), lookup_key(employer), digits))

    def check(self, row: Row) -> None:
        values = row.values
        if "skills" in values:
            self.skill_words.resolve(self, row, kept_as=_("自填研究方向"))
        if "lead_phone" in values and "lead" not in values:
            self.error(row, "lead", _("填写了领衔人手机号，请同时填写领衔人姓名。"))
        if "lead" in values:
            values["lead_id"] = self.find_lead(row)

    def find_lead(self, row: Row) -> int | None:
        name = lookup_key(row.values["lead"])
        phone = row.values.get("lead_phone")
        if phone:
            found = [pk for pk, _n, _e, digits in self.experts if digits == phone]
            if found and not any(n == name for pk, n, _e, _d in self.experts if pk in found):
                self.error(row, "lead_phone", _("手机号 %(phone)s 属于另一位专家，不是“%(name)s”。")
                           % {"phone": phone, "name": row.values["lead"]})
                return None
        else:
            host = lookup_key(row.values.get("host_enterprise", ""))
            found = [pk for pk, n, e, _d in self.experts if n == name and e == host]
            if not found:
                found = [pk for pk, n, _e, _d in self.experts if n == name]
        if len(found) == 1:
            return found[0]
        if not found:
            self.error(row, "lead", _("劳模工匠库中没有领衔人“%(name)s”：请先导入该专家，或核对姓名和手机号。")
                       % {"name": row.values["lead"]})
        else:
            self.error(row, "lead", _("劳模工匠库中有 %(n)s 位“%(name)s”：请填写领衔人手机号。")
                       % {"n": len(found), "name": row.values["lead"]})
        return None

    def file_key(self, row: Row):
        return lookup_key(row.values.get("name", "")) or None

    def describe(self, row: Row) -> tuple[str, str]:
        name = row.values.get("name") or row.cells.get("name", "")
        return name, name

    def match(self, row: Row):
        pk = self.by_name.get(lookup_key(row.values["name"]))
        return self.stored[pk] if pk is not None else None

    def new_values(self, row: Row, stored) -> dict:
        values = super().new_values(row, stored)
        focus = list(values.get("focus") or [])
        focus += [word for word in row.values.get("unknown_skills", ()) if word not in focus]
        values["focus"] = focus
        return values

    def written(self, creates: list[Row], updates: list[Row]) -> None:
        # bulk writes send no model signals: the index and matching are told here, once, after the commit.
        ids = [row.result.target_id for row in creates] + [row.existing.pk for row in updates]
        queue_update("studio", ids)
        studios_changed.send(sender=Studio, studio_ids=ids)

    # --- exporting -------------------------------------------------------------------------------------------

    @cached_property
    def export_labels(self) -> dict:
        return {"level": dict(self.levels.labels), "province": dict(self.provinces.labels)}

    def export_row(self, studio: Studio, *, contact: bool) -> dict[str, str]:
        """One studio as a roster row, which imports back as unchanged; the lead's phone only when `contact`
        (the caller may see the lead's contact details). Reads `studio.lead` and `studio.skills`: prefetch them."""
        labels = self.export_labels
        row = {
            "name": studio.name, "level": labels["level"].get(studio.level, studio.level),
            "host_enterprise": studio.host_enterprise, "lead": studio.lead.name if studio.lead_id else "",
            "province": labels["province"].get(studio.province, studio.province), "city": studio.city,
            "established_year": str(studio.established_year) if studio.established_year else "",
            "skills": "、".join(sorted(s.name for s in studio.skills.all())), "focus": "、".join(studio.focus or ()),
            "capacity": str(studio.capacity), "description": studio.description, "achievements": studio.achievements,
        }
        if contact and studio.lead_id:
            row["lead_phone"] = studio.lead.phone
        return row


roster = StudioRoster()  # for what needs no import state (the template); each import makes its own
