"""The ZIP table is read from the `zipcodes` package once, then from a compact file in the
instance folder, so that a new process answers its first search quickly."""

import pytest

from finder import geo


@pytest.fixture
def table_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(geo, "_table_folder", tmp_path)
    geo._zip_table.cache_clear()
    geo._city_table.cache_clear()
    yield tmp_path
    geo._zip_table.cache_clear()
    geo._city_table.cache_clear()


def test_the_zip_table_is_written_once_and_read_back_the_same(table_folder, monkeypatch):
    built = geo._zip_table()
    (written,) = table_folder.glob("zip-centroids-*.tsv")
    assert built["02139"] == geo.ZipInfo("02139", "Cambridge", "MA", 42.3647, -71.1042)

    geo._zip_table.cache_clear()
    monkeypatch.setattr(geo.zipcodes, "list_all", lambda: pytest.fail("read the package again"))
    assert geo._zip_table() == built
    assert geo.resolve("Cambridge, MA").label == "Cambridge, MA"


def test_a_damaged_table_file_is_built_again(table_folder):
    (table_folder / f"zip-centroids-{geo.zipcodes.__version__}.tsv").write_text("02139\tx\n")
    assert geo.zip_info("02139").city == "Cambridge"
    geo._zip_table.cache_clear()
    assert geo.zip_info("02139").city == "Cambridge"  # from the file written again
