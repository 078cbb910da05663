"""Value types shared by the record models, each refusing bad input with a catalogue code.

A type raises `PydanticCustomError(code, ..., params)`: `schema_problems.py` turns the code
and params straight into a Problem, so the clerk's message comes from the catalogue.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from generator.messages import hint, no_hint

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CLOCK_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
# An address as a mail program takes it: no `mailto:`, no full-width signs, a dot in the domain.
EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@(?:[^\W_][\w-]*\.)+(?:[^\W\d_]{2,}|xn--[a-z0-9-]+)$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
# Dates a record can mean: a year such as 9999 or 0202 is a typo, and date arithmetic on it
# (the day after a period, a pilot's end) would fail.
YEARS = range(1900, 2200)
# Counts of days and years (a notice's minimum days, a use right's years, a pilot's years).
COUNT_MIN, COUNT_MAX = 1, 1000


class Record(BaseModel):
    """Base of every record model: unknown keys are errors, values never change after loading."""

    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=False)


# The context key of the value a clerk plainly meant (2025-09-01 for 2025年9月1日, 500000 for
# 50万元): the problem is still an error, but the record is read with it, so that the rules run
# on it too and the clerk sees every mistake of the file at once (schema_problems.py).
MENDED = "mended"


def _fail(code: str, value: Any, **params: object) -> PydanticCustomError:
    return PydanticCustomError(
        code,
        code,
        {"value": show_value(value), **{k: v if k == MENDED else str(v) for k, v in params.items()}},
    )


def show_value(value: Any) -> str:
    """A value as a message quotes it: on one line, and short."""
    if value is None:
        return "（空）"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{…}"
    if isinstance(value, list):
        text = "[" + ", ".join(show_value(item) for item in value) + "]"
        return text if len(text) <= 80 else "[…]"
    text = str(value).replace("\r\n", "\n").replace("\n", "↵")
    return text if len(text) <= 80 else text[:77] + "…"


def _text(value: Any) -> str:
    if isinstance(value, str):
        if value and not value.isspace():  # what strip() would leave something of, without a copy
            return value
        raise _fail("text-empty", value)  # `title:` with nothing after it
    if value is None:
        raise _fail("text-empty", value)
    raise _fail("not-text", value)


# Quotes a Chinese input method types: YAML does not read them as quotes, they stay in the value.
_CHINESE_QUOTES = "“”‘’「」『』"


def _half_width(text: str) -> str:
    """What a Chinese input method in full-width mode typed: ２０２４－０３－０４ is 2024-03-04, and
    “2024-03-04” (in its quotes) too."""
    return unicodedata.normalize("NFKC", text).strip().strip(_CHINESE_QUOTES).strip()


def _slug(value: Any) -> str:
    if not isinstance(value, str) or not SLUG.fullmatch(value):
        raise _fail("id-invalid", value, **_slug_hint(value))
    return value


def _slug_hint(value: Any) -> dict[str, str]:
    """What to write instead: the ids of a list run together with a (Chinese) comma, each apart;
    a number, in quotes (YAML read it as a number); anything else, made into an id."""
    text = _half_width(str(value))
    parts = [part.strip() for part in re.split(r"[，,、；;]+", text) if part.strip()]
    if isinstance(value, str) and len(parts) > 1 and all(SLUG.fullmatch(part) for part in parts):
        return hint("ids-apart", "suggestion", listed=", ".join(parts))
    suggestion = re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-")[:40]
    if not suggestion or not SLUG.fullmatch(suggestion):
        return no_hint()
    return hint("id-example" if isinstance(value, str) else "id-quoted", "suggestion", id=suggestion)


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


# Remembered: a national portal's 50,000 records write 160,000 dates, most of them days that many
# records share (0.3 s of every load, read afresh).
@lru_cache(maxsize=8192)
def _real_date(text: str) -> date | None:
    if not _ISO_DATE.fullmatch(text):
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if day.year in YEARS else None


def _iso_date(value: Any) -> date:
    # YAML gives dates as text here (the loader does not resolve timestamps); an integer such as
    # 20240304 must not be taken for a Unix time, as pydantic's lax mode would.
    if isinstance(value, date):
        return value
    day = _real_date(value.strip()) if isinstance(value, str) else None
    if day is not None:
        return day
    meant = _real_date(_half_width(value)) if isinstance(value, str) else None
    if meant is not None:
        raise _fail("date-invalid", value, **_meant(meant.isoformat(), value), **{MENDED: meant.isoformat()})
    parts = _date_parts(value)
    written = _date_written(parts)
    raise _fail(
        "date-invalid", value, **_date_hint(parts), **({MENDED: written.isoformat()} if written else {})
    )


# A date written another way: 2025/9/12, 2025.9.12, 2025年9月12日, 2025-9-12, 20250912.
_OTHER_DATE = re.compile(
    r"([0-9]{4})\s*(?:[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})\s*日?|([0-9]{2})([0-9]{2}))"
)


def _date_parts(value: Any) -> tuple[int, int, int] | None:
    """The year, month and day of a date written another way, as written (not yet checked)."""
    match = _OTHER_DATE.fullmatch(_half_width(str(value))) if isinstance(value, str | int) else None
    if match is None:
        return None
    year, month, day = (int(part) for part in (match[1], match[2] or match[4], match[3] or match[5]))
    return year, month, day


def _date_written(parts: tuple[int, int, int] | None) -> date | None:
    """The day a date written another way stands for, when it is one."""
    if parts is None or parts[0] not in YEARS:
        return None
    try:
        return date(*parts)
    except ValueError:
        return None


def _date_hint(parts: tuple[int, int, int] | None) -> dict[str, str]:
    """The date meant, in the one form a record takes; or, for a day the month does not have
    (2025-09-31), how many days the month has."""
    if parts is None:
        return no_hint()
    year, month, day = parts
    if not 1 <= month <= 12 or day < 1 or year not in YEARS:
        return no_hint()
    try:
        return hint("date-written", "suggestion", date=date(year, month, day).isoformat())
    except ValueError:
        days = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
        return hint("date-month-days", "suggestion", year=year, month=month, days=days)


def _clock_time(value: Any) -> str:
    if isinstance(value, str) and CLOCK_TIME.fullmatch(value.strip()):
        return value.strip()
    meant = _half_width(value).replace("：", ":") if isinstance(value, str) else ""
    if CLOCK_TIME.fullmatch(meant):
        raise _fail("time-invalid", value, **_meant(f'"{meant}"', value), **{MENDED: meant})
    raise _fail("time-invalid", value, **_meant(None))


def _meant(written: str | None, value: Any = None) -> dict[str, str]:
    """The hint for a value typed with full-width characters (or in Chinese quotes): the same
    value in half-width (without them)."""
    if written is None:
        return no_hint()
    return hint("chinese-quotes" if _in_chinese_quotes(value) else "full-width", "suggestion", value=written)


def _in_chinese_quotes(value: Any) -> bool:
    return isinstance(value, str) and value.strip()[:1] in _CHINESE_QUOTES


_UNITS = {"亿元": 100_000_000, "亿": 100_000_000, "万元": 10_000, "万": 10_000, "元": 1}


# More than any deal or reward (a thousand trillion yuan): a number this large is a typing
# slip, and the money rules' arithmetic in floats would overflow on it.
MAX_YUAN = 10**15


def _yuan(value: Any) -> int:
    if isinstance(value, bool):
        raise _fail("money-unreadable", value)
    if isinstance(value, int):
        if value < 0:
            raise _fail("money-negative", value)
        if value > MAX_YUAN:
            raise _fail("money-unreadable", value)
        return value
    suggestion = suggest_yuan(value)
    if suggestion is None:
        raise _fail("money-unreadable", value)
    raise _fail("money-not-integer", value, suggestion=suggestion, **{MENDED: suggestion})


def suggest_yuan(value: Any) -> int | None:
    """What a clerk meant by "120万元", "1,200,000元" or 1200000.0, as whole yuan."""
    if isinstance(value, float):
        # 1200000.0 is 1200000; 120.5 may mean 120.5万元: never guess by rounding.
        return int(value) if 0 <= value <= MAX_YUAN and value.is_integer() else None
    if not isinstance(value, str):
        return None
    text = value.strip().replace(",", "").replace("，", "").replace(" ", "").replace("人民币", "")
    multiplier = 1
    for unit, factor in _UNITS.items():
        if text.endswith(unit):
            text, multiplier = text[: -len(unit)], factor
            break
    try:
        amount = Decimal(text) * multiplier
        if not amount.is_finite() or amount < 0 or amount > MAX_YUAN or amount != amount.to_integral_value():
            return None
    except InvalidOperation:  # NaN, compared
        return None
    return int(amount)


def _percent(value: Any) -> float:
    if isinstance(value, bool) or value is None:
        raise _fail("not-number", value)
    if isinstance(value, int | float):
        if not 0 <= value <= 100:
            raise _fail("percent-out-of-range", value)
        return float(value)
    if isinstance(value, str):
        text = value.strip().rstrip("%％").strip()
        try:
            number = float(text)
        except ValueError:
            raise _fail("not-number", value) from None
        if not math.isfinite(number):
            raise _fail("not-number", value)
        shown = int(number) if number.is_integer() else number
        raise _fail("percent-not-number", value, suggestion=shown)
    raise _fail("not-number", value)


# A count written with its unit (`12年`, `12 年`): the clerk plainly meant the number.
_COUNT_WITH_UNIT = re.compile(r"\s*([0-9]{1,9})\s*(?:年|个|项|人|天|日|次)?\s*", re.ASCII)
# Yes and no as a clerk writes them in Chinese.
_YES_NO = {
    "是": True,
    "有": True,
    "对": True,
    "否": False,
    "不是": False,
    "无": False,
    "没有": False,
    "不": False,
    # YAML 1.1's words for them, which YAML 1.2 (and this portal) reads as text.
    **dict.fromkeys(("yes", "y", "on"), True),
    **dict.fromkeys(("no", "n", "off"), False),
}


def _whole_number(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        if not COUNT_MIN <= value <= COUNT_MAX:
            raise _fail("number-out-of-range", value, min=COUNT_MIN, max=COUNT_MAX)
        return value
    meant = _COUNT_WITH_UNIT.fullmatch(value) if isinstance(value, str) else None
    if meant is not None and COUNT_MIN <= int(meant.group(1)) <= COUNT_MAX:
        number = int(meant.group(1))
        raise _fail("not-integer", value, **hint("write-value", value=number), **{MENDED: number})
    raise _fail("not-integer", value, **no_hint("fix"))


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    meant = _YES_NO.get(value.strip().lower()) if isinstance(value, str) else None
    if meant is not None:
        written = "true" if meant else "false"
        raise _fail("not-boolean", value, **hint("write-value", value=written), **{MENDED: meant})
    raise _fail("not-boolean", value, **no_hint("fix"))


# A web address: no spaces, and none of the full-width punctuation a copy from a sentence brings
# (`https://www.example.cn，`), which would end up inside the link.
_URL = re.compile(r"^https?://[^\s/$.?#][^\s，。；：、！？（）《》「」【】“”‘’]*$")
_TRAILING_PUNCTUATION = "，。；：、！？）》」】”’,.;:!?"
_EMAIL_PREFIX = re.compile(r"^mailto:", re.IGNORECASE)


def _url(value: Any) -> str:
    if (
        isinstance(value, str)
        and _URL.match(value.strip())
        and value.strip()[-1] not in _TRAILING_PUNCTUATION
    ):
        return value.strip()
    candidate = _half_width(str(value)).rstrip(_TRAILING_PUNCTUATION) if isinstance(value, str) else ""
    fixed = candidate if _URL.match(candidate) else ""
    if fixed and _in_chinese_quotes(value):
        raise _fail("url-invalid", value, **_meant(fixed, value))
    raise _fail("url-invalid", value, **(hint("url-meant", "suggestion", url=fixed) if fixed else no_hint()))


def _email(value: Any) -> str:
    if isinstance(value, str) and EMAIL.match(value.strip()):
        return value.strip()
    candidate = ""
    if isinstance(value, str):  # `mailto:` copied from a link, a full-width ＠, a comma after it
        candidate = _EMAIL_PREFIX.sub("", _half_width(value)).strip().rstrip(_TRAILING_PUNCTUATION)
    fixed = candidate if EMAIL.match(candidate) else ""
    if fixed and _in_chinese_quotes(value):
        raise _fail("email-invalid", value, **_meant(fixed, value))
    raise _fail(
        "email-invalid", value, **(hint("email-meant", "suggestion", email=fixed) if fixed else no_hint())
    )


# A telephone number has digits: 0797-8888888, (0797) 8888888 转 8012, 12345.
_PHONE_DIGITS = re.compile(r"[0-9]")
_PHONE_MIN_DIGITS = 5


def _phone(value: Any) -> str:
    text = _text(value)  # a number YAML read (0797 as 797) is asked for in quotes
    quoted = _in_chinese_quotes(text) and text.strip()[-1:] in _CHINESE_QUOTES
    if len(_PHONE_DIGITS.findall(text)) >= _PHONE_MIN_DIGITS and not quoted:
        return text
    meant = _half_width(text)  # ０７９７－８８８８８８８, or “0797-8888888” in its quotes
    if len(_PHONE_DIGITS.findall(meant)) >= _PHONE_MIN_DIGITS:
        raise _fail("phone-written", value, **_meant(f'"{meant}"', value), **{MENDED: meant})
    raise _fail("phone-invalid", value, **no_hint())


def _sha256(value: Any) -> str:
    if isinstance(value, str) and SHA256.match(value.strip().lower()):
        return value.strip().lower()
    raise _fail("sha256-invalid", value)


def described(description: str, **kwargs: Any) -> Any:
    """A field with its Chinese description, shown by editors as a tooltip via the JSON Schema."""
    return Field(description=description, **kwargs)


@dataclass(frozen=True)
class WrittenAs:
    """What a value of a type looks like, in English: the gloss of the message for a missing
    field (schema_problems.py), whose Chinese gives the field's own description."""

    english: str


Text = Annotated[
    str, BeforeValidator(_text), WithJsonSchema({"type": "string", "minLength": 1}), WrittenAs("text")
]
Markdown = Annotated[
    str,
    BeforeValidator(_text),
    WithJsonSchema({"type": "string", "minLength": 1, "contentMediaType": "text/markdown"}),
    WrittenAs("text; a longer one after '|', on the indented lines below it"),
]
Slug = Annotated[
    str,
    BeforeValidator(_slug),
    WithJsonSchema({"type": "string", "pattern": SLUG.pattern}),
    WrittenAs("an id of lowercase letters, digits and hyphens"),
]
IsoDate = Annotated[
    date,
    BeforeValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date"}),
    WrittenAs("a date, such as 2025-09-12"),
]
ClockTime = Annotated[
    str,
    BeforeValidator(_clock_time),
    WithJsonSchema({"type": "string", "pattern": CLOCK_TIME.pattern}),
    WrittenAs("a time of day, such as 17:00"),
]
Yuan = Annotated[
    int,
    BeforeValidator(_yuan),
    WithJsonSchema({"type": "integer", "minimum": 0}),
    WrittenAs("an amount in yuan, a whole number"),
]
Percent = Annotated[
    float,
    BeforeValidator(_percent),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": 100}),
    WrittenAs("a percentage, such as 70"),
]
WholeNumber = Annotated[
    int,
    BeforeValidator(_whole_number),
    WithJsonSchema({"type": "integer", "minimum": COUNT_MIN, "maximum": COUNT_MAX}),
    WrittenAs("a whole number"),
]
Flag = Annotated[
    bool, BeforeValidator(_flag), WithJsonSchema({"type": "boolean"}), WrittenAs("true or false")
]
Url = Annotated[
    str,
    BeforeValidator(_url),
    WithJsonSchema({"type": "string", "format": "uri"}),
    WrittenAs("a web address starting with http:// or https://"),
]
Email = Annotated[
    str,
    BeforeValidator(_email),
    WithJsonSchema({"type": "string", "format": "email"}),
    WrittenAs("an e-mail address"),
]
Phone = Annotated[
    str,
    BeforeValidator(_phone),
    WithJsonSchema({"type": "string", "minLength": 5}),
    WrittenAs('a telephone number in quotes, such as "0797-8888888"'),
]
Sha256 = Annotated[
    str,
    BeforeValidator(_sha256),
    WithJsonSchema({"type": "string", "pattern": SHA256.pattern}),
    WrittenAs("a SHA-256 digest: 64 characters 0-9 and a-f"),
]


def require_channel(phone: str | None, email: str | None) -> None:
    if not phone and not email:
        raise PydanticCustomError("contact-channel-missing", "contact-channel-missing", {})
