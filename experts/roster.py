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
from dataclasses import dataclass, field
from functools import cached_property

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance.models import Studio
from jianglian.choices import Honour, Industry, Province
from jianglian.rosters.columns import CellError, Choices, Column, lookup_key, phone_key, read_bool, read_int
from jianglian.rosters.columns import read_mobile, read_year, split_list
from jianglian.rosters.importer import RosterKind, Row
from jianglian.rosters.report import Issue
from search.sync import queue_update

from .models import Expert, ExpertHonour, Skill
from .signals import profiles_changed

TEXT_MAX = 5000  # 简介 and 主要成果: a roster cell, not a book
TAG_MAX = 32
BATCH = 500


def _max(name: str) -> int:
    return Expert._meta.get_field(name).max_length


def _labels(choices):
    return lambda: [str(label) for _, label in choices]


YES_NO = lambda: [_("是"), _("否")]  # noqa: E731

COLUMNS = (
    Column("name", "姓名", ("名字", "专家姓名", "劳模姓名", "工匠姓名", "劳模工匠姓名", "name"), required=True,
           max_length=_max("name"), example="王建国"),
    Column("gender", "性别", ("gender",), choices=_labels(Expert.Gender.choices), example="男"),
    Column("birth_year", "出生年份", ("出生年月", "出生日期", "出生年"), example="1972"),
    Column("role", "类型", ("人员类型", "人才类型", "劳模工匠类型"), choices=_labels(Expert.Role.choices),
           example="劳模、工匠"),
    Column("employer", "工作单位", ("单位", "所在单位", "工作单位全称", "单位名称", "所在企业", "employer"),
           required=True, max_length=_max("employer"), example="四川天华化工集团有限公司"),
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


@dataclass
class StoredExpert:
    """An expert as stored, in the shape a row is compared with."""

    pk: int
    fields: dict
    skills: frozenset = frozenset()
    honours: dict = field(default_factory=dict)  # code → year
    studio_id: int | None = None
    skill_tags: list = field(default_factory=list)


class ExpertRoster(RosterKind):
    name = "experts"
    label = gettext_lazy("劳模工匠")
    columns = COLUMNS
    natural_key = gettext_lazy("手机号；没有手机号（或库中没有该手机号）时为姓名 + 工作单位")

    @property
    def example(self):
        return {c.key: c.example for c in self.columns}

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
    def provinces(self):
        return Choices(Province.choices, what=gettext_lazy("省份"), prefix=True)

    @cached_property
    def industries(self):
        return Choices(Industry.choices, what=gettext_lazy("行业"))

    @cached_property
    def honour_names(self):
        return Choices(Honour.choices, what=gettext_lazy("荣誉称号"), aliases=HONOUR_ALIASES)

    def read_gender(self, text):
        return self.genders(text)

    def read_birth_year(self, text):
        return read_year(text)

    def read_role(self, text):
        return self.roles(text)

    def read_province(self, text):
        return self.provinces(text)

    def read_industry(self, text):
        return self.industries(text)

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
                raise CellError(_("技能“%(tag)s…”过长：每项最多 %(max)s 个字符。") % {"tag": tag[:10], "max": TAG_MAX})
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
        self.skill_ids = defaultdict(set)
        for pk, code, name, synonyms in Skill.objects.values_list("id", "code", "name", "synonyms"):
            for word in (code, name, *(s for s in synonyms or () if isinstance(s, str))):
                self.skill_ids[lookup_key(word)].add(pk)
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
        self.stored = self._load({pk for found in self.candidates.values() if len(found) == 1 for pk in found})

    @staticmethod
    def _load(ids) -> dict[int, StoredExpert]:
        ids = sorted(ids)
        stored = {}
        for start in range(0, len(ids), 2000):
            chunk = ids[start:start + 2000]
            for values in Expert.objects.filter(pk__in=chunk).values("id", "studio_id", "skill_tags", *SCALAR_FIELDS):
                pk = values.pop("id")
                stored[pk] = StoredExpert(pk=pk, studio_id=values.pop("studio_id"), skill_tags=values.pop("skill_tags"),
                                          fields=values)
            skills = defaultdict(set)
            for expert_id, skill_id in Expert.skills.through.objects.filter(expert_id__in=chunk).values_list(
                    "expert_id", "skill_id"):
                skills[expert_id].add(skill_id)
            for expert_id, honour, year in ExpertHonour.objects.filter(expert_id__in=chunk).values_list(
                    "expert_id", "honour", "year"):
                stored[expert_id].honours[honour] = year
            for pk, skill_set in skills.items():
                stored[pk].skills = frozenset(skill_set)
        return stored

    def check(self, row: Row) -> None:
        values, result = row.values, row.result
        if "skills" in values:
            ids, unknown = set(), []
            for word in values["skills"]:
                found = self.skill_ids.get(lookup_key(word))
                if found:
                    ids |= found
                else:
                    unknown.append(word)
            values["skill_ids"] = frozenset(ids)
            values["unknown_skills"] = unknown
            if unknown:
                result.warnings.append(Issue(
                    _("技能分类中没有：%(skills)s。已作为自填技能保存；可在技能分类中补充同义词后重新导入。")
                    % {"skills": "、".join(unknown)}, row.number, "skills", self._title("skills")))
            for tag in unknown:
                if len(tag) > TAG_MAX:
                    result.errors.append(Issue(_("技能“%(tag)s…”过长：每项最多 %(max)s 个字符。")
                                               % {"tag": tag[:10], "max": TAG_MAX}, row.number, "skills",
                                               self._title("skills")))
        if "studio" in values:
            studio_id = self.studio_ids.get(lookup_key(values["studio"]))
            if studio_id is None:
                result.errors.append(Issue(_("没有名为“%(name)s”的工作室：请先导入工作室，或核对名称。")
                                           % {"name": values["studio"]}, row.number, "studio", self._title("studio")))
            values["studio_id"] = studio_id
        honours = values.get("honours")
        if honours:
            codes = [code for code, _year in honours]
            if len(set(codes)) != len(codes):
                result.errors.append(Issue(_("同一荣誉写了两次。"), row.number, "honours", self._title("honours")))

    def _title(self, key):
        return next(c.header for c in self.columns if c.key == key)

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
                    row.result.errors.append(Issue(
                        _("与第 %(row)s 行姓名、工作单位相同：是同一人请合并为一行，不是同一人请填写手机号。")
                        % {"row": other.number}, row.number))

    def describe(self, row: Row) -> tuple[str, str]:
        name = row.values.get("name") or row.cells.get("name", "")
        phone = row.values.get("phone")
        if phone:
            return _("手机 %(phone)s") % {"phone": phone}, name
        return f"{name} · {row.values.get('employer') or row.cells.get('employer', '')}", name

    def match(self, row: Row):
        found = self.candidates.get(row.number, [])
        if len(found) > 1:
            row.result.errors.append(Issue(
                _("库中有 %(n)s 位专家与本行对应（手机号或姓名 + 工作单位相同），无法确定更新哪一位：请填写手机号或在后台合并。")
                % {"n": len(found)}, row.number))
            return None
        return self.stored[found[0]] if found else None

    # --- comparing and writing -----------------------------------------------------------------------------

    def new_values(self, row: Row, stored: StoredExpert | None) -> dict:
        """What the row stores: the stored value where the row's cell is empty or its column absent."""
        values = row.values
        result = {}
        for name in SCALAR_FIELDS:
            if name in values:
                result[name] = values[name]
            elif stored is not None:
                result[name] = stored.fields[name]
        if "studio_id" in values:
            result["studio_id"] = values["studio_id"]
        tags = list(values["skill_tags"]) if "skill_tags" in values else list(stored.skill_tags if stored else [])
        for tag in values.get("unknown_skills", ()):
            if tag not in tags:
                tags.append(tag)
        result["skill_tags"] = tags
        return result

    def changes(self, row: Row) -> list[str]:
        stored: StoredExpert = row.existing
        values = row.values
        wanted = self.new_values(row, stored)
        changed = []
        for name in SCALAR_FIELDS:
            if name not in values:
                continue
            old = stored.fields[name]
            same = phone_key(old) == wanted[name] if name == "phone" else old == wanted[name]
            if not same:
                changed.append(name)
        if "skill_ids" in values and values["skill_ids"] != stored.skills:
            changed.append("skills")
        if wanted["skill_tags"] != list(stored.skill_tags):
            changed.append("skill_tags")
        if "honours" in values and self._honours(values["honours"], stored.honours) != stored.honours:
            changed.append("honours")
        if "studio_id" in values and values["studio_id"] != stored.studio_id:
            changed.append("studio")
        return changed

    @staticmethod
    def _honours(items, stored: dict) -> dict:
        """The honours a row asks for ({code: year}); a year left out keeps the stored one."""
        return {code: year if year is not None else stored.get(code) for code, year in items}

    def write(self, creates: list[Row], updates: list[Row], progress) -> None:
        now = timezone.now()
        created_ids, updated_ids, studio_ids = [], [], set()
        skill_links, honour_rows = [], []
        for start in range(0, len(creates), BATCH):
            batch = creates[start:start + BATCH]
            experts = [Expert(**self.new_values(row, None), created_at=now, updated_at=now) for row in batch]
            Expert.objects.bulk_create(experts)
            for row, expert in zip(batch, experts):
                row.result.target_id = expert.pk
                created_ids.append(expert.pk)
                if expert.studio_id:
                    studio_ids.add(expert.studio_id)
                skill_links += [(expert.pk, s) for s in row.values.get("skill_ids", ())]
                honour_rows += [ExpertHonour(expert_id=expert.pk, honour=code, year=year)
                                for code, year in row.values.get("honours", ())]
            progress(len(batch))
        replaced_skills, replaced_honours, renamed = [], [], []
        by_fields = defaultdict(list)
        for row in updates:
            stored: StoredExpert = row.existing
            wanted = self.new_values(row, stored)
            changed = set(row.changed)
            updated_ids.append(stored.pk)
            fields = sorted(changed & set(SCALAR_FIELDS) | ({"skill_tags"} & changed)
                            | ({"studio_id"} if "studio" in changed else set()))
            if fields:
                expert = Expert(pk=stored.pk, updated_at=now, **{f: wanted[f] for f in fields})
                by_fields[tuple(fields)].append(expert)
            if "studio" in changed:
                studio_ids.update(s for s in (stored.studio_id, wanted["studio_id"]) if s)
            if "name" in changed:
                renamed.append(stored.pk)
            if "skills" in changed:
                replaced_skills.append(stored.pk)
                skill_links += [(stored.pk, s) for s in row.values["skill_ids"]]
            if "honours" in changed:
                replaced_honours.append(stored.pk)
                honour_rows += [ExpertHonour(expert_id=stored.pk, honour=code, year=year) for code, year in
                                self._honours(row.values["honours"], stored.honours).items()]
        for fields, experts in by_fields.items():
            Expert.objects.bulk_update(experts, [*fields, "updated_at"], batch_size=BATCH)
        through = Expert.skills.through
        for start in range(0, len(replaced_skills), BATCH):
            through.objects.filter(expert_id__in=replaced_skills[start:start + BATCH]).delete()
        for start in range(0, len(replaced_honours), BATCH):
            ExpertHonour.objects.filter(expert_id__in=replaced_honours[start:start + BATCH]).delete()
        through.objects.bulk_create([through(expert_id=e, skill_id=s) for e, s in skill_links], batch_size=2000)
        ExpertHonour.objects.bulk_create(honour_rows, batch_size=2000)
        progress(len(updates))
        changed_ids = created_ids + updated_ids
        # bulk writes send no model signals: the index and matching are told here, once, after the commit.
        queue_update("expert", changed_ids)
        if renamed:  # a studio's document carries its lead's name
            queue_update("studio", Studio.objects.filter(lead_id__in=renamed).values_list("pk", flat=True))
        profiles_changed.send(sender=Expert, expert_ids=changed_ids, studio_ids=sorted(studio_ids))


roster = ExpertRoster()
