"""Every benchmark, then one table: `python -m bench` (`make bench`; BENCH_QUICK=1: short).

Each benchmark module exposes `run(quick: bool) -> list[dict]`, one dict per measure with
the keys measure, baseline, baseline_value, value, unit, goal, met (None: a measure without
a goal, shown "-"). A benchmark that fails (or has no `run`) gets a row saying so and the
others still run. The exit status is 0 only when every goal is met.
"""

import importlib
import os
import sys
import time
import traceback

# The notices first: the module chooses its media folder before Django's settings load.
BENCHMARKS = ["bench.notices", "bench.imports", "bench.web", "bench.burst"]
COLUMNS = ["measure", "baseline", "value", "ratio", "goal", "met"]


def number(value: float | None, unit: str = "") -> str:
    if value is None:
        return "-"
    figure = f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{figure} {unit}".strip()


def cells(result: dict) -> list[str]:
    unit = result.get("unit", "")
    baseline_value = result.get("baseline_value")
    value = result.get("value")
    baseline = result.get("baseline") or "-"
    if baseline_value is not None:
        baseline = f"{baseline}: {number(baseline_value, unit)}"
    ratio = "-"
    if baseline_value and value is not None:
        ratio = f"{value / baseline_value:.1%}"
    met = result.get("met")
    return [
        str(result.get("measure", "?")),
        baseline,
        number(value, unit) if isinstance(value, int | float) else str(value or "-"),
        ratio,
        str(result.get("goal") or "-"),
        "-" if met is None else "yes" if met else "NO",
    ]


def table(results: list[dict]) -> str:
    rows = [COLUMNS, *[cells(result) for result in results]]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]

    def line(row: list[str]) -> str:
        padded = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        return "| " + " | ".join(padded) + " |"

    rule = "| " + " | ".join("-" * width for width in widths) + " |"
    return "\n".join([line(rows[0]), rule, *[line(row) for row in rows[1:]]])


def failure(name: str, why: str) -> dict:
    return {"measure": name, "baseline": None, "value": why, "goal": "runs", "met": False}


def run_one(name: str, quick: bool) -> list[dict]:
    print(f"\n== {name} ({'quick' if quick else 'full'}) ==", flush=True)
    start = time.perf_counter()
    try:
        module = importlib.import_module(name)
        run = getattr(module, "run", None)
        if run is None:
            return [failure(name, "no run(quick) in the module: not run")]
        results = list(run(quick))
    except (Exception, SystemExit) as error:  # one benchmark failing stops no other
        traceback.print_exc()
        return [failure(name, f"failed: {type(error).__name__}: {error}"[:120])]
    finally:
        print(f"({name}: {time.perf_counter() - start:.0f} s)", flush=True)
    return results or [failure(name, "no measure returned")]


def main() -> int:
    quick = os.environ.get("BENCH_QUICK") == "1"
    results = [result for name in BENCHMARKS for result in run_one(name, quick)]
    print(f"\n{os.cpu_count()} cores, {'quick (BENCH_QUICK=1)' if quick else 'full'} run\n")
    print(table(results))
    return 0 if all(result.get("met", False) is not False for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
