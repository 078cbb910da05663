"""The thin MkDocs adapter: ask the core for pages, hand them to MkDocs, run the post-build
stages. Nothing here knows the rules or the record format; a move to another engine replaces
this file and mkdocs.yml only."""

from __future__ import annotations

import os
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from generator.build_cache import BuildCache
from generator.check import check_portal
from generator.clock import resolve_today
from generator.page_facts import FactsOf, record_page_facts
from generator.page_shell import (
    list_shell_of,
    list_shell_page,
    pour_list_pages,
    pour_record_pages,
    pours_into_list_shell,
    shell_page,
)
from generator.paths import RECORD_FOLDERS
from generator.portal import Portal, build_portal
from generator.render import RECORD_PAGE_FOLDERS, Page, Renderer
from generator.report import as_text
from generator.sitemap import write_sitemap
from generator.stages import AroundPages, stages_around_pages
from generator.statistics import reports
from generator.statistics_keys import report_texts
from generator.timing import phase

FROZEN_ENVIRONMENT_VARIABLE = "PORTAL_FROZEN"
# Where the many record pages go: one shell page each, rendered by MkDocs (see page_shell.py).
POURED_FOLDERS = RECORD_PAGE_FOLDERS
# Whether the list pages out of the navigation and the statistics reports are poured into a
# shell too (a test turns it off to have MkDocs render them, and compares).
POUR_LIST_PAGES = True
# What MkDocs sees for each of our pages' bodies; on_page_content gives it our HTML instead.
ENGINE_BODY_TOKEN = "<!-- portal-page-body -->"

# `portal build` has already checked the records and built the Portal: it leaves it here so the
# plugin does not load everything a second time. `mkdocs build` / `serve` find nothing and load.
_prepared: dict[str, tuple[Path, Portal, BuildCache | None]] = {}


def hand_over(config_file: Path, root: Path, portal: Portal, cache: BuildCache | None = None) -> None:
    """Give the plugin the records' folder, the Portal built from it and the build cache (what
    may be taken from the published site), keyed by config file."""
    _prepared[str(config_file.resolve())] = (root, portal, cache)


class PortalPlugin(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    def __init__(self) -> None:
        self.portal: Portal | None = None
        self.root = Path()
        self.renderer: Renderer | None = None
        self.bodies: dict[str, str] = {}  # each generated page's HTML, until MkDocs asks for it
        self.shell_poured_pages: list[Page] = []  # poured into shells after MkDocs (page_shell.py)
        self.cache: BuildCache | None = None
        # The post-build stages, started with the engine's pages (stages.py): they run beside
        # those, MkDocs and the record pages, and are finished after them.
        self.stages = ExitStack()
        self.around_pages: AroundPages | None = None
        # What the pour is to know of each record page, found out beside the engine (page_facts.py).
        self.record_facts: FactsOf | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        config_file = Path(config.config_file_path).resolve()
        prepared = _prepared.pop(str(config_file), None)
        if prepared is None:
            self.root = config_file.parent
            self.portal = portal = self._load()
        else:
            self.root, portal, self.cache = prepared
            self.portal = portal
        from generator.revision_history import attach_revision_history  # git history, when there is one

        self.portal = portal = attach_revision_history(portal, self.root, config.repo_url)
        config.extra["portal"] = {"today": portal.today.isoformat(), "frozen": portal.frozen}
        from generator.feeds import ALL_NOTICES  # the site-wide feed, announced in every page head

        config.extra["portal_feeds"] = ALL_NOTICES.links()
        return config

    def _load(self) -> Portal:
        today = resolve_today(None)
        result = check_portal(self.root, today)
        if not result.passes():
            raise PluginError(
                "记录未通过检查 (the records do not pass the check):\n" + as_text(result.problems, 0)
            )
        frozen = os.environ.get(FROZEN_ENVIRONMENT_VARIABLE, "") == "1"
        return build_portal(result.catalog, today, frozen=frozen)

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        assert self.portal is not None
        self.renderer = renderer = Renderer(self.portal, config.site_url or "/", self.root, self.cache)
        self.record_facts = self.stages.enter_context(record_page_facts(renderer, self.cache, POURED_FOLDERS))
        with phase("render"):
            # Once, before the data stages and the lists are forked: both use them.
            self.portal.sorted_notices()
            reports(self.portal)
            if self.cache is not None:
                report_texts(self.portal)  # what the reports' pages and files are kept by
        # The data stages start now, beside the engine's pages: started after those, their one
        # process was the last to finish a rebuild at 50,000 records, half a second after the rest.
        self.around_pages = self.stages.enter_context(
            stages_around_pages(self.portal, Path(config.site_dir), config.site_url or "/", self.cache)
        )
        with phase("render"):
            given: list[Page] = []
            self.shell_poured_pages = []
            for page in renderer.engine_pages():
                poured = POUR_LIST_PAGES and pours_into_list_shell(page)
                (self.shell_poured_pages if poured else given).append(page)
            list_shells = sorted({list_shell_of(page) for page in self.shell_poured_pages})
            shells = [shell_page(folder) for folder in POURED_FOLDERS] + [
                list_shell_page(top, depth, hide) for top, depth, hide in list_shells
            ]
            for page in (*given, *shells):
                inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
                # MkDocs sees a token for a body; on_page_content puts our HTML back (see there).
                content = page.markdown(body=ENGINE_BODY_TOKEN)
                files.append(File.generated(config, page.src_uri, content=content, inclusion=inclusion))
                self.bodies[page.src_uri] = page.body_html.strip()
        for asset in renderer.assets():
            files.append(File.generated(config, asset.src_uri, abs_src_path=str(asset.source)))
        return files

    def on_env(self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        if self.cache is not None:  # the theme's templates, compiled once (build_cache.py)
            env.bytecode_cache = self.cache.compiled_templates()
        return env

    def on_page_content(self, html: str, /, *, page: Any, config: MkDocsConfig, files: Files) -> str:
        """Our pages are HTML already: Python-Markdown would only re-parse it (twice, and in
        time that grows faster than the page: a list of thousands of notices took minutes)."""
        body = self.bodies.pop(page.file.src_uri, None)
        return html if body is None else body

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        # `mkdocs serve` run by hand (`portal serve` serves on its own: preview.py): editing a
        # record rebuilds the preview, as editing a page would.
        for folder in (*RECORD_FOLDERS.values(), "site_templates"):
            path = self.root / folder
            if path.is_dir():
                server.watch(str(path))
        return server

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        assert self.portal is not None and self.renderer is not None and self.around_pages is not None
        assert self.record_facts is not None
        site_dir = Path(config.site_dir)
        with self.stages:
            with phase("render"):
                poured = pour_record_pages(
                    self.renderer, site_dir, POURED_FOLDERS, self.cache, self.record_facts
                )
                facts = self.record_facts()
                self.around_pages.records_written(facts.search_shards)
                by_shell = {shell_page(folder).url: urls for folder, urls in poured.items()}
                by_shell |= pour_list_pages(site_dir, self.shell_poured_pages)
                write_sitemap(site_dir, config.site_url or "", self.portal, by_shell, facts.page_days)
            self.around_pages.finish()

    def on_build_error(self, *, error: Exception) -> None:
        # The stages started with the pages are waited for, and whatever they made is dropped
        # with the unfinished site.
        self.stages.close()

    def on_shutdown(self) -> None:
        # Interrupted (MkDocs calls on_build_error for an Exception only): the stages' processes
        # are waited for before the unfinished site is removed (site.py).
        self.stages.close()
