"""The ZIP table is read from the `zipcodes` package once, then from a compact file in the
instance folder, so that a new process answers its first search quickly; a town's point is the
centre of its standard ZIP codes."""

import pytest

from finder import geo


def test_the_zip_table_is_written_once_and_read_back_the_same(table_folder, monkeypatch):
    built = geo._zip_table()
    (written,) = table_folder.glob("zip-centroids-*.tsv")
    assert written.name == f"zip-centroids-{geo.zipcodes.__version__}-v{geo.TABLE_FORMAT}.tsv"
    assert built["02139"] == geo.ZipInfo("02139", "Cambridge", "MA", 42.3647, -71.1042, "STANDARD")
    assert built["02238"].zip_type == "PO BOX" and not built["02238"].standard
    assert built["01002"].other_cities == ("Cushman", "Pelham")  # also accepted for Amherst

    geo._table.cache_clear()
    monkeypatch.setattr(geo.zipcodes, "list_all", lambda: pytest.fail("read the package again"))
    assert geo._zip_table() == built
    assert geo.resolve("Cambridge, MA").label == "Cambridge, MA"


def test_the_town_points_written_are_the_ones_worked_out_from_the_zips(table_folder, monkeypatch):
    built = {geo.resolve(town) for town in ("Boston, MA", "Warren, MA", "St. Paul, MN")}
    geo._table.cache_clear()
    monkeypatch.setattr(geo.zipcodes, "list_all", lambda: pytest.fail("read the package again"))
    read = {geo.resolve(town) for town in ("Boston, MA", "Warren, MA", "Saint Paul, mn")}
    assert read == built and {town.state for town in read} == {"MA", "MN"}


@pytest.mark.parametrize(
    "line",
    [
        "02139\tx\n",
        "02139\tCambridge\tMA\t42.3647\t-71.1042\n",  # format 1: no ZIP type
        "02139\tCambridge\tMA\t42.3647\t-71.1042\tSTANDARD\n",  # format 2: no header, no towns
        f"finder zip table\t{geo.TABLE_FORMAT}\t41000\t29000\n02139\tCambridge\n",  # cut short
        f"finder zip table\t{geo.TABLE_FORMAT}\tmany\t1\nAK\tanchorage\t61.2\t-149.9\tA\n",
    ],
)
def test_a_damaged_or_older_table_file_is_built_again(table_folder, line):
    geo._table_file().write_text(line)
    assert geo.zip_info("02139").city == "Cambridge"
    geo._table.cache_clear()
    assert geo.zip_info("02139").city == "Cambridge"  # from the file written again
    assert geo.zip_info("02139").standard


def test_a_table_built_under_the_old_rule_is_not_read_but_removed(table_folder):
    """Format 1 (no ZIP types, all ZIPs pulled a town's point) was kept under the package's
    version alone: a new rule must not read it."""
    old = table_folder / f"zip-centroids-{geo.zipcodes.__version__}.tsv"
    old.write_text("02108\tBoston\tMA\t42.0\t-70.0\n")
    boston = geo.resolve("Boston, MA")
    assert geo.distance_miles(boston, *DOWNTOWN_BOSTON) < 1
    assert not old.exists() and geo._table_file().exists()


DOWNTOWN_BOSTON = (42.3601, -71.0589)


def test_boston_is_where_its_standard_zips_are_not_in_the_harbour(table_folder):
    boston = geo.resolve("Boston, MA")
    zips = [z for z in geo._zip_table().values() if z.city == "Boston" and z.state == "MA"]
    standard = [z for z in zips if z.standard]
    assert len(standard) == 16 and len(zips) == 37
    assert (boston.latitude, boston.longitude) == pytest.approx(
        (sum(z.latitude for z in standard) / 16, sum(z.longitude for z in standard) / 16)
    )
    # All 37 ZIPs (the old rule) put Boston 1.1 miles from City Hall, 1.5 miles east of the
    # standard ZIPs' centre, pulled by placeholder points in the harbour (42.3389, -70.9196).
    everything = geo.Place(
        sum(z.latitude for z in zips) / 37, sum(z.longitude for z in zips) / 37, "all"
    )
    assert geo.distance_miles(everything, *DOWNTOWN_BOSTON) > 1.05
    assert geo.distance_miles(everything, boston.latitude, boston.longitude) > 1.45
    assert geo.distance_miles(boston, *DOWNTOWN_BOSTON) < 0.85
    assert boston.label == "Boston, MA" and boston.state == "MA"


def test_a_town_without_a_standard_zip_falls_back_to_all_its_zips(table_folder):
    warren = geo.zip_info("01083")
    assert warren.zip_type == "PO BOX"
    place = geo.resolve("Warren, MA")
    assert (place.latitude, place.longitude) == (warren.latitude, warren.longitude)


def test_a_towns_point_counts_po_box_and_unique_zips_only_without_a_standard_one():
    def zip_at(lon, zip_type):
        return geo.ZipInfo("00000", "Town", "ST", 40.0, lon, zip_type)

    mixed = [zip_at(-70.0, "STANDARD"), zip_at(-72.0, "STANDARD"), zip_at(-60.0, "PO BOX")]
    assert geo.town_point(mixed) == (40.0, -71.0)
    assert geo.town_point([*mixed, zip_at(-50.0, "UNIQUE"), zip_at(0.0, "MILITARY")]) == (
        40.0,
        -71.0,
    )
    assert geo.town_point([zip_at(-60.0, "PO BOX"), zip_at(-62.0, "UNIQUE")]) == (40.0, -61.0)


def test_every_zip_and_town_is_found_by_its_key_and_nothing_else(table_folder):
    zips, towns = geo._zip_table(), geo._city_table()
    assert len(zips) > 40_000 and all(zips[z].zip == z for z in zips)
    assert len(towns) > 25_000 and all(towns[t].state == t[:2] for t in towns)
    assert geo.zip_info("00000") is None and geo.zip_info("99999") is None
    assert "MA\tcambridge" in towns and "MA\tcambridg" not in towns
    with pytest.raises(geo.PlaceNotFound):
        geo.resolve("Cambridg, MA")
