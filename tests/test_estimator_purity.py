"""The estimator stays a pure core: standard library only, reference facts with sources."""

import ast
import csv
import sys
from pathlib import Path

import finder.estimator as estimator_package
from finder.estimator import aca_oop_limit, national_prices
from finder.estimator.reference import medicare_years, poverty_tables, rule_sources, states

PACKAGE = Path(estimator_package.__file__).parent


def imported_modules(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield 0, alias.name
        elif isinstance(node, ast.ImportFrom):
            yield node.level, node.module or ""


def test_the_estimator_imports_only_the_standard_library_and_itself():
    sources = sorted(PACKAGE.rglob("*.py"))
    assert len(sources) > 5
    offenders = [
        f"{path.name}: {module}"
        for path in sources
        for level, module in imported_modules(path)
        if level == 0 and module.split(".")[0] not in sys.stdlib_module_names
    ]
    assert offenders == []


def test_relative_imports_stay_inside_the_package():
    for path in PACKAGE.rglob("*.py"):
        depth = len(path.relative_to(PACKAGE).parts)  # 1 for a module at the package root
        for level, _ in imported_modules(path):
            assert level <= depth, f"{path.name} imports from outside finder.estimator"


def test_every_reference_row_has_a_value_a_year_and_a_source():
    for path in (PACKAGE / "data").glob("*.csv"):
        rows = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
        assert rows, path.name
        for row in rows:
            assert all(value is not None for value in row.values()), (path.name, row)
            if path.name != "states.csv":
                citation = row.get("source") or row.get("citation")
                assert citation and len(citation) > 20, (path.name, row)


def test_reference_figures_match_costs_md():
    prices = national_prices()
    assert (prices["methadone"].typical, prices["methadone"].unit) == (12600, "week")
    assert (prices["buprenorphine"].typical, prices["buprenorphine"].unit) == (11500, "week")
    assert (prices["naltrexone_xr"].typical, prices["naltrexone_xr"].unit) == (117650, "dose")
    assert "naltrexone" not in prices and "naltrexone_oral" not in prices
    # Residential care of unstated length: the range that spans short and long stays.
    for bound in ("low", "typical", "high"):
        assert (
            getattr(prices["residential"], bound)
            == getattr(prices["residential_short"], bound)
            == getattr(prices["residential_long"], bound)
        )
    assert (prices["residential"].low, prices["residential"].high) == (35700, 75800)
    assert {source.year for source in prices["residential"].sources} == {"2019-2020"}
    assert (prices["detox_inpatient"].low, prices["detox_inpatient"].high) == (60000, 100000)
    assert {source.year for source in prices["methadone"].sources} == {"FY2016-2017"}
    assert medicare_years()[2026].part_a_day_61_90 == 43400
    assert medicare_years()[2025].part_a_day_61_90 == 41900
    assert medicare_years()[2026].part_b_deductible == 28300
    assert aca_oop_limit(2025).self_only_cents == 920000
    assert aca_oop_limit(2026).self_only_cents == 1060000
    assert aca_oop_limit(2030).plan_year == 2027
    assert len(poverty_tables()) == 6
    assert len(states()) == 56
    assert "nida_duration" in rule_sources()


def test_secondary_figures_keep_their_label():
    statuses = [source.status for price in national_prices().values() for source in price.sources]
    assert sum(status.startswith("SECONDARY") for status in statuses) == 14
    assert all(t.source.status == "SECONDARY" for t in poverty_tables() if t.year == 2025)
