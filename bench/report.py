"""The result table: printed, and written to bench/results/latest.json and latest.md."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

PASS, FAIL, INFO, SKIP = "PASS", "FAIL", "info", "not measured"
HEADERS = ("scenario", "fakecampaign", "baseline", "ratio", "target", "pass/fail")


@dataclass(frozen=True)
class Row:
    scenario: str
    fakecampaign: str
    baseline: str = "-"
    ratio: str = "-"
    target: str = "-"
    status: str = INFO

    def cells(self) -> tuple[str, ...]:
        return (self.scenario, self.fakecampaign, self.baseline, self.ratio, self.target, self.status)


def verdict(ok: bool) -> str:
    return PASS if ok else FAIL


def text_table(rows: list[Row]) -> str:
    cells = [HEADERS, *(r.cells() for r in rows)]
    widths = [max(len(c[i]) for c in cells) for i in range(len(HEADERS))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown(rows: list[Row], machine: dict[str, str], notes: list[str]) -> str:
    def line(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    out = [
        f"Measured {machine['date']} on {machine['summary']}.",
        "",
        line(HEADERS),
        "|" + "---|" * len(HEADERS),
        *(line(r.cells()) for r in rows),
    ]
    if notes:
        out += ["", *(f"- {n}" for n in notes)]
    return "\n".join(out) + "\n"


def write(
    directory: Path,
    rows: list[Row],
    machine: dict[str, str],
    options: dict[str, Any],
    raw: dict[str, Any],
    notes: list[str],
) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    json_path, md_path = directory / "latest.json", directory / "latest.md"
    doc = {"machine": machine, "options": options, "rows": [asdict(r) for r in rows], "notes": notes, "raw": raw}
    json_path.write_text(json.dumps(doc, indent=1, default=str) + "\n")
    md_path.write_text(markdown(rows, machine, notes))
    return json_path, md_path
