"""`python -m generator` is `portal`: the preview runs its builds this way (preview.py)."""

from generator.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
