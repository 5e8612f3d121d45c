"""GraphQL enums built from the Django choices, so outputs, inputs and filters share one type. (An enum with no
choices behind it — SearchType, MatchKind, PairingAction, ReviewDecision — is `graphene.Enum(name, members)`.)

Enum names are the choice names (SICHUAN, GREEN); each value's description is its zh-hans label. Each enum is
registered under its choices' values, so a FilterSet's ChoiceFilter of those choices is that enum in GraphQL
(`enum_for_choices`, used by jianglian.graphql.filters).
"""
import graphene

from jianglian.choices import Category, Honour, Industry, Province


# the values of a choices class → its GraphQL enum (None when two enums share the same values)
_BY_VALUES: dict[tuple, type[graphene.Enum] | None] = {}


def enum_from_choices(choices, name, doc=""):
    def describe(value):
        if value is None:
            return doc or None
        return str(value.label)

    enum = graphene.Enum.from_enum(choices, name=name, description=describe)
    key = tuple(choices.values)
    _BY_VALUES[key] = enum if _BY_VALUES.get(key, enum) is enum else None
    return enum


def enum_for_choices(choices) -> type[graphene.Enum] | None:
    """The enum `enum_from_choices` made for these choices ((value, label) pairs), if exactly one."""
    return _BY_VALUES.get(tuple(value for value, _label in choices))


ProvinceEnum = enum_from_choices(Province, "Province", "省份 / province")
CategoryEnum = enum_from_choices(Category, "Category", "类别：科技创新 / 管理创新 / 绿色发展")
HonourEnum = enum_from_choices(Honour, "Honour", "荣誉 / honour")
IndustryEnum = enum_from_choices(Industry, "Industry", "行业 / industry")
