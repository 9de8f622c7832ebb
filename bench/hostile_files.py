"""Read every hostile tracker file at the size a hostile user tried, and print what it cost.

    .venv/bin/python bench/hostile_files.py [--scale full|test]

Builds the corpus of tests/recommendations/trackers/hostile.py (`--scale full`, the default: a
row of 13.6 million cells, 12 million shared strings, a million rows, a cell of 190 MB...) and,
as controls, the 15,000-row tracker of bench/import.py as CSV and XLSX. Each file is read and its
rows checked (the import's steps before the database) in a child process of its own whose address
space may grow by at most 500 MB; prints per file its size, its unpacked size (for a workbook),
the outcome and first problem, the seconds and the child's peak resident memory. Targets: at most
30 s and 500 MB for every file.
"""

import argparse
import importlib.util
import io
import os
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scrutiny.settings")
# No database and no server: the settings only need some key with debug off.
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-insecure-key-never-served")


def control_files() -> list[tuple[str, str, bytes]]:
    """The 15,000-row tracker of bench/import.py, as CSV and as XLSX."""
    spec = importlib.util.spec_from_file_location("bench_import", ROOT / "bench" / "import.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [
        ("a 15,000-row tracker (control)", "tracker.csv", module.tracker_file("csv")),
        ("a 15,000-row tracker (control)", "tracker.xlsx", module.tracker_file("xlsx")),
    ]


def unpacked(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return f"{sum(info.file_size for info in archive.infolist()) / 1e6:,.1f} MB"
    except (zipfile.BadZipFile, ValueError):
        return ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=["full", "test"], default="full")
    args = parser.parse_args()

    from tests.recommendations.trackers.hostile import MEMORY_CAP, corpus, read_in_child

    began = time.perf_counter()
    files = [(hostile.id, hostile.name, hostile.data) for hostile in corpus(args.scale)]
    files += control_files()
    print(
        f"Built {len(files)} files in {time.perf_counter() - began:.1f} s; reading each in a child"
    )
    print(f"process capped at {MEMORY_CAP // 2**20} MB more than it starts with.\n")
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as folder:
        paths = []
        for number, (_id, name, data) in enumerate(files):
            path = Path(folder) / f"{number:02d} {name}"
            path.write_bytes(data)
            paths.append(path)
        results = read_in_child(paths)
    print(f"{'file':<44} {'size':>10} {'unpacked':>10} {'outcome':<9} {'s':>6} {'peak RSS':>9}")
    worst_seconds = worst_rss = 0.0
    for (id_, name, data), result in zip(files, results, strict=True):
        seconds = result.get("seconds", 0.0)
        rss = result["peak_rss"] / 2**20
        worst_seconds, worst_rss = max(worst_seconds, seconds), max(worst_rss, rss)
        label = f"{id_}: {name}"
        print(
            f"{label[:44]:<44} {len(data) / 1e3:>8,.0f} KB {unpacked(data):>10} "
            f"{result['outcome']:<9} {seconds:>6.2f} {rss:>6.0f} MB"
        )
        if result.get("problems"):
            print(f"    {result['problems'][0][:150]}")
    print(
        f"\nslowest {worst_seconds:.2f} s, largest peak {worst_rss:.0f} MB "
        "(targets: at most 30 s and 500 MB)"
    )


if __name__ == "__main__":
    main()
