"""The `portal` command. Exceptions become exit codes here and nowhere else:

0  records are valid (warnings allowed unless --strict)
1  records are invalid: the report says what to write instead
2  a tool failed (MkDocs, Pagefind…): the command and the tail of its output are shown;
   anything else is a bug in the generator and shows its traceback
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from generator import __version__
from generator.clock import resolve_today
from generator.errors import (
    EXIT_INTERRUPTED,
    EXIT_INVALID,
    EXIT_OK,
    EXIT_TOOL,
    InvalidArgument,
    InvalidRecords,
    ToolFailed,
)
from generator.problems import Problem


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    arguments = parser.parse_args(argv)
    command: Callable[[argparse.Namespace], int] = arguments.command
    try:
        return command(arguments)
    except InvalidRecords as invalid:
        sys.stdout.write(invalid.report)
        return EXIT_INVALID
    except (ToolFailed, InvalidArgument) as failure:
        sys.stderr.write(f"portal: {failure}\n")
        return EXIT_TOOL
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Exception:  # a bug in the generator, not in the records: show everything
        traceback.print_exc()
        sys.stderr.write("portal: 内部错误，请把以上信息报告给维护者。(internal error: please report it)\n")
        return EXIT_TOOL


def run() -> NoReturn:
    """`portal` as a program: main, then the process ends (end_process)."""
    end_process(main())


def end_process(code: int) -> NoReturn:
    """End the process without freeing what the command built. A build's portal is a million
    objects at 50,000 records, and Python's own exit spent 0.7-1.4 s taking them apart one by
    one, after the site was in place. What is written is written: each file is closed once
    written, and the streams are flushed here."""
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nobody is reading any more
            stream.flush()
    os._exit(code)


class _Parser(argparse.ArgumentParser):
    """argparse, with its complaints put in Chinese first (the English kept after them)."""

    _WORDS = (
        ("the following arguments are required", "缺少必需的参数"),
        ("unrecognized arguments", "无法识别的参数"),
        ("invalid choice", "无效的选项"),
        ("expected one argument", "此选项后面要写一个值"),
    )

    def error(self, message: str) -> NoReturn:
        chinese = message
        for english, words in self._WORDS:
            chinese = chinese.replace(english, words)
        said = chinese if chinese == message else f"{chinese} (error: {message})"  # ours are in both
        self.print_usage(sys.stderr)
        self.exit(EXIT_TOOL, f"{self.prog}: 参数有误：{said}\n")


def _notice_kind(text: str) -> str:
    """A notice kind by its name or by its Chinese label, whole or in part (所有权, 协议定价)."""
    from generator.models.vocabulary import NOTICE_KINDS

    written = text.strip()
    if written in NOTICE_KINDS:
        return written
    matches = [kind for kind, label in NOTICE_KINDS.items() if written and written in label]
    if len(matches) == 1:
        return matches[0]
    choices = "、".join(f"{kind}（{label}）" for kind, label in NOTICE_KINDS.items())
    raise argparse.ArgumentTypeError(
        f"公示类型“{text}”无效，可选：{choices} (one of {', '.join(NOTICE_KINDS)})"
    )


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="portal",
        description="职务科技成果赋权公示平台：检查记录、生成网站。Check the records and build the notice portal.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="检查全部记录 / validate every record")
    _add_root(check)
    _add_today(check)
    check.add_argument("--format", choices=("text", "github", "json"), default="text")
    check.add_argument("--strict", action="store_true", help="警告也视为失败 / warnings fail the check")
    check.add_argument(
        "--no-cache", action="store_true", help="不使用缓存，重新读取每个文件 / read every file afresh"
    )
    check.set_defaults(command=_check)

    build = commands.add_parser("build", help="生成网站 / build the site")
    _add_root(build)
    _add_today(build)
    build.add_argument("--out", type=Path, default=None, help="输出目录，默认 site/ / output folder")
    build.add_argument("--strict", action="store_true")
    build.add_argument(
        "--frozen", action="store_true", help="页面状态固定为 --today，不随浏览器时钟更新 / freeze statuses"
    )
    build.add_argument(
        "--no-cache",
        action="store_true",
        help="不沿用上次生成的页面和索引，全部重新生成 / rebuild everything (the output is the same)",
    )
    build.add_argument(
        "--cache-dir",
        type=Path,
        default=None,
        help="缓存目录，默认在用户缓存目录下 / the build cache, by default in the user's cache folder",
    )
    build.add_argument(
        "--site-url",
        default=None,
        help="网站地址，默认取 mkdocs.yml 的 site_url / the site's address, instead of mkdocs.yml's site_url",
    )
    build.set_defaults(command=_build)

    serve = commands.add_parser("serve", help="本地预览，修改记录后自动刷新 / preview with live reload")
    _add_root(serve)
    _add_today(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--frozen", action="store_true")
    serve.set_defaults(command=_serve)

    check_changes = commands.add_parser(
        "check-changes",
        help="与基准版本比较，检查是否改动了已公开的记录 / refuse changes to the public record",
    )
    _add_root(check_changes)
    _add_today(check_changes)
    check_changes.add_argument(
        "--base", required=True, help="基准 git 版本，例如 origin/main / the git revision to compare with"
    )
    check_changes.add_argument("--format", choices=("text", "github", "json"), default="text")
    check_changes.set_defaults(command=_check_changes)

    codeowners = commands.add_parser(
        "codeowners", help="按各单位 maintainers 生成 .github/CODEOWNERS / write CODEOWNERS"
    )
    _add_root(codeowners)
    codeowners.add_argument("--check", action="store_true", help="只检查是否最新 / fail when stale")
    codeowners.set_defaults(command=_codeowners)

    new = commands.add_parser("new", help="生成新记录草稿 / write a skeleton record to fill in")
    records = new.add_subparsers(required=True, dest="record", metavar="RECORD")
    for record, help_text in (
        ("notice", "公示草稿 / a notice skeleton"),
        ("achievement", "成果草稿 / an achievement skeleton"),
    ):
        skeleton = records.add_parser(record, help=help_text)
        _add_root(skeleton)
        _add_today(skeleton)
        skeleton.add_argument("--institution", required=True, help="单位编号，例如 gnas / institution id")
        if record == "notice":
            skeleton.add_argument(
                "--kind",
                type=_notice_kind,
                default=None,
                help="公示类型：ownership_grant、long_term_use_grant、negotiated_price、reward，"
                "或中文名如 所有权、协议定价；默认按成果的赋权方式 / notice kind",
            )
            skeleton.add_argument(
                "--achievement",
                action="append",
                default=[],
                metavar="ID",
                help="公示涉及的成果编号，可重复 / achievement id, repeatable",
            )
        skeleton.set_defaults(command=_new)

    schemas = commands.add_parser("schemas", help="导出 JSON Schema / write the JSON Schemas")
    _add_root(schemas)
    schemas.add_argument("--check", action="store_true", help="只检查是否最新 / fail when stale")
    schemas.set_defaults(command=_schemas)
    return parser


def _add_root(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("root", nargs="?", type=Path, default=Path(), help="门户仓库目录 / portal folder")


def _add_today(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--today",
        default=None,
        help="按此日期（中国标准时间）计算状态，YYYY-MM-DD；默认今天 / compute statuses for this date",
    )


def _check(arguments: argparse.Namespace) -> int:
    from generator.build_cache import default_cache_folder
    from generator.check import check_portal
    from generator.collector import loading_once

    cache = None if arguments.no_cache else default_cache_folder(arguments.root)
    with loading_once():
        result = check_portal(arguments.root, resolve_today(arguments.today), cache)
    _write_report(result.problems, result.record_count, arguments.format)
    return EXIT_OK if result.passes(strict=arguments.strict) else EXIT_INVALID


def _write_report(problems: list[Problem], record_count: int, output_format: str) -> None:
    """The problems in the chosen format; with `github`, the summary goes to the log beside the
    annotations."""
    from generator.report import as_github, as_json, as_text, summary

    if output_format == "json":
        sys.stdout.write(as_json(problems))
    elif output_format == "github":
        sys.stdout.write(as_github(problems))
        sys.stderr.write(summary(problems, record_count) + "\n")
    else:
        sys.stdout.write(as_text(problems, record_count))


def _build(arguments: argparse.Namespace) -> int:
    from generator.site import build_site

    result = build_site(
        arguments.root,
        today=resolve_today(arguments.today),
        out=arguments.out,
        strict=arguments.strict,
        frozen=arguments.frozen,
        incremental=not arguments.no_cache,
        cache_folder=arguments.cache_dir,
        wait_for_old_site=False,
        site_url=arguments.site_url,
    )
    sys.stdout.write(result.summary() + "\n")
    return EXIT_OK


def _serve(arguments: argparse.Namespace) -> int:
    from generator.preview import serve_site

    return serve_site(
        arguments.root,
        today=resolve_today(arguments.today),
        host=arguments.host,
        port=arguments.port,
        frozen=arguments.frozen,
    )


def _schemas(arguments: argparse.Namespace) -> int:
    from generator.schema_export import stale_schemas, write_schemas

    if arguments.check:
        stale = stale_schemas(arguments.root)
        for name in stale:
            sys.stdout.write(
                f"schemas/{name} 已过期，请运行 portal schemas 重新生成。(stale: run `portal schemas`)\n"
            )
        return EXIT_INVALID if stale else EXIT_OK
    for name in write_schemas(arguments.root):
        sys.stdout.write(f"wrote schemas/{name}\n")
    return EXIT_OK


def _check_changes(arguments: argparse.Namespace) -> int:
    from generator.change_review import check_changes

    result = check_changes(arguments.root, arguments.base, resolve_today(arguments.today))
    _write_report(result.problems, result.record_count, arguments.format)
    return EXIT_OK if result.passes() else EXIT_INVALID


def _codeowners(arguments: argparse.Namespace) -> int:
    from generator.codeowners import CODEOWNERS_PATH, codeowners_stale, write_codeowners

    if arguments.check:
        if codeowners_stale(arguments.root):
            sys.stdout.write(
                f"{CODEOWNERS_PATH.as_posix()} 已过期，请运行 portal codeowners 重新生成。"
                "(stale: run `portal codeowners`)\n"
            )
            return EXIT_INVALID
        return EXIT_OK
    target = write_codeowners(arguments.root)
    sys.stdout.write(f"wrote {target.relative_to(arguments.root).as_posix()}\n")
    return EXIT_OK


def _new(arguments: argparse.Namespace) -> int:
    from generator.skeletons import new_achievement, new_notice

    today = resolve_today(arguments.today)
    if arguments.record == "notice":
        skeleton = new_notice(
            arguments.root,
            arguments.institution,
            today,
            kind=arguments.kind,
            achievements=tuple(arguments.achievement),
        )
    else:
        skeleton = new_achievement(arguments.root, arguments.institution, today)
    sys.stdout.write(f"{skeleton.path.relative_to(arguments.root).as_posix()}\n")
    return EXIT_OK


if __name__ == "__main__":
    run()
