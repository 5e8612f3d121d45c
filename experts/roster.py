"""The 劳模工匠库 as a roster: its columns, the rules of a row, and how rows are matched and written.

Natural key: the mobile phone; a row without one (or whose phone no expert has) is matched on name + employer.
A row that matches no expert creates one, without an account (the secretariat's claim link lets the expert
claim the entry later). Skills are matched on the taxonomy's names, synonyms and codes; a skill the taxonomy
does not know is kept as a self-filled skill tag and reported as a warning. Honours are read by their Chinese
names (with an optional year: 全国劳动模范（2015）), the studio by its name.

Rows are written in bulk (bulk_create / bulk_update), which bypasses model signals; the search index and
matching are told once, after the commit, for all the rows (`queue_update`, `profiles_changed`).
"""
from __future__ import annotations

import re
from collections import defaultdict
from functools import cached_property

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance.models import Studio
from jianglian.choices import Honour, Industry, Province
from jianglian.rosters.columns import CellError, Choices, Column, lookup_key, phone_key, read_bool, read_int
from jianglian.rosters.columns import read_mobile, read_year, split_list
from jianglian.rosters.importer import ModelRoster, Row
from search.sync import queue_update

from .models import Expert, ExpertHonour, Skill
from .signals import profiles_changed

TEXT_MAX = 5000  # 简介 and 主要成果: a roster cell, not a book
TAG_MAX = 32


def _max(name: str) -> int:
    return Expert._meta.get_field(name).max_length


def _labels(choices):
    return lambda: [str(label) for _, label in choices]


YES_NO = lambda: [_("是"), _("否")]  # noqa: E731

COLUMNS = (
    Column("name", "姓名", ("名字", "专家姓名", "劳模姓名", "工匠姓名", "劳模工匠姓名", "name"), required=True,
           max_length=_max("name"), proper_name=True, example="王建国"),
    Column("gender", "性别", ("gender",), choices=_labels(Expert.Gender.choices), example="男"),
    Column("birth_year", "出生年份", ("出生年月", "出生日期", "出生年"), example="1972"),
    Column("role", "类型", ("人员类型", "人才类型", "劳模工匠类型"), choices=_labels(Expert.Role.choices),
           example="劳模、工匠"),
    Column("employer", "工作单位", ("单位", "所在单位", "工作单位全称", "单位名称", "所在企业", "employer"),
           required=True, max_length=_max("employer"), proper_name=True, example="四川天华化工集团有限公司"),
    Column("position", "职务", ("职位",), max_length=_max("position"), example="首席技师"),
    Column("professional_title", "职称/技能等级", ("职称", "技能等级", "职业资格", "技术职称", "职称或技能等级"),
           max_length=_max("professional_title"), example="高级技师"),
    Column("province", "省份", ("省", "所在省份", "省（区、市）", "省区市", "所在省"), required=True,
           choices=_labels(Province.choices), example="四川"),
    Column("city", "城市", ("市", "所在城市", "地市", "所在市"), required=True, max_length=_max("city"), example="泸州"),
    Column("industry", "行业", ("所属行业",), choices=_labels(Industry.choices), example="化工"),
    Column("honours", "荣誉称号", ("荣誉", "获得荣誉", "主要荣誉", "荣誉情况", "所获荣誉"), multiple=True,
           choices=_labels(Honour.choices), example="全国劳动模范（2015）、大国工匠",
           note=gettext_lazy("多个荣誉用“、”分隔，年份可写在括号里")),
    Column("skills", "技能专长", ("专业领域", "技能", "专长", "擅长领域", "技术专长", "专业特长", "技能领域"),
           multiple=True, example="精馏与分离节能、换热器", note=gettext_lazy("技能分类中的名称或同义词，多个用“、”分隔")),
    Column("skill_tags", "其他技能", ("自填技能", "自填技能标签", "技能标签"), multiple=True, example="",
           note=gettext_lazy("技能分类以外的技能，多个用“、”分隔")),
    Column("studio", "所属工作室", ("工作室", "所在工作室", "创新工作室", "劳模工匠创新工作室"),
           max_length=Studio._meta.get_field("name").max_length, example=""),
    Column("capacity", "可同时结对数", ("结对容量", "最多结对数", "可结对数"), example="2"),
    Column("accepting_pairings", "接受结对", ("是否接受结对",), choices=YES_NO, example="是"),
    Column("accepts_remote", "接受远程指导", ("是否接受远程指导", "远程指导"), choices=YES_NO, example="是"),
    Column("phone", "手机号", ("联系电话", "手机", "手机号码", "电话", "移动电话", "联系方式", "phone", "mobile"),
           example="13800138000", note=gettext_lazy("中国大陆手机号；同一手机号视为同一人")),
    Column("email", "邮箱", ("电子邮箱", "电子邮件", "email", "e-mail"), max_length=_max("email"),
           example="wangjianguo@example.com"),
    Column("bio", "简介", ("个人简介", "简历", "个人简历"), max_length=TEXT_MAX,
           example="长期从事精馏装置节能改造，主持完成多项技术攻关。"),
    Column("achievements", "主要成果", ("成果", "主要业绩", "先进事迹", "主要事迹"), max_length=TEXT_MAX,
           example="主持的精馏塔热集成改造年节约蒸汽 3 万吨。"),
)

# Model fields a row sets directly (the others — skills, honours, tags, studio — are read and compared apart).
SCALAR_FIELDS = ("name", "gender", "birth_year", "role", "employer", "position", "professional_title", "province",
                 "city", "industry", "capacity", "accepting_pairings", "accepts_remote", "phone", "email", "bio",
                 "achievements")

HONOUR_ALIASES = {
    "全国劳模": Honour.NATIONAL_MODEL_WORKER,
    "五一劳动奖章": Honour.NATIONAL_MAY_DAY_MEDAL,
    "省劳模": Honour.PROVINCIAL_MODEL_WORKER,
    "省级劳模": Honour.PROVINCIAL_MODEL_WORKER,
    "省部级劳模": Honour.PROVINCIAL_MODEL_WORKER,
    "省级劳动模范": Honour.PROVINCIAL_MODEL_WORKER,
    "省工匠": Honour.PROVINCIAL_CRAFTSMAN,
}
_HONOUR_YEAR = re.compile(r"^(?:(?P<before>(?:19|20)\d\d)年?)?(?P<name>.+?)(?:[（(](?P<after>(?:19|20)\d\d)年?[）)])?$")
_HONOUR_SUFFIXES = ("获得者", "称号")


class SkillWords:
    """The taxonomy's words — each skill's name, synonyms and code — and the skills they name, read once per
    import. A word several skills share (干气密封: compressors and pumps-seals) names each of them."""

    def __init__(self):
        self.ids = defaultdict(set)
        for pk, code, name, synonyms in Skill.objects.values_list("id", "code", "name", "synonyms"):
            for word in (code, name, *(s for s in synonyms or () if isinstance(s, str))):
                self.ids[lookup_key(word)].add(pk)

    def resolve(self, kind, row: Row, *, kept_as: str, key: str = "skills") -> None:
        """Put the skills the words of `row.values[key]` name into `row.values["skill_ids"]`, the unknown words
        into `row.values["unknown_skills"]` (kept as `kept_as`, with a warning: reported, never dropped)."""
        ids, unknown = set(), []
        for word in row.values[key]:
            found = self.ids.get(lookup_key(word))
            if found:
                ids |= found
            else:
                unknown.append(word)
        row.values["skill_ids"] = frozenset(ids)
        row.values["unknown_skills"] = unknown
        if unknown:
            kind.warn(row, key, _("技能分类中没有：%(skills)s。已作为%(kept)s保存；可在技能分类中补充同义词后重新导入。")
                      % {"skills": "、".join(unknown), "kept": kept_as})
        for word in unknown:
            if len(word) > TAG_MAX:
                kind.error(row, key, _("“%(word)s…”过长：每项最多 %(max)s 个字符。") % {"word": word[:10], "max": TAG_MAX})


class ExpertRoster(ModelRoster):
    name = "experts"
    label = gettext_lazy("劳模工匠")
    columns = COLUMNS
    model = Expert
    fields = (*SCALAR_FIELDS, "studio_id", "skill_tags")
    links = {"skills": "skill_ids"}
    column_of = {"studio_id": "studio"}
    natural_key = gettext_lazy("手机号；没有手机号（或库中没有该手机号）时为姓名 + 工作单位")

    # --- reading cells -------------------------------------------------------------------------------------

    @cached_property
    def genders(self):
        return Choices(Expert.Gender.choices, what=gettext_lazy("性别"))

    @cached_property
    def roles(self):
        return Choices(Expert.Role.choices, what=gettext_lazy("类型"), aliases={
            "劳模工匠": Expert.Role.BOTH, "劳模和工匠": Expert.Role.BOTH, "劳模/工匠": Expert.Role.BOTH,
            "劳动模范": Expert.Role.MODEL_WORKER})

    @cached_property
    def honour_names(self):
        return Choices(Honour.choices, what=gettext_lazy("荣誉称号"), aliases=HONOUR_ALIASES)

    def read_gender(self, text):
        return self.genders(text)

    def read_birth_year(self, text):
        return read_year(text)

    def read_role(self, text):
        return self.roles(text)

    def read_honours(self, text):
        return [self.read_honour(item) for item in split_list(text)]

    def read_honour(self, text: str) -> tuple[str, int | None]:
        """(honour code, year) of one item of the 荣誉称号 cell: 全国劳动模范（2015）, 2015年大国工匠,
        四川省劳动模范 (a province's model worker), 全国五一劳动奖章获得者."""
        match = _HONOUR_YEAR.match(text.strip())
        name = match.group("name").strip()
        for suffix in _HONOUR_SUFFIXES:
            name = name.removesuffix(suffix)
        year = match.group("before") or match.group("after")
        year = int(year) if year else None
        for value, label in self.provinces.labels:
            if name.startswith(label) and name != label:
                rest = re.sub(r"^(省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|特别行政区)", "", name[len(label):])
                if rest == "劳动模范":
                    return Honour.PROVINCIAL_MODEL_WORKER.value, year
                if rest == "五一劳动奖章":
                    return Honour.PROVINCIAL_MAY_DAY_MEDAL.value, year
        return self.honour_names(name), year

    def read_skills(self, text):
        return split_list(text)

    def read_skill_tags(self, text):
        tags = split_list(text)
        for tag in tags:
            if len(tag) > TAG_MAX:
                raise CellError(_("“%(word)s…”过长：每项最多 %(max)s 个字符。") % {"word": tag[:10], "max": TAG_MAX})
        return tags

    def read_capacity(self, text):
        return read_int(text, low=0, high=20)

    def read_accepting_pairings(self, text):
        return read_bool(text)

    def read_accepts_remote(self, text):
        return read_bool(text)

    def read_phone(self, text):
        return read_mobile(text)

    def read_email(self, text):
        try:
            validate_email(text)
        except ValidationError:
            raise CellError(_("“%(text)s”不是有效的邮箱地址。") % {"text": text}) from None
        return text

    # --- rules of a row ------------------------------------------------------------------------------------

    def prepare(self, rows: list[Row]) -> None:
        self.skill_words = SkillWords()
        self.studio_ids = {lookup_key(name): pk for pk, name in Studio.objects.values_list("id", "name")}
        by_phone, by_name = defaultdict(list), defaultdict(list)
        for pk, phone, name, employer in Expert.objects.values_list("id", "phone", "name", "employer"):
            digits = phone_key(phone)
            if digits:
                by_phone[digits].append(pk)
            by_name[(lookup_key(name), lookup_key(employer))].append(pk)
        self.candidates = {}
        for row in rows:
            phone = row.values.get("phone")
            found = by_phone.get(phone, []) if phone else []
            if not found:
                found = by_name.get((lookup_key(row.cells.get("name", "")), lookup_key(row.cells.get("employer", ""))), [])
            self.candidates[row.number] = found
        self.stored = self.load({pk for found in self.candidates.values() if len(found) == 1 for pk in found})
        self.honours = defaultdict(dict)  # expert id → {honour: year}
        for expert_id, honour, year in ExpertHonour.objects.filter(expert_id__in=list(self.stored)).values_list(
                "expert_id", "honour", "year"):
            self.honours[expert_id][honour] = year

    def check(self, row: Row) -> None:
        values = row.values
        if "skills" in values:
            self.skill_words.resolve(self, row, kept_as=_("自填技能"))
        if "studio" in values:
            values["studio_id"] = self.studio_ids.get(lookup_key(values["studio"]))
            if values["studio_id"] is None:
                self.error(row, "studio", _("没有名为“%(name)s”的工作室：请先导入工作室，或核对名称。")
                           % {"name": values["studio"]})
        honours = values.get("honours")
        if honours:
            codes = [code for code, _year in honours]
            if len(set(codes)) != len(codes):
                self.error(row, "honours", _("同一荣誉写了两次。"))

    def file_key(self, row: Row):
        phone = row.values.get("phone")
        if phone:
            return ("phone", phone)
        return ("name", lookup_key(row.values.get("name", "")), lookup_key(row.values.get("employer", "")))

    def check_rows(self, rows: list[Row]) -> None:
        # A row without a phone and a row with one, for the same name and employer: the same person, twice.
        with_phone = {}
        for row in rows:
            if row.result.ok and row.values.get("phone"):
                key = ("name", lookup_key(row.values["name"]), lookup_key(row.values["employer"]))
                with_phone.setdefault(key, row)
        for row in rows:
            if row.result.ok and not row.values.get("phone"):
                other = with_phone.get(self.file_key(row))
                if other is not None:
                    self.error(row, None, _("与第 %(row)s 行姓名、工作单位相同：是同一人请合并为一行，不是同一人请填写手机号。")
                               % {"row": other.number})

    def describe(self, row: Row) -> tuple[str, str]:
        name = row.values.get("name") or row.cells.get("name", "")
        phone = row.values.get("phone")
        if phone:
            return _("手机 %(phone)s") % {"phone": phone}, name
        return f"{name} · {row.values.get('employer') or row.cells.get('employer', '')}", name

    def match(self, row: Row):
        found = self.candidates.get(row.number, [])
        if len(found) > 1:
            self.error(row, None, _("库中有 %(n)s 位专家与本行对应（手机号或姓名 + 工作单位相同），无法确定更新哪一位："
                                    "请填写手机号或在后台合并。") % {"n": len(found)})
            return None
        return self.stored[found[0]] if found else None

    # --- comparing and writing -----------------------------------------------------------------------------

    def new_values(self, row: Row, stored) -> dict:
        values = super().new_values(row, stored)
        # A skill the taxonomy does not know is kept with the self-filled ones.
        tags = list(values.get("skill_tags") or [])
        tags += [tag for tag in row.values.get("unknown_skills", ()) if tag not in tags]
        values["skill_tags"] = tags
        return values

    def same(self, name, stored, wanted) -> bool:
        if name == "phone":  # 138-0013-8000 stored is the same number as 13800138000
            return phone_key(stored) == wanted
        return stored == wanted

    def changes(self, row: Row) -> list[str]:
        changed = super().changes(row)
        if "honours" in row.values and self._honours(row) != self.honours[row.existing.pk]:
            changed.append("honours")
        return changed

    def _honours(self, row: Row) -> dict:
        """The honours a row asks for ({code: year}); a year left out keeps the stored one."""
        stored = self.honours[row.existing.pk] if row.existing is not None else {}
        return {code: year if year is not None else stored.get(code) for code, year in row.values["honours"]}

    def write(self, creates: list[Row], updates: list[Row], progress) -> None:
        super().write(creates, updates, progress)
        replaced = [row.existing.pk for row in updates if "honours" in row.changed]
        for start in range(0, len(replaced), self.batch_size):
            ExpertHonour.objects.filter(expert_id__in=replaced[start:start + self.batch_size]).delete()
        ExpertHonour.objects.bulk_create(
            [ExpertHonour(expert_id=row.result.target_id, honour=code, year=year)
             for row in creates for code, year in row.values.get("honours", ())]
            + [ExpertHonour(expert_id=row.existing.pk, honour=code, year=year)
               for row in updates if "honours" in row.changed for code, year in self._honours(row).items()],
            batch_size=2000,
        )

    def written(self, creates: list[Row], updates: list[Row]) -> None:
        # bulk writes send no model signals: the index and matching are told here, once, after the commit.
        ids = [row.result.target_id for row in creates] + [row.existing.pk for row in updates]
        queue_update("expert", ids)
        renamed = [row.existing.pk for row in updates if "name" in row.changed]
        if renamed:  # a studio's document carries its lead's name
            queue_update("studio", Studio.objects.filter(lead_id__in=renamed).values_list("pk", flat=True))
        studios = {row.values.get("studio_id") for row in creates}
        studios |= {s for row in updates if "studio" in row.changed
                    for s in (row.existing.fields["studio_id"], row.values["studio_id"])}
        # A studio's document holds its members' text: the studios of every member written, and those left.
        queue_update("studio", studios | {row.existing.fields["studio_id"] for row in updates})
        profiles_changed.send(sender=Expert, expert_ids=ids, studio_ids=sorted(s for s in studios if s))

    # --- exporting -------------------------------------------------------------------------------------------

    @cached_property
    def export_labels(self) -> dict:
        return {"gender": dict(self.genders.labels), "role": dict(self.roles.labels),
                "province": dict(self.provinces.labels), "industry": dict(self.industries.labels),
                "honour": dict(self.honour_names.labels)}

    def export_row(self, expert: Expert, *, contact: bool) -> dict[str, str]:
        """One expert as a roster row — Chinese labels, lists joined with 、 — which imports back as unchanged.
        The private columns (phone, email, birth year) only when `contact` (the caller may see them).
        Reads `expert.honours`, `expert.skills` and `expert.studio`: prefetch them."""
        labels = self.export_labels
        honours = [(labels["honour"].get(h.honour, h.honour), h.year) for h in expert.honours.all()]
        row = {
            "name": expert.name, "gender": labels["gender"].get(expert.gender, ""),
            "role": labels["role"].get(expert.role, ""), "employer": expert.employer, "position": expert.position,
            "professional_title": expert.professional_title,
            "province": labels["province"].get(expert.province, expert.province), "city": expert.city,
            "industry": labels["industry"].get(expert.industry, ""),
            "honours": "、".join(f"{label}（{year}）" if year else label for label, year in sorted(honours)),
            "skills": "、".join(sorted(s.name for s in expert.skills.all())),
            "skill_tags": "、".join(expert.skill_tags or ()),
            "studio": expert.studio.name if expert.studio_id else "",
            "capacity": str(expert.capacity), "accepting_pairings": "是" if expert.accepting_pairings else "否",
            "accepts_remote": "是" if expert.accepts_remote else "否",
            "bio": expert.bio, "achievements": expert.achievements,
        }
        if contact:
            row.update(phone=expert.phone, email=expert.email,
                       birth_year=str(expert.birth_year) if expert.birth_year else "")
        return row


roster = ExpertRoster()  # for what needs no import state (the template); each import makes its own
