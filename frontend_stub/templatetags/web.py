"""Template helpers of the web pages: role tests, querystring edits, labels of choice codes."""
from django import template
from django.utils.translation import gettext_lazy as _

from jianglian import roles
from jianglian.choices import Category, Honour, Province

register = template.Library()

_PROVINCES = dict(Province.choices)
_HONOURS = dict(Honour.choices)
_CATEGORIES = dict(Category.choices)


@register.simple_tag(takes_context=True)
def user_roles(context):
    """{"secretariat": bool, "enterprise": bool, "expert": Expert|None} for the signed-in user."""
    user = context["request"].user
    return {
        "secretariat": roles.is_secretariat(user),
        "enterprise": bool(roles.enterprise_ids(user)),
        "expert": roles.expert_of(user),
    }


@register.simple_tag(takes_context=True)
def account_header(context):
    """What the header shows a signed-in user: their name as the platform knows them (the expert's name, the
    enterprise's name, else the account's full name or login) and their unread notifications."""
    from jianglian.inbox import unread_count

    user = context["request"].user
    if not user.is_authenticated:
        return {}
    return {"name": display_name(user), "unread": unread_count(user=user)}


def display_name(user) -> str:
    expert = roles.expert_of(user)
    if expert is not None:
        return expert.name
    if roles.enterprise_ids(user):
        enterprise = user.enterprises.order_by("pk").values_list("name", flat=True).first()
        if enterprise:
            return enterprise
    return user.get_full_name() or user.get_username()


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current querystring with `changes` applied (a value of "" removes the key); page is reset."""
    query = context["request"].GET.copy()
    query.pop("page", None)
    for key, value in changes.items():
        if value in ("", None):
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def page_url(context, number):
    query = context["request"].GET.copy()
    query["page"] = number
    return f"?{query.urlencode()}"


@register.filter
def province_label(code):
    return _PROVINCES.get(code, code)


@register.filter
def honour_label(code):
    return _HONOURS.get(code, code)


@register.filter
def category_label(code):
    return _CATEGORIES.get(code, code)


@register.filter
def percent(value):
    try:
        return f"{float(value) * 100:.0f}%"
    except (TypeError, ValueError):
        return ""


@register.filter
def get_item(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.simple_tag(takes_context=True)
def query_set(context, key, value):
    """The current querystring with `key` set to `value` ("" removes it); page is reset."""
    return query_with(context, **{key: value})


FACET_TITLES = {
    "membership": _("成员状态"), "province": _("省份"), "category": _("类别"), "honour": _("荣誉"), "skill": _("技能"),
}


@register.filter
def facet_title(name):
    return FACET_TITLES.get(name, name)


@register.filter
def conflict_explanation(reason):
    """A conflict of interest's reason (matching.conflicts.ConflictReason) in the page's language."""
    from django.utils.translation import get_language

    return reason.explanation("en" if (get_language() or "").startswith("en") else "zh-hans")


@register.filter
def yuan(value):
    """An amount of yuan with thousands separators, no decimals: 1200000 → 1,200,000."""
    if value in (None, ""):
        return ""
    return f"{value:,.0f}"
