"""The failures a user can meet, as opposed to bugs: invalid records, a tool that failed, and a
command given a value it cannot take."""

from __future__ import annotations

# `portal`'s exit statuses: valid, invalid records (or warnings under --strict), a tool failed;
# and stopped by Ctrl+C, as shells report it (128 + SIGINT).
EXIT_OK, EXIT_INVALID, EXIT_TOOL, EXIT_INTERRUPTED = 0, 1, 2, 130


class InvalidRecords(Exception):
    """The records do not pass the check; `report` is what `portal check` prints."""

    def __init__(self, report: str) -> None:
        super().__init__("invalid records")
        self.report = report


class ToolFailed(Exception):
    """An outside tool (MkDocs, Pagefind) failed: say which command and show the tail of its output."""

    def __init__(self, stage: str, command: str, output: str) -> None:
        tail = "\n".join(output.strip().splitlines()[-20:])
        super().__init__(f"{stage} 阶段失败 (stage failed): {command}\n{tail}")
        self.stage = stage
        self.command = command
        self.output = output

    def __reduce__(self) -> tuple[type[ToolFailed], tuple[str, str, str]]:
        return (type(self), (self.stage, self.command, self.output))


class StageFailed(Exception):
    """A build stage (feeds, data files, search index) failed; the previous site is kept."""

    def __init__(self, stage: str, detail: str) -> None:
        super().__init__(f"{stage}: {detail}")
        self.stage = stage
        self.detail = detail

    def __reduce__(self) -> tuple[type[StageFailed], tuple[str, str]]:
        # Raised in a forked process (forked.py), it travels back pickled.
        return (type(self), (self.stage, self.detail))


class InvalidArgument(ValueError):
    """A command-line option or environment variable holds a value the command cannot take:
    the message says, in Chinese and English, what to write."""
