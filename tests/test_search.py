"""Search by place, radius and filters: what a visitor gets back, checked independently."""

import html
import math
import re

import pytest
from geopy.distance import great_circle

CAMBRIDGE = (42.3647, -71.1042)  # the 02139 ZIP centroid


def haversine_miles(a, b):
    """An independent great-circle distance on geopy's sphere (6371.009 km)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.009 * math.asin(math.sqrt(h)) / 1.609344


def point_at(miles, bearing, origin=CAMBRIDGE):
    p = great_circle(miles=miles).destination(origin, bearing)
    return p.latitude, p.longitude


def ids(response):
    return [r["id"] for r in response.get_json()["results"]]


def api(client, **params):
    return client.get("/api/facilities", query_string=params)


def test_radius_keeps_exactly_the_programs_inside_it(client, add_program):
    placed = {}
    for i, (miles, bearing) in enumerate(
        [
            (0.5, 10),
            (4.9, 80),
            (5.1, 170),
            (9.8, 260),
            (10.3, 300),
            (24.0, 45),
            (26.0, 135),
            (80, 200),
        ]
    ):
        lat, lon = point_at(miles, bearing)
        placed[add_program(latitude=lat, longitude=lon, name=f"P{i}")] = (lat, lon)
    for radius in (5, 10, 25, 50, 100):
        expected = {k for k, p in placed.items() if haversine_miles(CAMBRIDGE, p) <= radius}
        response = api(client, near="42.3647,-71.1042", radius=radius, per_page=100)
        assert set(ids(response)) == expected, radius
        assert response.get_json()["total"] == len(expected), radius
    everything = ids(api(client, near="42.3647,-71.1042", radius="any", per_page=100))
    assert set(everything) == set(placed)


def test_a_program_exactly_at_the_radius_is_inside(client, add_program):
    lat, lon = point_at(10, 33)
    edge = add_program(latitude=lat, longitude=lon)
    assert ids(api(client, near="42.3647,-71.1042", radius=10)) == [edge]
    # Half a metre either side of the edge: closer than the spatial index's own rounding.
    add_program(latitude=point_at(10.0003, 200)[0], longitude=point_at(10.0003, 200)[1])
    inside = add_program(latitude=point_at(9.9997, 100)[0], longitude=point_at(9.9997, 100)[1])
    response = api(client, near="42.3647,-71.1042", radius=10)
    assert set(ids(response)) == {edge, inside} and response.get_json()["total"] == 2


@pytest.mark.parametrize("latitude", [0.0, 64.8, 71.2])
def test_large_radii_are_right_far_north_too(client, add_program, latitude):
    origin = (latitude, -150.0)
    inside = []
    for bearing in (0, 60, 90, 120, 270):
        lat, lon = point_at(499, bearing, origin)
        inside.append(add_program(latitude=lat, longitude=lon))
    lat, lon = point_at(501, 90, origin)
    outside = add_program(latitude=lat, longitude=lon)
    got = ids(api(client, near=f"{latitude},-150", radius=500, per_page=100))
    assert set(got) == set(inside) and outside not in got


@pytest.mark.parametrize("origin", [(52.0, -178.0), (52.0, 178.0), (85.0, 10.0), (-85.0, 10.0)])
def test_circles_across_the_antimeridian_or_around_a_pole_find_every_program(
    client, add_program, origin
):
    placed = {}
    for miles, bearing in [(100, 270), (200, 90), (300, 0), (400, 180), (499, 250), (501, 80)]:
        lat, lon = point_at(miles, bearing, origin)
        placed[add_program(latitude=lat, longitude=lon)] = haversine_miles(origin, (lat, lon))
    near = f"{origin[0]},{origin[1]}"
    inside = sorted((i for i in placed if placed[i] <= 500), key=placed.get)
    response = api(client, near=near, radius=500, per_page=100)
    assert ids(response) == inside and response.get_json()["total"] == len(inside)
    # Nearest first at any distance, a page at a time: the widening box crosses the line too.
    pages = [ids(api(client, near=near, radius="any", per_page=2, page=n)) for n in (1, 2, 3)]
    assert sum(pages, []) == sorted(placed, key=placed.get)


def test_results_are_nearest_first_then_by_name_then_id(client, add_program):
    far = add_program(name="Alpha", latitude=point_at(3, 0)[0], longitude=point_at(3, 0)[1])
    b = add_program(name="Bravo", id="b-2")
    a2 = add_program(name="Alpha", id="z-9")
    a1 = add_program(name="Alpha", id="a-1")
    response = api(client, near="02139")
    assert ids(response) == [a1, a2, b, far]
    distances = [r["distance_miles"] for r in response.get_json()["results"]]
    assert distances == sorted(distances) and distances[-1] == 3.0


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"payment": "medicaid"}, {"medicaid", "both"}),
        ({"payment": "medicaid,sliding_fee"}, {"medicaid", "sliding", "both"}),
        ({"payment": ["medicaid", "sliding_fee"]}, {"medicaid", "sliding", "both"}),
        ({"payment": "free"}, set()),
        ({"payment": "medicaid", "setting": "inpatient"}, {"both"}),
        ({"setting": "inpatient"}, {"both", "neither"}),
        ({"setting": "inpatient,outpatient"}, {"medicaid", "sliding", "both", "neither"}),
        ({"care": "residential_long"}, {"both"}),
        ({"medication": "naltrexone"}, {"medicaid", "sliding"}),
        ({"medication": "naltrexone_xr"}, {"sliding"}),
        ({"medication": "methadone", "payment": "sliding_fee"}, {"both"}),
        ({"medication": "methadone", "payment": "cash"}, set()),
        ({"age": "adolescents"}, {"neither"}),
        ({"language": "es,vi"}, {"medicaid", "both"}),
        ({"special": "veterans", "language": "es"}, {"medicaid"}),
    ],
)
def test_filters_are_or_within_and_and_across(client, add_program, params, expected):
    made = {
        "medicaid": add_program(
            payments=["medicaid"], medications=["naltrexone_oral"], languages=["es"],
            specials=["veterans"],
        ),
        "sliding": add_program(payments=["sliding_fee", "cash"], medications=["naltrexone_xr"]),
        "both": add_program(
            payments=["medicaid", "sliding_fee"], care_levels=["residential_long"],
            languages=["vi"], medications=["methadone"],
        ),
        "neither": add_program(
            payments=["private_insurance"], care_levels=["detox_inpatient"], ages=["adolescents"]
        ),
    }  # fmt: skip
    got = set(ids(api(client, near="02139", **params)))
    assert got == {made[name] for name in expected}


def test_inactive_and_mental_health_only_programs_are_not_found(client, add_program):
    shown = add_program()
    add_program(active=False)
    add_program(substance_use=False)
    assert ids(api(client, near="02139")) == [shown]


def test_pages_hold_twenty_and_a_page_past_the_end_is_empty(client, add_program):
    made = [add_program(name=f"Program {i:02d}") for i in range(45)]
    first = api(client, near="02139").get_json()
    assert (first["total"], first["page"], first["per_page"], len(first["results"])) == (
        45, 1, 20, 20,
    )  # fmt: skip
    third = api(client, near="02139", page=3).get_json()
    assert [r["id"] for r in third["results"]] == made[40:]
    past = api(client, near="02139", page=4)
    assert past.status_code == 200 and past.get_json()["results"] == []
    assert len(ids(api(client, near="02139", per_page=100))) == 45
    beyond = client.get("/search", query_string={"near": "02139", "page": 4})
    assert beyond.status_code == 200 and "past the last one" in beyond.text


@pytest.mark.parametrize(
    "near, label",
    [
        ("02139", "02139 (Cambridge, MA)"),
        ("02139-4307", "02139 (Cambridge, MA)"),
        ("42.3647,-71.1042", "42.3647, -71.1042"),
        (" 42.3647 , -71.1042 ", "42.3647, -71.1042"),
        ("Cambridge, MA", "Cambridge, MA"),
        ("cambridge,ma", "Cambridge, MA"),
    ],
)
def test_every_location_form_resolves_offline(client, near, label):
    body = api(client, near=near).get_json()
    assert body["origin"]["label"] == label
    assert haversine_miles((body["origin"]["lat"], body["origin"]["lon"]), CAMBRIDGE) < 3


def test_a_town_resolves_to_the_mean_of_its_standard_zip_centroids(client):
    import zipcodes

    zips = [
        z
        for z in zipcodes.filter_by(city="Cambridge", state="MA")
        if z["zip_code_type"] == "STANDARD"
    ]
    body = api(client, near="Cambridge, MA").get_json()
    assert body["origin"]["lat"] == pytest.approx(sum(float(z["lat"]) for z in zips) / len(zips))
    assert body["origin"]["lon"] == pytest.approx(sum(float(z["long"]) for z in zips) / len(zips))


@pytest.mark.parametrize(
    "params, field",
    [
        ({}, "near"),
        ({"near": ""}, "near"),
        ({"near": "00000"}, "near"),
        ({"near": "99999"}, "near"),
        ({"near": "Atlantis, ZZ"}, "near"),
        ({"near": "abc"}, "near"),
        ({"near": "95.0,10"}, "near"),
        ({"near": "02139", "radius": "abc"}, "radius"),
        ({"near": "02139", "radius": "-5"}, "radius"),
        ({"near": "02139", "radius": "0"}, "radius"),
        ({"near": "02139", "radius": "501"}, "radius"),
        ({"near": "02139", "radius": "1e309"}, "radius"),
        ({"near": "02139", "radius": "nan"}, "radius"),
        ({"near": "02139", "page": "0"}, "page"),
        ({"near": "02139", "page": "-1"}, "page"),
        ({"near": "02139", "page": "two"}, "page"),
        ({"near": "02139", "page": "9" * 40}, "page"),
        ({"near": "02139", "per_page": "0"}, "per_page"),
        ({"near": "02139", "per_page": "101"}, "per_page"),
        ({"near": "02139", "payment": "bitcoin"}, "payment"),
        ({"near": "02139", "setting": "outdoors"}, "setting"),
        ({"near": "02139", "care": "spa"}, "care"),
        ({"near": "02139", "medication": "aspirin"}, "medication"),
        ({"near": "02139", "age": "toddlers"}, "age"),
        ({"near": "02139", "language": "klingon"}, "language"),
        ({"near": "02139", "special": "vip"}, "special"),
        ({"near": "02139", "care": "mental_health"}, "care"),
        ({"near": "02139", "telehealth": "yes"}, "telehealth"),
        ({"near": "02139", "telehealth": "1"}, "telehealth"),
        ({"near": "02139", "telehealth": "true,false"}, "telehealth"),
        ({"near": "02139", "telehealth": "\u200btrue"}, "telehealth"),
    ],
)
def test_bad_input_is_a_400_with_a_message_never_a_500(client, params, field):
    response = api(client, **params)
    assert response.status_code == 400
    body = response.get_json()
    assert body["field"] == field and len(body["error"]) > 10
    page = client.get("/search", query_string=params)
    assert page.status_code == 400
    assert body["error"] in html.unescape(page.text)


def test_an_unknown_place_lists_the_accepted_forms(client):
    page = client.get("/search?near=Nowhere")
    assert page.status_code == 400
    assert "5-digit ZIP code" in page.text and "Cambridge, MA" in page.text


def test_html_and_api_agree(client, add_program):
    for i in range(30):
        lat, lon = point_at(0.3 * i, 37 * i)
        add_program(latitude=lat, longitude=lon, payments=["medicaid" if i % 2 else "cash"])
    params = {"near": "02139", "radius": "10", "payment": "medicaid", "page": "1"}
    api_ids = ids(api(client, **params))
    page = client.get("/search", query_string=params).text
    html_ids = re.findall(r'<h2><a href="/facilities/([^"]+)"', page)
    assert html_ids == api_ids and len(api_ids) > 5
    distances = re.findall(r"<p class=\"distance\">([\d.]+) miles away", page)
    assert distances == [
        f"{r['distance_miles']:.1f}" for r in api(client, **params).json["results"]
    ]


def test_no_results_offers_the_next_larger_radius_with_its_count(client, add_program):
    lat, lon = point_at(30, 90)
    add_program(latitude=lat, longitude=lon)
    add_program(latitude=lat, longitude=lon)
    page = client.get("/search?near=02139&radius=10")
    assert "No program matches" in page.text
    assert "Search within 50 miles" in page.text and "2 programs" in page.text


def test_distance_is_rounded_half_up_to_a_tenth(client, add_program):
    from finder.geo import round_miles

    assert str(round_miles(2.25)) == "2.3" and str(round_miles(2.249999)) == "2.2"
    lat, lon = point_at(1.25, 0)
    add_program(latitude=lat, longitude=lon)
    miles = api(client, near="42.3647,-71.1042").get_json()["results"][0]["distance_miles"]
    assert miles in (1.2, 1.3) and miles == float(
        round_miles(haversine_miles(CAMBRIDGE, (lat, lon)))
    )


def test_the_online_geocoder_is_off_unless_configured_and_failures_are_not_found():
    from geopy.exc import GeocoderUnavailable

    from finder.geo import PlaceNotFound, online_geocoder, resolve

    assert online_geocoder({"GEOCODER": None}) is None

    class Down:
        def geocode(self, *args, **kwargs):
            raise GeocoderUnavailable("no network")

    class Found:
        def geocode(self, text, **kwargs):
            return type("Location", (), {"latitude": 1.0, "longitude": 2.0, "address": text})

    with pytest.raises(PlaceNotFound):
        resolve("1 Main Street, Springfield", Down())
    assert resolve("1 Main Street, Springfield", Found()).latitude == 1.0
    assert resolve("02139", Down()).state == "MA"  # offline forms never reach the geocoder


def test_any_distance_pages_are_the_full_ranking_cut_into_pages(client, add_program):
    # Spread from next door to across the country: the widening box must give the same pages
    # as ranking every program.
    placed = {
        add_program(latitude=lat, longitude=lon): haversine_miles(CAMBRIDGE, (lat, lon))
        for lat, lon in [point_at(2.0**k, 37 * k) for k in range(12)]
        + [(34.05, -118.24), (61.2, -149.9), (21.3, -157.8), (25.77, -80.19)]
    }
    expected = sorted(placed, key=placed.get)
    pages = [ids(api(client, near="02139", radius="any", per_page=3, page=n)) for n in (1, 2, 6)]
    assert pages == [expected[0:3], expected[3:6], expected[15:16]]
    assert api(client, near="02139", radius="any", per_page=3).get_json()["total"] == len(placed)
    # and within a radius, the same programs in the same order
    within = [i for i in expected if placed[i] <= 300]
    assert ids(api(client, near="02139", radius="300", per_page=100)) == within


def test_the_spatial_index_follows_every_write_to_the_table(app, client, add_program):
    """Rows written by plain SQL (as a set-based importer writes them) are found where they
    are: the index is kept by the database, not by the code that writes."""
    from sqlalchemy import text

    from finder.db import db

    moved = add_program()
    gone = add_program()
    hidden = add_program()
    far = point_at(300, 90)
    with app.app_context():
        db.session.execute(text("UPDATE program SET active = false WHERE id = :id"), {"id": hidden})
        db.session.execute(
            text("UPDATE program SET latitude = :lat, longitude = :lon WHERE id = :id"),
            {"lat": far[0], "lon": far[1], "id": moved},
        )
        db.session.execute(text("DELETE FROM program_feature WHERE program_id = :id"), {"id": gone})
        db.session.execute(text("DELETE FROM program WHERE id = :id"), {"id": gone})
        db.session.execute(
            text(
                "INSERT INTO program (id, name, name2, street, street2, city, state, zip, "
                "latitude, longitude, location_approximate, phone, intake_phone, website, "
                "sliding_fee_schedule, substance_use, source, verified_on, active, created_at, "
                "updated_at) VALUES ('raw-1', 'Raw', '', '', '', 'Cambridge', 'MA', '02139', "
                ":lat, :lon, false, '', '', '', '', true, 'finder', '2026-10-01', true, "
                "'2026-10-01', '2026-10-01')"
            ),
            {"lat": CAMBRIDGE[0], "lon": CAMBRIDGE[1]},
        )
        db.session.commit()
    assert ids(api(client, near="02139", radius="10")) == ["raw-1"]
    assert api(client, near="02139", radius="10").get_json()["total"] == 1
    assert ids(api(client, near="02139", radius="any")) == ["raw-1", moved]
    assert ids(api(client, near=f"{far[0]:.6f}, {far[1]:.6f}", radius="5")) == [moved]


RESIDENTIAL = ("residential", "residential_short", "residential_long")


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"care": "residential"}, {"residential", "residential_short", "residential_long"}),
        ({"care": "residential_short"}, {"residential_short"}),
        ({"care": "residential_long"}, {"residential_long"}),
        ({"care": "residential,outpatient"}, set(RESIDENTIAL) | {"outpatient"}),
        ({"setting": "inpatient"}, set(RESIDENTIAL) | {"detox_inpatient"}),
        ({"setting": "outpatient"}, {"outpatient"}),
        ({"medication": "naltrexone"}, {"naltrexone", "naltrexone_oral", "naltrexone_xr"}),
        ({"medication": "naltrexone_oral"}, {"naltrexone_oral"}),
        ({"medication": "naltrexone_xr"}, {"naltrexone_xr"}),
        ({"medication": "naltrexone_xr,methadone"}, {"naltrexone_xr", "methadone"}),
    ],
)
def test_a_group_matches_its_tokens_and_a_specific_token_only_itself(
    client, add_program, params, expected
):
    made = {
        level: add_program(care_levels=[level])
        for level in (*RESIDENTIAL, "detox_inpatient", "outpatient")
    }
    made |= {
        drug: add_program(care_levels=[], medications=[drug])
        for drug in ("naltrexone", "naltrexone_oral", "naltrexone_xr", "methadone")
    }
    got = set(ids(api(client, near="02139", **params)))
    assert got == {made[name] for name in expected}


@pytest.mark.parametrize(
    "params",
    [
        {"care": "residential"},
        {"care": "hospital_inpatient"},
        {"care": "partial_hospitalization"},
        {"care": "outpatient"},
        {"setting": "inpatient"},
        {"setting": "outpatient"},
    ],
)
def test_mental_health_care_never_matches_a_care_or_setting_filter(client, add_program, params):
    every_setting = ["hospital_inpatient", "residential", "partial_hospitalization", "outpatient"]
    mh_only_settings = add_program(care_levels=[], mental_health_care=every_setting)
    assert ids(api(client, near="02139", **params)) == []
    assert ids(api(client, near="02139")) == [mh_only_settings]


def test_telehealth_true_keeps_only_programs_offering_it_and_false_restricts_nothing(
    client, add_program
):
    online = add_program(telehealth=True, payments=["medicaid"])
    online_cash = add_program(telehealth=True, payments=["cash"])
    offline = add_program(telehealth=False, payments=["medicaid"])
    for value in ("true", "TRUE", " true "):
        response = api(client, near="02139", telehealth=value)
        assert set(ids(response)) == {online, online_cash}
        assert response.json["total"] == 2
    assert set(ids(api(client, near="02139", telehealth="false"))) == {
        online,
        online_cash,
        offline,
    }
    assert ids(api(client, near="02139", telehealth="")) == ids(api(client, near="02139"))
    both = api(client, near="02139", telehealth="true", payment="medicaid")
    assert ids(both) == [online] and both.json["total"] == 1
    page = client.get("/search", query_string={"near": "02139", "telehealth": "true"}).text
    assert "2 programs within 25 miles" in " ".join(page.split())
    assert set(re.findall(r'<h2><a href="/facilities/([^"]+)"', page)) == {online, online_cash}


@pytest.mark.parametrize("radius", ["5", "any"])
def test_a_telehealth_count_counts_only_telehealth_programs(client, add_program, radius):
    for i in range(12):
        lat, lon = point_at(0.2 * i, 29 * i)
        add_program(latitude=lat, longitude=lon, telehealth=i % 3 == 0)
    response = api(client, near="02139", radius=radius, telehealth="true")
    assert response.json["total"] == 4 == len(ids(response))
    empty = api(client, near="02139", radius="1", telehealth="true", care="residential")
    assert empty.json["total"] == 0
    page = client.get("/search", query_string={"near": "02139", "telehealth": "true"})
    assert "4 programs within 25 miles" in " ".join(page.text.split())


def form_labels(page: str, name: str) -> list[str]:
    """The labels of the checkboxes named `name` in a search form, in order."""
    pattern = rf'<input[^>]*name="{name}"[^>]*value="([^"]+)"[^>]*>\s*<label[^>]*>([^<]*)</label>'
    return [html.unescape(label) for _, label in re.findall(pattern, page)]


def test_the_search_form_lists_each_choice_once(client):
    page = client.get("/").text
    medications = form_labels(page, "medication")
    assert medications == [
        "Methadone",
        "Buprenorphine",
        "Naltrexone (any form)",
        "Naltrexone (oral)",
        "Naltrexone (extended-release injection)",
    ]
    care = form_labels(page, "care")
    assert care.count("Residential (any length)") == 1 and len(care) == len(set(care))
    assert "Residential (length not stated)" not in care
    assert 'value="residential"' in page and 'value="naltrexone"' in page


def test_the_search_form_has_a_telehealth_checkbox_kept_across_searches(client, add_program):
    add_program(telehealth=True)
    box = re.compile(r'<input[^>]*name="telehealth"[^>]*>')
    unticked = box.search(client.get("/").text).group(0)
    assert 'type="checkbox"' in unticked and 'value="true"' in unticked
    assert "checked" not in unticked
    assert "Offers telehealth therapy</label>" in client.get("/").text
    results = client.get("/search?near=02139&telehealth=true").text
    assert "checked" in box.search(results).group(0)
    posted = client.post("/search", data={"near": "02139", "telehealth": "true"})
    assert posted.status_code == 303 and "telehealth=true" in posted.location
