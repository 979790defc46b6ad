"""What a published text keeps of a person: the letter's own fields masked wherever they
appear (the end of the address on its own too), and any mobile number, identity card number
or e-mail address masked whoever it belongs to."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from egov.interaction.models import Letter
from egov.interaction.publication import mask_text

LETTER = Letter(
    writer_name="李四光",
    phone="13912345678",
    email="lisiguang@example.com",
    address="重庆市永川区中山路街道红旗路88号",
)


def test_the_letters_fields_are_masked_wherever_they_appear():
    text = (
        "李四光，住重庆市永川区中山路街道红旗路88号（红旗路88号三楼），"
        "电话13912345678，邮箱lisiguang@example.com。"
    )
    masked = mask_text(text, LETTER)
    for value in ("李四光", "红旗路88号", "13912345678", "lisiguang"):
        assert value not in masked
    assert masked.startswith("李**，住重庆市永川区") and "139****5678" in masked


def test_other_numbers_and_addresses_of_anyone_are_masked():
    text = "邻居王某电话139-8765-4321，身份证500118199001011234，邮箱wang@example.cn。"
    masked = mask_text(text, LETTER)
    for value in ("8765", "199001011", "wang@"):
        assert value not in masked
    assert "500118********1234" in masked


def test_a_government_hotline_stays_readable():
    assert mask_text("请拨打12345或023-49800000。", LETTER) == "请拨打12345或023-49800000。"


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True), st.text(alphabet="的了是在", max_size=5))
def test_every_mobile_number_is_masked(number, around):
    masked = mask_text(f"{around}{number}{around}", LETTER)
    assert number not in masked and number[-4:] in masked
