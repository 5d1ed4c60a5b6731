"""bench/results/latest.json as a Markdown table, with each target of issue 16 checked."""


def _ms(figure: dict | None) -> str:
    if not figure:
        return "–"
    return f"{figure['median_ms']:.1f} / {figure['p95_ms']:.1f}"


def _ratio(a: float | None, b: float | None) -> str:
    return "–" if not a or not b else f"{a / b:.2f}x"


def targets(run: dict) -> list[tuple[str, str, bool | None]]:
    """(target, figure, met) for one backend and size; met is None where it does not apply."""
    p = run["in_process"]
    out = [
        ("25 mi from a city, p95 ≤ 10 ms", f"{p['25 mi, city']['p95_ms']:.1f} ms",
         p["25 mi, city"]["p95_ms"] <= 10),
        ("100 mi, p95 ≤ 40 ms", f"{p['100 mi']['p95_ms']:.1f} ms", p["100 mi"]["p95_ms"] <= 40),
        ("any distance page 1, p95 ≤ 40 ms", f"{p['any distance']['p95_ms']:.1f} ms",
         p["any distance"]["p95_ms"] <= 40),
    ]  # fmt: skip
    html, api = p["results page, 25 mi"]["p95_ms"], p["api, 25 mi (HTML pair)"]["p95_ms"]
    out.append(("HTML results p95 ≤ API p95 + 20 ms", f"+{html - api:.1f} ms", html - api <= 20))
    t, bare = run["throughput"], run["throughput_bare"]
    share = t["rps"] / bare["rps"]
    out.append(
        ("throughput ≥ 25% of bare, 0 failed",
         f"{t['rps']:.0f} / {bare['rps']:.0f} rps = {share:.1%}, {t['failed']} failed",
         share >= 0.25 and t["failed"] == 0)
    )  # fmt: skip
    est = _times(p["100 mi, estimates"], p["100 mi"])
    out.append(("per-result estimates ≤ 1.3x search", f"{est:.2f}x", est <= 1.3))
    cost = _times(p["100 mi, sort=cost"], p["100 mi"])
    out.append(("sort=cost 100 mi ≤ 3x plain 100 mi", f"{cost:.2f}x", cost <= 3))
    any_cost = _times(p["any distance, sort=cost"], p["any distance"])
    out.append(("sort=cost any distance ≤ 3x plain any", f"{any_cost:.2f}x", any_cost <= 3))
    cold = run["cold_start"]["p95_ms"]
    out.append(("cold start < 1.5 s", f"{cold:.0f} ms (p95)", cold < 1500))
    return out


def _times(query: dict, plain: dict) -> float:
    """How many times `plain`'s time `query` takes, both from the same origins: the ratio of
    their sums of each origin's median (run.time_all), or of their medians in a run that
    did not record those."""
    key = "sum_ms" if "sum_ms" in query and "sum_ms" in plain else "median_ms"
    return query[key] / plain[key]


def import_targets(figures_by_layout: dict) -> list[tuple[str, str, bool]]:
    import imports  # the import section's own targets (100k native and SAMHSA, 1M memory)

    return imports.targets(figures_by_layout)


def markdown(results: dict) -> str:
    m = results["machine"]
    lines = [
        "# finder benchmark",
        "",
        f"{m['cores']} cores, Python {m['python']}, SQLite {m['sqlite']}, {m['platform']}; "
        f"one run of `{results['command']}` ({results.get('seconds', '?')} s). Latencies are "
        "median / p95 in ms. A ratio of two queries (estimates, sort=cost) is of their sums "
        "of each origin's median, in process.",
    ]
    for backend, sizes in results["runs"].items():
        for size, run in sizes.items():
            lines += ["", f"## {backend}, {int(size):,} programs", ""]
            lines += ["| query | in-process | HTTP (gunicorn) |", "| --- | --- | --- |"]
            for name, figure in run["in_process"].items():
                lines.append(f"| {name} | {_ms(figure)} | {_ms(run['http'].get(name))} |")
            lines += ["", "| target | figure | met |", "| --- | --- | --- |"]
            for target, figure, met in targets(run):
                lines.append(f"| {target} | {figure} | {'yes' if met else 'NO'} |")
            h, b = run["throughput_html"], run["throughput_bare"]
            lines.append(
                f"\nHTML results and program pages under gunicorn: {h['rps']:.0f} rps "
                f"({h['rps'] / b['rps']:.1%} of bare, {h['failed']} failed). "
                f"Cold start, first ever (builds the ZIP table file): "
                f"{run['cold_start']['first_ever_ms']} ms. Load: {run['load_seconds']} s."
            )
    for backend, figures in results.get("import", {}).items():
        lines += ["", f"## Import on {backend} (`flask --app finder import`)", ""]
        lines += ["| target | figure | met |", "| --- | --- | --- |"]
        for target, figure, met in import_targets(figures):
            lines.append(f"| {target} | {figure} | {'yes' if met else 'NO'} |")
    for backend, sizes in results.get("region", {}).items():
        small, large = min(sizes, key=int), max(sizes, key=int)
        lines += ["", f"## Fixed region, country grown from {int(small):,} to {int(large):,} "
                  f"programs ({backend})", "", "| search | growth of p95 (≤ 1.5x) | met |",
                  "| --- | --- | --- |"]  # fmt: skip
        for name, first in sizes[small].items():
            last = sizes[large][name]
            growth = last["p95_ms"] / first["p95_ms"]
            lines.append(
                f"| {name} | {_ms(first)} → {_ms(last)} ms = {growth:.2f}x | "
                f"{'yes' if growth <= 1.5 else 'NO'} |"
            )
    sqlite, pg = results["runs"].get("sqlite", {}), results["runs"].get("postgresql", {})
    shared = [s for s in sqlite if s in pg]
    if shared:
        lines += ["", "## PostgreSQL against SQLite (search mix p95, in-process)", ""]
        for size in shared:
            a = sqlite[size]["in_process"]["search mix"]["p95_ms"]
            b = pg[size]["in_process"]["search mix"]["p95_ms"]
            lines.append(f"- {int(size):,} programs: {b:.1f} / {a:.1f} ms = {b / a:.2f}x (≤ 1.5x)")
    return "\n".join(lines) + "\n"
