import re
from datetime import date

import pytest

from cloudsword.errors import ConfigError
from cloudsword.i18n import STRINGS, error_text, format_date, format_money, format_number, t


def test_every_string_exists_in_both_languages():
    for key, entry in STRINGS.items():
        assert set(entry) == {"zh", "en"}, key
        assert entry["zh"].strip() and entry["en"].strip(), key
        # the same placeholders in both languages
        assert set(re.findall(r"{(\w+)}", entry["zh"])) == set(re.findall(r"{(\w+)}", entry["en"])), key


def test_chinese_strings_are_chinese():
    """Every Chinese string holds Chinese words; a template of placeholders and punctuation only
    (a name with its id in full-width brackets) must use Chinese punctuation, not the English."""
    han = re.compile(r"[\u4e00-\u9fff]")

    def chinese(key: str, zh: str, en: str) -> bool:
        words = re.sub(r"{\w+}", "", zh)
        if not re.search(r"[^\W\d_]", re.sub(r"{\w+}", "", en)):  # the English has no words either
            return zh != en and not re.search(r"[A-Za-z]", words)
        return bool(han.search(words))

    wrong = [k for k, e in STRINGS.items() if not k.startswith("filters.language") and not chinese(k, **e)]
    assert not wrong, wrong


@pytest.mark.parametrize(
    ("value", "zh", "en"),
    [
        (880, "880", "880"),
        (1180, "1180", "1,180"),
        (12345, "1.2万", "12,345"),
        (3.1e9, "31亿", "3.1 bn"),
        (3.05e9, "30.5亿", "3.05 bn"),
        (2.5e6, "250万", "2.5 m"),
        (None, "—", "—"),
    ],
)
def test_numbers_are_formatted_for_the_language(value, zh, en):
    assert format_number(value, "zh") == zh
    assert format_number(value, "en") == en


def test_money_and_dates():
    assert format_money(3.1e9, "zh") == "31亿元"
    assert format_money(3.1e9, "en") == "¥3.1 bn"
    assert format_date(date(2017, 8, 1), "zh") == "2017年8月1日"
    assert format_date(date(2017, 8, 1), "en") == "1 Aug 2017"


def test_errors_are_said_in_the_users_language():
    err = ConfigError(
        "error.unknown_province", file="alliance.toml", name="Zhejang", suggestions=["Zhejiang"]
    )
    assert "alliance.toml" in error_text(err, "en") and "Zhejang" in error_text(err, "en")
    assert "未知省份" in error_text(err, "zh")
    assert "unexpected" in error_text(RuntimeError("boom"), "en")


def test_t_fills_parameters():
    assert "2017" in t("asof", "en", date="1 Aug 2017")
