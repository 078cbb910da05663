"""The revision history of a notice page, read from real git repositories made in a temporary
folder: the publication, each later commit with the fields it changed, the versions written into
the site, renames followed, uncommitted changes, shallow clones, and no git at all."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml

from generator.check import check_portal
from generator.clock import CHINA
from generator.git_log import FileChange
from generator.portal import build_portal
from generator.render import Renderer
from generator.revision_files import write_version_files
from generator.revision_history import (
    FILE_MOVED,
    NoticeHistory,
    RevisionHistory,
    attach_revision_history,
    follow_renames,
    read_revision_history,
)
from generator.site import build_site

FIXTURE = Path(__file__).parent / "fixtures" / "minimal"
NOTICE = "notices/gnas/2024/gnas-2024-n01.yml"
NOTICE_ID = "gnas-2024-n01"
TODAY = date(2024, 3, 20)  # after the period (2024-03-04 to 2024-03-18) and the outcome
SITE_URL = "https://notice-portal.example.cn/"

PUBLISHED_AT = "2024-03-04T09:30:00+08:00"
AMENDED_AT = "2024-03-08T02:00:00Z"  # 10:00 in China: the page shows China Standard Time
CONCLUDED_AT = "2024-03-19T16:45:00+08:00"
OUTCOME_LINE = "outcome: {result: no_objection, date: 2024-03-19, note: 公示期内未收到异议。}\n"
NEW_TITLE = "title: 关于赣南科学院职务科技成果赋权的公示（更正）\n"
AMENDMENT = "amendments:\n  - {date: 2024-03-08, summary: 更正公示标题}\n"


def git(root: Path, *arguments: str, when: str | None = None, authored: str | None = None) -> str:
    """Run git in `root` as a fixed author, with fixed dates when given (`authored`, when the
    author's differs): the same history gives the same commit hashes on every run."""
    environment = {
        **os.environ,
        "GIT_AUTHOR_NAME": "测试",
        "GIT_AUTHOR_EMAIL": "test@example.cn",
        "GIT_COMMITTER_NAME": "测试",
        "GIT_COMMITTER_EMAIL": "test@example.cn",
        "GIT_CONFIG_GLOBAL": os.devnull,  # the machine's own settings (signing, hooks) stay out
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    if when is not None:
        environment |= {"GIT_AUTHOR_DATE": authored or when, "GIT_COMMITTER_DATE": when}
    completed = subprocess.run(
        ["git", *arguments], cwd=root, env=environment, capture_output=True, text=True, check=True
    )
    return completed.stdout.strip()


def commit_all(root: Path, message: str, when: str) -> str:
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", message, when=when)
    return git(root, "rev-parse", "HEAD")


def edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not in {relative} exactly once"
    path.write_text(text.replace(old, new), encoding="utf-8")


def published_portal(repository: Path, portal: Path) -> str:
    """A repository whose first commit publishes the minimal portal's notice, without its outcome."""
    repository.mkdir(parents=True, exist_ok=True)
    git(repository, "init", "--quiet", "--initial-branch=main")
    shutil.copytree(FIXTURE, portal, dirs_exist_ok=True)
    edit(portal, NOTICE, OUTCOME_LINE, "")
    return commit_all(repository, "发布公示", PUBLISHED_AT)


def amend_and_conclude(repository: Path, portal: Path) -> tuple[str, str]:
    """Two later commits: an amendment that corrects the title, then the outcome."""
    edit(portal, NOTICE, "title: 关于赣南科学院职务科技成果赋权的公示\n", NEW_TITLE)
    (portal / NOTICE).write_text((portal / NOTICE).read_text(encoding="utf-8") + AMENDMENT, encoding="utf-8")
    amended = commit_all(repository, "更正标题", AMENDED_AT)
    (portal / NOTICE).write_text(
        (portal / NOTICE).read_text(encoding="utf-8") + OUTCOME_LINE, encoding="utf-8"
    )
    concluded = commit_all(repository, "公示结果", CONCLUDED_AT)
    return amended, concluded


@pytest.fixture
def history_repository(tmp_path: Path) -> tuple[Path, list[str]]:
    repository = tmp_path / "repo"
    published = published_portal(repository, repository)
    return repository, [published, *amend_and_conclude(repository, repository)]


def notice_history(root: Path) -> NoticeHistory:
    history = read_revision_history(root)
    assert history is not None
    notice = history.of(NOTICE_ID)
    assert notice is not None
    return notice


def notice_page(root: Path, history: RevisionHistory | None) -> str:
    result = check_portal(root, TODAY)
    assert result.passes(), result.problems
    portal = build_portal(result.catalog, TODAY)
    if history is not None:
        portal = attach_revision_history(portal, root, history.forge_url)
    pages = {page.src_uri: page for page in Renderer(portal, SITE_URL, root).record_pages()}
    return pages[f"notices/{NOTICE_ID}.md"].body_html


# --- what is read from git -----------------------------------------------------------------------


def test_each_commit_is_a_revision_with_its_changed_fields(
    history_repository: tuple[Path, list[str]],
) -> None:
    repository, commits = history_repository
    notice = notice_history(repository)
    assert [revision.commit for revision in notice.revisions] == commits
    assert [revision.changed for revision in notice.revisions] == [(), ("title", "amendments"), ("outcome",)]
    assert notice.from_publication
    assert notice.uncommitted is None


def test_commit_dates_are_shown_in_china_standard_time(history_repository: tuple[Path, list[str]]) -> None:
    repository, _ = history_repository
    revisions = notice_history(repository).revisions
    assert [revision.committed for revision in revisions] == [
        datetime(2024, 3, 4, 9, 30, tzinfo=CHINA),
        datetime(2024, 3, 8, 10, 0, tzinfo=CHINA),
        datetime(2024, 3, 19, 16, 45, tzinfo=CHINA),
    ]
    assert revisions[1].when == "2024年3月8日 10:00"


def test_reformatting_is_a_revision_that_changes_no_field(history_repository: tuple[Path, list[str]]) -> None:
    repository, _ = history_repository
    edit(
        repository,
        NOTICE,
        "period: {start: 2024-03-04, end: 2024-03-18}",
        "period:\n  start: 2024-03-04\n  end: 2024-03-18",
    )
    commit_all(repository, "改写格式", "2024-03-21T08:00:00+08:00")
    assert notice_history(repository).revisions[-1].changed == ()


def test_a_renamed_notice_keeps_its_history(history_repository: tuple[Path, list[str]]) -> None:
    repository, commits = history_repository
    renamed = "notices/gnas/2024/gnas-2024-n09.yml"
    git(repository, "mv", NOTICE, renamed)
    edit(repository, renamed, f"id: {NOTICE_ID}", "id: gnas-2024-n09")
    moved = commit_all(repository, "改编号", "2024-03-21T08:00:00+08:00")
    history = read_revision_history(repository)
    assert history is not None and history.of(NOTICE_ID) is None
    notice = history.of("gnas-2024-n09")
    assert notice is not None
    assert [revision.commit for revision in notice.revisions] == [*commits, moved]
    assert notice.revisions[-1].changed == ("id", FILE_MOVED)
    assert notice.revisions[0].path == NOTICE


def test_a_deleted_and_recreated_file_starts_a_new_history(
    history_repository: tuple[Path, list[str]],
) -> None:
    repository, _ = history_repository
    text = (repository / NOTICE).read_bytes()
    (repository / NOTICE).unlink()
    commit_all(repository, "删除", "2024-03-21T08:00:00+08:00")
    (repository / NOTICE).write_bytes(text)
    recreated = commit_all(repository, "重建", "2024-03-22T08:00:00+08:00")
    assert [revision.commit for revision in notice_history(repository).revisions] == [recreated]


def test_uncommitted_changes_and_new_files_are_listed(history_repository: tuple[Path, list[str]]) -> None:
    repository, _ = history_repository
    edit(repository, NOTICE, "person: 王老师", "person: 李老师")
    new_notice = (repository / NOTICE).read_text(encoding="utf-8").replace(NOTICE_ID, "gnas-2024-n02")
    (repository / "notices/gnas/2024/gnas-2024-n02.yml").write_text(new_notice, encoding="utf-8")
    history = read_revision_history(repository)
    assert history is not None
    changed, new = history.of(NOTICE_ID), history.of("gnas-2024-n02")
    assert changed is not None and changed.uncommitted == ("objections",)
    assert new is not None and new.revisions == () and new.uncommitted == ()
    page = notice_page(repository, history)
    assert "<strong>未提交的修改</strong>：异议受理渠道" in page


def test_a_portal_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    repository = tmp_path / "repo"
    portal = repository / "portal"
    published = published_portal(repository, portal)
    (repository / "notices").mkdir()  # a folder of the same name outside the portal is not read
    (repository / "notices" / "other.yml").write_text("id: other\n", encoding="utf-8")
    commit_all(repository, "其他文件", "2024-03-05T08:00:00+08:00")
    history = read_revision_history(portal)
    assert history is not None
    assert sorted(history.notices) == [NOTICE_ID]
    notice = history.of(NOTICE_ID)
    assert notice is not None and [revision.commit for revision in notice.revisions] == [published]
    assert notice.revisions[0].path == NOTICE


def test_a_shallow_clone_does_not_claim_the_publication(
    history_repository: tuple[Path, list[str]], tmp_path: Path
) -> None:
    repository, commits = history_repository
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", "--depth", "1", f"file://{repository}", str(clone))
    notice = notice_history(clone)
    assert [revision.commit for revision in notice.revisions] == commits[-1:]
    assert not notice.from_publication
    assert "<strong>最早可查的版本</strong>" in notice_page(clone, read_revision_history(clone))


# --- without git ---------------------------------------------------------------------------------


def test_a_folder_outside_git_has_no_history(tmp_path: Path) -> None:
    root = tmp_path / "portal"
    shutil.copytree(FIXTURE, root)
    assert read_revision_history(root) is None
    assert "修订记录" not in notice_page(root, None)


def test_without_the_git_program_there_is_no_history(
    history_repository: tuple[Path, list[str]], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    repository, _ = history_repository
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert read_revision_history(repository) is None


# --- the page and the versions in a built site --------------------------------------------------


def test_the_built_page_lists_every_revision_and_links_each_version(
    history_repository: tuple[Path, list[str]], tmp_path: Path
) -> None:
    repository, (published, amended, concluded) = history_repository
    site = build_site(repository, today=TODAY, out=tmp_path / "site").out
    page = (site / "notices" / NOTICE_ID / "index.html").read_text(encoding="utf-8")
    assert "修订记录" in page
    assert (
        f'<strong>发布于</strong> <time datetime="2024-03-04T09:30:00+08:00">2024年3月4日 09:30</time>'
        f"（提交 <code>{published[:12]}</code>" in page
    )
    assert '<time datetime="2024-03-08T10:00:00+08:00">2024年3月8日 10:00</time> 修改：标题、更正记录' in page
    assert '<time datetime="2024-03-19T16:45:00+08:00">2024年3月19日 16:45</time> 修改：公示结果' in page
    for commit in (published, amended, concluded):
        link = f"versions/{commit[:12]}.txt"
        # Shown by the versions page, which reads the file as UTF-8 whatever the server says of it.
        assert f'href="../../versions/?file=notices/{NOTICE_ID}/{link}"' in page
        # And the file itself, a link away without scripts.
        assert f'href="../../notices/{NOTICE_ID}/{link}" type="text/plain" download' in page
        version = site / "notices" / NOTICE_ID / link
        assert version.read_bytes() == git(repository, "show", f"{commit}:{NOTICE}").encode() + b"\n"
    first = (site / "notices" / NOTICE_ID / f"versions/{published[:12]}.txt").read_text(encoding="utf-8")
    assert "outcome" not in first and "（更正）" not in first


def test_a_build_for_an_earlier_day_lists_only_the_commits_made_by_then(
    history_repository: tuple[Path, list[str]],
) -> None:
    """Built for 2024-03-10, the outcome committed on 2024-03-19 is not yet made: listed, it read
    as the notice changed after the day the site shows. For a day before any commit, the notice
    has no history: its page no revision section, and no version is written."""
    repository, (published, amended, _) = history_repository
    history = read_revision_history(repository)
    assert history is not None
    early = history.as_of(date(2024, 3, 10)).of(NOTICE_ID)
    assert early is not None and [revision.commit for revision in early.revisions] == [published, amended]
    assert early.from_publication
    assert history.as_of(date(2024, 3, 1)).of(NOTICE_ID) is None
    # A commit after the day of the build (a layout change, dated 2024-03-25) is not on its page.
    (repository / NOTICE).write_text(
        (repository / NOTICE).read_text(encoding="utf-8") + "\n", encoding="utf-8"
    )
    commit_all(repository, "格式", "2024-03-25T10:00:00+08:00")
    page = notice_page(repository, read_revision_history(repository))
    assert "2024年3月19日 16:45" in page and "2024年3月25日" not in page


def test_a_version_is_dated_by_when_it_was_committed_not_by_its_authors_clock(
    history_repository: tuple[Path, list[str]],
) -> None:
    """A clerk whose clock runs a day ahead writes a correction dated 2024-03-21; it is merged,
    and committed, on 2024-03-20. The build for the 20th lists it, dated the 20th."""
    repository, _ = history_repository
    edit(repository, NOTICE, "note: 公示期内未收到异议。", "note: 公示期内未收到任何异议。")
    git(repository, "add", "-A")
    git(
        repository,
        "commit",
        "--quiet",
        "-m",
        "更正结果说明",
        when="2024-03-20T11:00:00+08:00",
        authored="2024-03-21T11:00:00+08:00",
    )
    history = read_revision_history(repository)
    assert history is not None
    notice = history.as_of(date(2024, 3, 20)).of(NOTICE_ID)
    assert notice is not None
    assert notice.revisions[-1].when == "2024年3月20日 11:00"
    assert notice.revisions[-1].changed == ("outcome",)


def test_commits_link_to_the_forge_when_the_site_names_its_repository(
    history_repository: tuple[Path, list[str]],
) -> None:
    repository, commits = history_repository
    forge = RevisionHistory(repository, {}, "https://github.com/example/portal/")
    page = notice_page(repository, forge)
    for commit in commits:
        assert (
            f'<a href="https://github.com/example/portal/commit/{commit}"><code>{commit[:12]}</code></a>'
            in page
        )


def test_the_history_section_is_deterministic(history_repository: tuple[Path, list[str]]) -> None:
    repository, _ = history_repository
    history = read_revision_history(repository)
    assert notice_page(repository, history) == notice_page(repository, history)


def test_version_files_hold_the_committed_bytes(
    history_repository: tuple[Path, list[str]], tmp_path: Path
) -> None:
    repository, commits = history_repository
    result = check_portal(repository, TODAY)
    portal = attach_revision_history(build_portal(result.catalog, TODAY), repository)
    write_version_files(portal, tmp_path / "site", SITE_URL)
    written = sorted(path.name for path in (tmp_path / "site" / "notices" / NOTICE_ID / "versions").iterdir())
    assert written == sorted(f"{commit[:12]}.txt" for commit in commits)
    blob = git(repository, "rev-parse", f"{commits[0]}:{NOTICE}")
    version = tmp_path / "site" / "notices" / NOTICE_ID / "versions" / f"{commits[0][:12]}.txt"
    assert git(repository, "hash-object", str(version)) == blob  # anyone can check a download


def test_a_file_renamed_and_replaced_in_one_commit_keeps_both_histories() -> None:
    """Newest first, as git gives them: commit c2 moves a.yml to b.yml and writes a new a.yml."""

    def change(commit: str, status: str, path: str, old_path: str = "") -> FileChange:
        moment = datetime(2024, 3, 4, tzinfo=CHINA)
        return FileChange(commit, moment, status, path, old_path or path, commit + path, regular=True)

    history = follow_renames(
        [change("c2", "A", "a.yml"), change("c2", "R", "b.yml", "a.yml"), change("c1", "A", "a.yml")]
    )
    assert [(item.commit, item.status) for item in history["b.yml"]] == [("c1", "A"), ("c2", "R")]
    assert [(item.commit, item.status) for item in history["a.yml"]] == [("c2", "A")]


def test_the_publish_workflow_fetches_the_whole_history() -> None:
    """A shallow checkout would show every notice as first seen in the latest commit."""
    workflow = yaml.safe_load((Path(__file__).parent.parent / ".github/workflows/publish.yml").read_text())
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    checkout = next(step for step in steps if step.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0
