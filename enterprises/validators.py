"""统一社会信用代码 (Unified Social Credit Code), GB 32100-2015."""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
CREDIT_CODE_WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1, 3, 9, 27, 19, 26, …


def credit_code_check_character(first17: str) -> str:
    total = sum(CREDIT_CODE_ALPHABET.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def normalize_credit_code(value: str) -> str:
    return (value or "").strip().upper()


def validate_credit_code(value: str) -> None:
    code = normalize_credit_code(value)
    if len(code) != 18:
        raise ValidationError(_("统一社会信用代码应为 18 位。"), code="credit_code_length")
    bad = sorted({c for c in code if c not in CREDIT_CODE_ALPHABET})
    if bad:
        raise ValidationError(
            _("统一社会信用代码含有不允许的字符：%(chars)s（不使用 I、O、S、V、Z）。"),
            code="credit_code_characters", params={"chars": "".join(bad)},
        )
    if not code[2:8].isdigit():
        raise ValidationError(_("统一社会信用代码第 3–8 位应为行政区划码（数字）。"), code="credit_code_division")
    if credit_code_check_character(code[:17]) != code[17]:
        raise ValidationError(_("统一社会信用代码校验位不正确。"), code="credit_code_check")
