"""Rules of money (reward shares, recipients, a price far under its valuation) and of text and files
(Markdown without HTML or unsafe links, attachments inside the unit's folder with their SHA-256)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from generator.messages import render
from tests.conftest import (
    ACHIEVEMENT,
    DEAL,
    NOTICE,
    POLICY,
    REWARD,
    TODAY,
    check_problems,
    problem_keys,
    replace,
    write,
)

# --- rewards -----------------------------------------------------------------------------------------


def test_the_reward_fixture_is_clean(reward_portal: Path) -> None:
    assert problem_keys(reward_portal, TODAY) == set()


@pytest.mark.parametrize(
    ("total", "lead", "other", "share"), [(990000, 600000, 390000, "99.0"), (500000, 300000, 200000, "50.0")]
)
def test_a_team_reward_outside_the_policy_range(
    reward_portal: Path, total: int, lead: int, other: int, share: str
) -> None:
    replace(reward_portal, REWARD, "team_total_yuan: 800000", f"team_total_yuan: {total}")
    replace(reward_portal, REWARD, "yuan: 480000", f"yuan: {lead}")
    replace(reward_portal, REWARD, "yuan: 320000", f"yuan: {other}")
    (problem,) = check_problems(reward_portal, TODAY)
    assert problem.key() == ("reward-share-out-of-range", REWARD, 9, "reward.team_total_yuan")
    assert (problem.params["share"], problem.params["low"], problem.params["high"]) == (share, "60", "95")
    assert (problem.params["min_total"], problem.params["max_total"]) == ("600000", "950000")


def test_hubei_allows_up_to_99_per_cent(reward_portal: Path) -> None:
    replace(reward_portal, POLICY, "reward_share_range: [60, 95]", "reward_share_range: [70, 99]")
    replace(reward_portal, REWARD, "team_total_yuan: 800000", "team_total_yuan: 990000")
    replace(reward_portal, REWARD, "yuan: 480000", "yuan: 600000")
    replace(reward_portal, REWARD, "yuan: 320000", "yuan: 390000")
    assert problem_keys(reward_portal, TODAY) == set()


def test_recipients_that_do_not_add_up(reward_portal: Path) -> None:
    replace(reward_portal, REWARD, "yuan: 320000", "yuan: 300000")
    (problem,) = check_problems(reward_portal, TODAY)
    assert problem.key() == ("reward-sum-mismatch", REWARD, 10, "reward.recipients")
    assert (problem.params["sum"], problem.params["team_total"]) == ("780000", "800000")
    # By how much, and what to write if the recipients' amounts are right.
    assert render(problem)[0] == (
        "获奖人金额合计 780000 元，比团队奖励总额 team_total_yuan 800000 元少 20,000 元。"
        "请核对各获奖人的 yuan；如果各人金额无误，请把 team_total_yuan 改为 780000。"
    )


def test_main_contributors_below_half_the_reward(reward_portal: Path) -> None:
    replace(reward_portal, REWARD, "yuan: 480000", "yuan: 300000")
    replace(reward_portal, REWARD, "yuan: 320000", "yuan: 500000")
    (problem,) = check_problems(reward_portal, TODAY)
    assert problem.key() == ("reward-lead-share-too-low", REWARD, 10, "reward.recipients")
    assert (problem.params["leads"], problem.params["share"]) == ("王五", "37.5")
    assert problem.params["minimum_total"] == "400000"


def test_no_lead_share_rule_in_hubei(reward_portal: Path) -> None:
    replace(reward_portal, POLICY, "lead_reward_share_min: 50", "lead_reward_share_min: null")
    replace(reward_portal, REWARD, "yuan: 480000", "yuan: 300000")
    replace(reward_portal, REWARD, "yuan: 320000", "yuan: 500000")
    assert problem_keys(reward_portal, TODAY) == set()


def test_a_unit_leader_taking_equity_needs_an_approval(reward_portal: Path) -> None:
    replace(
        reward_portal,
        REWARD,
        "{name: 赵六, yuan: 320000, form: cash}",
        "{name: 赵六, yuan: 320000, form: equity, leader: true}",
    )
    (problem,) = check_problems(reward_portal, TODAY)
    assert problem.key() == ("reward-leader-approval-missing", REWARD, 12, "reward.recipients[1]")
    assert problem.params["name"] == "赵六"


def test_a_unit_leader_with_an_approval(reward_portal: Path) -> None:
    replace(
        reward_portal,
        REWARD,
        "{name: 赵六, yuan: 320000, form: cash}",
        "{name: 赵六, yuan: 320000, form: equity, leader: true, approval: 赣州市科技局 赣市科字〔2024〕12号}",
    )
    assert problem_keys(reward_portal, TODAY) == set()


# --- deals -------------------------------------------------------------------------------------------------


def test_a_price_far_below_its_valuation_is_a_warning(deal_portal: Path) -> None:
    replace(deal_portal, DEAL, "price_yuan: 1200000", "price_yuan: 1200000\n  appraised_yuan: 3000000")
    (problem,) = check_problems(deal_portal, TODAY)
    assert problem.key() == ("deal-appraised-far", DEAL, 11, "deal.price_yuan")
    assert problem.params["ratio"] == "40"
    assert not problem.is_error


def test_a_price_near_its_valuation(deal_portal: Path) -> None:
    replace(deal_portal, DEAL, "price_yuan: 1200000", "price_yuan: 1200000\n  appraised_yuan: 1500000")
    assert problem_keys(deal_portal, TODAY) == set()


# --- Markdown -----------------------------------------------------------------------------------------------

BODY = "经单位审批，拟将下列职务科技成果所有权的70%赋予成果完成团队。"


@pytest.mark.parametrize(
    ("body", "line", "tags"),
    [
        ("<script>alert(1)</script>经单位审批", 9, "<script>、</script>"),
        ("第一段。\n  \n  <b>加粗</b>经单位审批", 11, "<b>、</b>"),
        ("<img src=x onerror=alert(1)>经单位审批", 9, "<img src=x onerror=alert(1)>"),
        ("<!-- 注释 -->经单位审批", 9, "<!--"),
        ("<SCRIPT src=//x.example>", 9, "<SCRIPT src=//x.example>"),
        ("<script", 9, "<script"),
    ],
    ids=["script", "bold on a later line", "img", "comment", "upper case", "unclosed script"],
)
def test_raw_html_in_a_body(portal: Path, body: str, line: int, tags: str) -> None:
    replace(portal, NOTICE, BODY, body)
    problems = check_problems(portal, TODAY)
    assert [problem.key() for problem in problems] == [("markdown-raw-html", NOTICE, line, "body")]
    assert problems[0].params["tag"] == tags


def test_raw_html_on_two_lines_is_two_problems(portal: Path) -> None:
    replace(portal, NOTICE, "经单位审批", "<b>一</b>\n  第二行\n  <b>二</b>")
    assert [problem.key() for problem in check_problems(portal, TODAY)] == [
        ("markdown-raw-html", NOTICE, 9, "body"),
        ("markdown-raw-html", NOTICE, 11, "body"),
    ]


def test_raw_html_in_a_folded_or_quoted_text(portal: Path) -> None:
    replace(
        portal, NOTICE, "body: |\n  经单位审批", "body: >\n  第一行\n  第二行 <i>斜体</i>\n\n  经单位审批"
    )
    # (Its first two lines are joined by YAML, which is an error of its own.)
    assert problem_keys(portal, TODAY) == {
        ("markdown-lines-joined", NOTICE, 8, "body"),
        ("markdown-raw-html", NOTICE, 10, "body"),
    }


def test_raw_html_in_a_summary(portal: Path) -> None:
    replace(portal, ACHIEVEMENT, "面向", "<iframe src=https://x.example></iframe>面向")
    assert problem_keys(portal, TODAY) == {("markdown-raw-html", ACHIEVEMENT, 18, "summary")}


@pytest.mark.parametrize(
    "text",
    [
        "a < b 且 c > d",
        "p<0.05",
        "x<y 且 z>w",
        "`<b>` 是 HTML 标签",
        "```\n  <div>代码</div>\n  ```",
        "<https://www.gnas.example.cn>",
        "<kjc@gnas.example.cn>",
        "[链接](https://www.gnas.example.cn) [邮件](mailto:kjc@gnas.example.cn) [电话](tel:07978888888)",
        "《关于开展试点的通知》",
    ],
)
def test_text_that_is_not_html(portal: Path, text: str) -> None:
    replace(portal, NOTICE, BODY, text)
    assert problem_keys(portal, TODAY) == set()


@pytest.mark.parametrize(
    ("body", "line", "value"),
    [
        ("[点我](javascript:alert(1))", 9, "javascript:alert(1"),
        ("经单位审批\n  \n  [x]: javascript:alert(1)", 11, "javascript:alert(1)"),
        ("<data:text/html,abc>", 9, "data:text/html,abc"),
        ("[文件](file:///etc/passwd)", 9, "file:///etc/passwd"),
    ],
)
def test_links_with_an_unsafe_scheme(portal: Path, body: str, line: int, value: str) -> None:
    replace(portal, NOTICE, BODY, body)
    problems = check_problems(portal, TODAY)
    assert [problem.key() for problem in problems] == [("markdown-link-scheme", NOTICE, line, "body")]
    assert problems[0].params["value"] == value


# --- attachments ------------------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n"
PDF_SHA = hashlib.sha256(PDF).hexdigest()


def attach(portal: Path, file: str, sha256: str = PDF_SHA) -> None:
    replace(
        portal,
        NOTICE,
        "outcome:",
        f"attachments:\n  - {{title: 协议, file: '{file}', sha256: {sha256}}}\noutcome:",
    )


def test_an_attachment_in_place(portal: Path) -> None:
    write(portal, "notices/gnas/attachments/a.pdf", PDF)
    attach(portal, "attachments/a.pdf", PDF_SHA.upper())
    assert problem_keys(portal, TODAY) == set()


@pytest.mark.parametrize(
    "file",
    [
        "../../etc/passwd",
        "attachments/../../gnit/a.pdf",
        "/etc/passwd",
        "attachments\\a.pdf",
        "C:/a.pdf",
        ".",
    ],
)
def test_an_attachment_path_outside_the_units_folder(portal: Path, file: str) -> None:
    attach(portal, file)
    assert problem_keys(portal, TODAY) == {("attachment-path-invalid", NOTICE, 11, "attachments[0].file")}


def test_an_attachment_through_a_symbolic_link(portal: Path, tmp_path: Path) -> None:
    (tmp_path / "secret.pdf").write_bytes(PDF)
    (portal / "notices/gnas/attachments").mkdir(parents=True)
    (portal / "notices/gnas/attachments/a.pdf").symlink_to(tmp_path / "secret.pdf")
    attach(portal, "attachments/a.pdf")
    assert problem_keys(portal, TODAY) == {("attachment-path-invalid", NOTICE, 11, "attachments[0].file")}


def test_a_missing_attachment(portal: Path) -> None:
    attach(portal, "attachments/a.pdf")
    (problem,) = check_problems(portal, TODAY)
    assert problem.key() == ("attachment-missing", NOTICE, 11, "attachments[0].file")
    assert problem.params["path"] == "notices/gnas/attachments/a.pdf"


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("notices/gnas/attachments/a.pdf", "attachments/a.pdf"),  # from the repository's root
        ("attachments/a.PDF", "attachments/a.pdf"),  # capitals Windows and macOS do not tell apart
    ],
)
def test_a_missing_attachment_names_the_file_it_most_likely_meant(
    portal: Path, written: str, meant: str
) -> None:
    write(portal, "notices/gnas/attachments/a.pdf", PDF)
    attach(portal, written)
    problems = {problem.code: problem for problem in check_problems(portal, TODAY)}
    assert f"请写成 file: {meant}。" in problems["attachment-missing"].params["fix"]


def test_a_title_past_a_hundred_characters_is_a_warning(portal: Path) -> None:
    replace(portal, NOTICE, "title: 关于赣南科学院职务科技成果赋权的公示", "title: " + "关于" * 51)
    (problem,) = check_problems(portal, TODAY)
    assert (problem.key(), problem.is_error) == (("title-too-long", NOTICE, 4, "title"), False)
    assert problem.params["length"] == "102"


def test_an_attachment_replaced_after_publication(portal: Path) -> None:
    write(portal, "notices/gnas/attachments/a.pdf", b"%PDF-1.4 changed\n")
    attach(portal, "attachments/a.pdf")
    (problem,) = check_problems(portal, TODAY)
    assert problem.key() == ("attachment-sha256-mismatch", NOTICE, 11, "attachments[0].sha256")
    assert problem.params["expected"] == PDF_SHA


@pytest.mark.parametrize(
    ("stated", "problem"),
    [
        ("公示期：2024年3月4日至2024年3月18日。", False),
        ("**公示期**：2024年3月4日至3月18日 17:00。", False),
        ("公示时间：2024 年 3 月 4 日至 2024 年 3 月 20 日。", True),
        ("**公示期**：2024年3月1日至2024年3月18日。", True),
        ("使用期限：2024年3月1日至2034年2月28日。", False),  # another range, not the period
        ("公示期满后，拟于2024年4月1日至2024年4月30日签订协议。", False),  # not the period either
        ("**公示期**：2024-03-04 至 2024-03-18。", False),
        ("公示期：2024年3月4日 8:30—2024年3月18日 17:00。", False),
        ("**公示期**：2024-03-04 至 2024-03-19。", True),
        ("公示期为2024年3月4日～3月20日。", True),
    ],
)
def test_the_period_the_text_states_is_the_records(portal: Path, stated: str, problem: bool) -> None:
    replace(portal, NOTICE, "  经单位审批，", f"  {stated}\n\n  经单位审批，")
    keys = problem_keys(portal, TODAY)
    assert (("body-period-differs", NOTICE, 9, "body") in keys) is problem
    assert not keys - {("body-period-differs", NOTICE, 9, "body")}


@pytest.mark.parametrize(
    ("title", "warned"),
    [
        ('"关于赣南科学院职务科技成果\n  赋权的公示"', True),  # a line break read as a space
        ("关于赣南科学院 赋权的公示", True),
        ("关于“一种方法”等 2 项职务科技成果赋权的公示", False),  # spaces around a number
        ("关于 Lumina Photonics 协议定价的公示", False),
    ],
)
def test_a_space_between_chinese_characters_in_a_title_is_a_warning(
    portal: Path, title: str, warned: bool
) -> None:
    replace(portal, NOTICE, "title: 关于赣南科学院职务科技成果赋权的公示", f"title: {title}")
    keys = {key for key in problem_keys(portal, TODAY) if key[0] == "title-space-between-characters"}
    assert keys == ({("title-space-between-characters", NOTICE, 4, "title")} if warned else set())
