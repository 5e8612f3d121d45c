"""统一社会信用代码 is checked with its GB 32100-2015 check character."""
import pytest
from django.core.exceptions import ValidationError

from enterprises.validators import credit_code_check_character, validate_credit_code

# Published codes of real companies (from their business licences).
REAL_CODES = ["91350100M000100Y43", "911100001000080343"]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_pass(code):
    validate_credit_code(code)


def test_lower_case_and_spaces_are_normalised():
    validate_credit_code(" 91350100m000100y43 ")


@pytest.mark.parametrize(
    "code, error",
    [
        ("91350100M000100Y44", "credit_code_check"),  # wrong check character
        ("91350100M000100Y4", "credit_code_length"),
        ("91350100M000100Y431", "credit_code_length"),
        ("91350100M0001O0Y43", "credit_code_characters"),  # letter O is not allowed
        ("91ABCDEFM000100Y43", "credit_code_division"),
    ],
)
def test_bad_codes_fail_with_a_reason(code, error):
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code(code)
    assert excinfo.value.code == error


def test_check_character_is_computed_from_the_first_17():
    assert credit_code_check_character("91350100M000100Y4") == "3"
    assert credit_code_check_character("91110000100008034") == "3"


def test_a_weighted_sum_divisible_by_31_gives_check_character_zero():
    first17 = next(f"9151010000000{n:04d}" for n in range(10000)
                   if credit_code_check_character(f"9151010000000{n:04d}") == "0")
    validate_credit_code(first17 + "0")
