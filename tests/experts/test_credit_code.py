import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from kexie.platform.lib.validators import (
    CREDIT_CODE_ALPHABET,
    credit_code_check_char,
    normalize_credit_code,
    validate_credit_code,
)


def test_example_code_of_the_standard_is_valid():
    # The worked example printed in GB 32100-2015.
    validate_credit_code("91350100M000100Y43")


def test_code_with_wrong_check_character_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_credit_code("91350100M000100Y44")
    assert error.value.messages == ["统一社会信用代码的校验位不正确，请核对后重新填写。"]


@pytest.mark.parametrize(
    "code",
    ["9135010OM000100Y43", "91350100M000100Y4", "91350100M000100Y433", "91ABCDEFM000100Y43", ""],
)
def test_code_of_wrong_shape_is_refused(code):
    with pytest.raises(ValidationError) as error:
        validate_credit_code(code)
    assert error.value.messages == [
        "统一社会信用代码应为18位，由数字和大写字母组成（不含I、O、S、V、Z）。"
    ]


def test_lower_case_and_spaces_are_normalised():
    assert normalize_credit_code(" 91350100m000100y43 ") == "91350100M000100Y43"


letters = st.sampled_from(CREDIT_CODE_ALPHABET)


@given(
    head=st.text(alphabet=CREDIT_CODE_ALPHABET, min_size=2, max_size=2),
    area=st.text(alphabet="0123456789", min_size=6, max_size=6),
    org=st.text(alphabet=CREDIT_CODE_ALPHABET, min_size=9, max_size=9),
    other=letters,
)
def test_every_single_character_change_of_the_check_character_is_caught(head, area, org, other):
    body = head + area + org
    good = credit_code_check_char(body)
    validate_credit_code(body + good)
    if other != good:
        with pytest.raises(ValidationError):
            validate_credit_code(body + other)
