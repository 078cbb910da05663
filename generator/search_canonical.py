"""Pagefind's bundle, rewritten in one order, so that the same site gives the same bytes.

Pagefind writes its filter files and the list of filters in its metadata in hash-map order,
which changes from run to run (upstream issue CloudCannon/pagefind#638); files are named after
their content, so the names, the metadata and `pagefind-entry.json` change too. Everything else
it writes is already stable. Here each filter file's values are sorted, the files renamed after
their new content, and the metadata and entry file rewritten to match.

The files are gzip-compressed `pagefind_dcd` + CBOR (Pagefind's own format, read by its
browser code). Only the order of lists that are sets is changed.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import cbor2

SIGNATURE = b"pagefind_dcd"
# The positions of the fields in Pagefind's metadata (pagefind/src/index/index_metadata.rs).
META_FILTERS = 3


def canonicalise_bundle(bundle: Path) -> None:
    entry_file = bundle / "pagefind-entry.json"
    entry = json.loads(entry_file.read_text(encoding="utf-8"))
    for language, details in entry["languages"].items():
        meta_file = bundle / f"pagefind.{details['hash']}.pf_meta"
        meta = _read(meta_file)
        renamed = {
            old: _rewrite_filter(bundle / "filter", old, language) for _name, old in meta[META_FILTERS]
        }
        meta[META_FILTERS] = sorted([name, renamed[old]] for name, old in meta[META_FILTERS])
        new_hash = f"{language}_{_digest(meta, 10)}"
        meta_file.unlink()
        _write(bundle / f"pagefind.{new_hash}.pf_meta", meta)
        details["hash"] = new_hash
    entry_file.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _rewrite_filter(folder: Path, old_hash: str, language: str) -> str:
    old_file = folder / f"{old_hash}.pf_filter"
    name, values = _read(old_file)
    canonical = [name, sorted([value, sorted(pages)] for value, pages in values)]
    new_hash = f"{language}_{_digest(canonical, 7)}"
    old_file.unlink()
    _write(folder / f"{new_hash}.pf_filter", canonical)
    return new_hash


def _read(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{path}: not a Pagefind file")
    return cbor2.loads(data[len(SIGNATURE) :])


def _write(path: Path, value: Any) -> None:
    path.write_bytes(gzip.compress(SIGNATURE + cbor2.dumps(value), mtime=0))


def _digest(value: Any, length: int) -> str:
    return hashlib.sha256(cbor2.dumps(value)).hexdigest()[:length]
