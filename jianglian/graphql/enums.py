"""GraphQL enums built from the Django choices, so outputs, inputs and filters share one type.

Enum names are the choice names (SICHUAN, GREEN); each value's description is its zh-hans label.
"""
import graphene

from jianglian.choices import Category, Honour, Industry, Province


def enum_from_choices(choices, name, doc=""):
    def describe(value):
        if value is None:
            return doc or None
        return str(value.label)

    return graphene.Enum.from_enum(choices, name=name, description=describe)


ProvinceEnum = enum_from_choices(Province, "Province", "省份 / province")
CategoryEnum = enum_from_choices(Category, "Category", "类别：科技创新 / 管理创新 / 绿色发展")
HonourEnum = enum_from_choices(Honour, "Honour", "荣誉 / honour")
IndustryEnum = enum_from_choices(Industry, "Industry", "行业 / industry")
