"""Shared helpers of the bench/ scripts: finding codeworm-bench, running it, reading sources."""

import glob
import os
import shutil
import subprocess
import sys

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_DIR = os.path.dirname(BENCH_DIR)

# Folder names under a --all root and the CodeWorm languages measured in each.
ALL_LANGUAGES = ["python", "c", "cpp", "go", "rust", "java", "javascript", "typescript", "tsx"]


def find_bench(explicit=None):
    """codeworm-bench: --bench, $CODEWORM_BENCH, the newest build*/bench/ of this checkout, PATH."""
    candidates = [explicit, os.environ.get("CODEWORM_BENCH")]
    built = glob.glob(os.path.join(REPO_DIR, "build*", "bench", "codeworm-bench"))
    candidates += sorted(built, key=os.path.getmtime, reverse=True)
    candidates.append(shutil.which("codeworm-bench"))
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    sys.exit("codeworm-bench not found: build it (scripts/build) or pass --bench PATH")


def run_bench(bench, mode, folder):
    """Rows of a TSV mode of codeworm-bench, each a list of fields."""
    result = subprocess.run([bench, mode, folder], check=True, capture_output=True, text=True,
                            errors="replace")
    return [line.split("\t") for line in result.stdout.splitlines() if line]


def language_pairs(args):
    """(language, folder) pairs from --lang/--path, LANG=DIR arguments and --all ROOT."""
    pairs = []
    if args.lang or args.path:
        if not (args.lang and args.path):
            sys.exit("--lang and --path go together")
        pairs.append((args.lang, args.path))
    for pair in args.pairs:
        if "=" not in pair:
            sys.exit(f"expected LANG=DIR, got {pair!r}")
        language, folder = pair.split("=", 1)
        pairs.append((language, folder))
    if args.all:
        for language in args.languages or ALL_LANGUAGES:
            folder = os.path.join(args.all, language)
            if os.path.isdir(folder):
                pairs.append((language, folder))
            else:
                print(f"skipping {language}: no folder {folder}", file=sys.stderr)
    if not pairs:
        sys.exit("nothing to measure: give --lang L --path DIR, LANG=DIR or --all ROOT")
    return pairs


class SourceLines:
    """Lines of the files under one folder, read on demand for mismatch examples."""

    def __init__(self, folder):
        self.folder = folder
        self.cache = {}

    def lines(self, path):
        if path not in self.cache:
            try:
                with open(os.path.join(self.folder, path), encoding="utf-8",
                          errors="replace") as handle:
                    self.cache[path] = handle.read().split("\n")
            except OSError:
                self.cache[path] = []
        return self.cache[path]

    def line(self, path, number):
        lines = self.lines(path)
        return lines[number - 1].strip() if 0 < number <= len(lines) else ""


def table(headers, rows):
    """A Markdown table, so results paste into notes as they are."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows)]
    def line(cells):
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"
    return "\n".join([line(headers), line(["-" * w for w in widths])] + [line(r) for r in rows])


def percent(part, whole):
    return f"{100.0 * part / whole:.1f}%" if whole else "n/a"
