"""Enterprises as a roster: columns, the rules of a row, matching and writing.

Natural key: the 统一社会信用代码 (its check digit validated). Imported enterprises have no staff account and are
not verified: staff register and the secretariat verifies them as always. A renamed or moved enterprise's
public challenges are re-indexed after the commit (their documents carry its name and region).
"""
from __future__ import annotations

from functools import cached_property

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from jianglian.choices import Industry, Province
from jianglian.rosters.columns import CellError, Choices, Column
from jianglian.rosters.importer import ModelRoster, Row
from search.sync import queue_update

from .models import Challenge, Enterprise
from .validators import normalize_credit_code, validate_credit_code

TEXT_MAX = 5000


def _max(name: str) -> int:
    return Enterprise._meta.get_field(name).max_length


def _labels(choices):
    return lambda: [str(label) for _, label in choices]


COLUMNS = (
    Column("name", "企业名称", ("名称", "单位名称", "企业", "公司名称", "企业全称"), required=True,
           max_length=_max("name"), proper_name=True, example="四川某精细化工有限公司"),
    Column("credit_code", "统一社会信用代码", ("信用代码", "社会信用代码", "统一代码", "组织机构代码"), required=True,
           example="915101007092817259", note=gettext_lazy("18 位，校验位须正确；同一代码视为同一企业")),
    Column("province", "省份", ("省", "所在省份", "所在省"), required=True, choices=_labels(Province.choices),
           example="四川"),
    Column("city", "城市", ("市", "所在城市", "地市"), required=True, max_length=_max("city"), example="成都"),
    Column("industry", "行业", ("所属行业",), choices=_labels(Industry.choices), example="化工"),
    Column("size", "规模", ("企业规模",), choices=_labels(Enterprise.Size.choices), example="中型"),
    Column("description", "简介", ("企业简介", "基本情况"), max_length=TEXT_MAX, example="主要生产医药中间体。"),
)


class EnterpriseRoster(ModelRoster):
    name = "enterprises"
    label = gettext_lazy("企业")
    columns = COLUMNS
    natural_key = gettext_lazy("统一社会信用代码")
    model = Enterprise
    fields = ("name", "credit_code", "province", "city", "industry", "size", "description")

    @cached_property
    def sizes(self):
        return Choices(Enterprise.Size.choices, what=gettext_lazy("规模"), aliases={
            "微型企业": "micro", "小型企业": "small", "中型企业": "medium", "大型企业": "large",
            "小微": "small", "小微企业": "small"})

    def read_credit_code(self, text):
        code = normalize_credit_code(text)
        try:
            validate_credit_code(code)
        except ValidationError as error:
            raise CellError(" ".join(error.messages)) from None
        return code

    def read_size(self, text):
        return self.sizes(text)

    def prepare(self, rows: list[Row]) -> None:
        codes = [row.values["credit_code"] for row in rows if "credit_code" in row.values]
        self.by_code = {}
        for start in range(0, len(codes), 2000):
            self.by_code.update(Enterprise.objects.filter(credit_code__in=codes[start:start + 2000])
                                .values_list("credit_code", "pk"))
        self.stored = self.load(self.by_code.values())

    def file_key(self, row: Row):
        return row.values.get("credit_code")

    def describe(self, row: Row) -> tuple[str, str]:
        return (row.values.get("credit_code") or row.cells.get("credit_code", ""),
                row.values.get("name") or row.cells.get("name", ""))

    def match(self, row: Row):
        pk = self.by_code.get(row.values["credit_code"])
        return self.stored[pk] if pk is not None else None

    def written(self, creates: list[Row], updates: list[Row]) -> None:
        # bulk writes send no model signals: the challenges whose documents show the enterprise are re-indexed.
        moved = [row.existing.pk for row in updates if {"name", "province", "city"} & set(row.changed)]
        if moved:
            queue_update("challenge", Challenge.objects.filter(enterprise_id__in=moved).values_list("pk", flat=True))


roster = EnterpriseRoster()  # for what needs no import state (the template); each import makes its own
