"""English is available: labels, choices and service messages have English translations (locale/en)."""
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from enterprises.models import Challenge, Enterprise
from jianglian.choices import Category, Honour, Province
from jianglian.errors import NotAllowed

PO_FILE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_choice_labels_are_english_under_english_and_chinese_by_default():
    with translation.override("en"):
        assert Category.TECHNOLOGY.label == "Technology innovation"
        assert str(Category.GREEN.label) == "Green development"
        assert str(Honour.GREAT_CRAFTSMAN.label) == "Great Craftsman of China"
        assert str(Province.SICHUAN.label) == "Sichuan"
        assert str(Challenge.Status.OPEN.label) == "Open"
    with translation.override("zh-hans"):
        assert Category.TECHNOLOGY.label == "科技创新"


def test_model_and_field_names_are_english_under_english():
    with translation.override("en"):
        assert str(Challenge._meta.verbose_name) == "Challenge"
        assert str(Enterprise._meta.get_field("credit_code").verbose_name) == "Unified social credit code"


@pytest.mark.django_db
def test_service_messages_follow_the_active_language():
    from enterprises.services import enterprise_verify
    from tests import factories

    user, enterprise = factories.make_enterprise_user(verified=False)
    with translation.override("en"), pytest.raises(NotAllowed) as refused:
        enterprise_verify(user=user, enterprise=enterprise)
    assert str(refused.value) == "Only the secretariat can verify enterprises."


def test_every_entry_of_the_english_catalog_is_translated_and_compiled():
    text = PO_FILE.read_text(encoding="utf-8")
    entries = [e for e in text.split("\n\n")[1:] if "msgid" in e and "#~" not in e]
    untranslated = [e for e in entries if re.search(r'^msgstr(\[\d\])? ""\Z', e.strip(), re.M) and
                    not re.search(r'^msgstr(\[\d\])? ""\n"', e, re.M)]
    fuzzy = [e for e in entries if "#, fuzzy" in e]
    assert untranslated == [] and fuzzy == []
    assert PO_FILE.with_suffix(".mo").stat().st_size > 0
