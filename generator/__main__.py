"""`python -m generator` is `portal`: the preview runs its builds this way (preview.py), each in a
session of its own, and stops one with SIGTERM, heard here as Ctrl+C: the build deletes its
unfinished site as it stops. (Before this line runs, SIGTERM ends the interpreter in silence,
with nothing written yet to delete.)"""

import signal
from types import FrameType

from generator.cli import run


def _stop(signal_number: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _stop)
    run()
