"""Generate the fictional demo directory `data/programs.csv` (format: docs/csv-format.md).

Every program is invented ("Demo: ... (fictional)", 555-01xx phones, example.org websites,
"Demo Street" addresses) and placed at a real ZIP centroid from the offline `zipcodes` package.
The output is deterministic (seeded), so running it twice gives the same bytes:

    .venv/bin/python scripts/make_demo_data.py > data/programs.csv
    .venv/bin/python scripts/make_demo_data.py data/programs.csv
"""

import csv
import datetime
import random
import sys
from collections import defaultdict
from pathlib import Path

import zipcodes
from geopy.distance import great_circle

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from finder import vocab  # noqa: E402
from finder.importer import native  # noqa: E402

SEED = 20261125
TOTAL = 1280  # programs spread over the states by population, before the Boston cluster
BOSTON_EXTRA = 18  # extra programs in 021xx ZIPs near Cambridge, for demos and tests there
CAMBRIDGE = (42.3647, -71.1042)  # ZIP 02139
BOSTON_PAYMENTS = [  # cycled over the cluster: some Medicaid, some sliding fee, some neither
    "cash;private_insurance;medicaid;medicare", "cash;sliding_fee", "cash;private_insurance",
    "medicaid;state_financed;sliding_fee;payment_assistance", "cash;private_insurance;tricare",
    "cash;private_insurance;medicaid",
]  # fmt: skip
LAST_DAY = datetime.date(2026, 10, 31)  # verified_on dates fall in the two years up to this day

# 2020 census population in millions: weights for spreading programs over the states and DC.
POPULATION = {
    "CA": 39.5, "TX": 29.1, "FL": 21.5, "NY": 20.2, "PA": 13.0, "IL": 12.8, "OH": 11.8,
    "GA": 10.7, "NC": 10.4, "MI": 10.1, "NJ": 9.3, "VA": 8.6, "WA": 7.7, "AZ": 7.2, "MA": 7.0,
    "TN": 6.9, "IN": 6.8, "MD": 6.2, "MO": 6.2, "WI": 5.9, "CO": 5.8, "MN": 5.7, "SC": 5.1,
    "AL": 5.0, "LA": 4.7, "KY": 4.5, "OR": 4.2, "OK": 4.0, "CT": 3.6, "UT": 3.3, "IA": 3.2,
    "NV": 3.1, "AR": 3.0, "MS": 3.0, "KS": 2.9, "NM": 2.1, "NE": 2.0, "ID": 1.8, "WV": 1.8,
    "HI": 1.5, "NH": 1.4, "ME": 1.4, "RI": 1.1, "MT": 1.1, "DE": 1.0, "SD": 0.9, "ND": 0.8,
    "AK": 0.7, "DC": 0.7, "VT": 0.6, "WY": 0.6,
}  # fmt: skip
TRIBAL_STATES = {"AK", "NM", "AZ", "OK", "SD", "MT"}
SPANISH_STATES = {"CA", "TX", "FL", "NM", "AZ", "NY", "NJ", "IL", "NV"}
LOCAL_LANGUAGES = {  # languages besides Spanish and ASL that programs there may offer
    "CA": "zh vi ko tl fa hmn ru", "NY": "zh ru ko ht he it pl", "MA": "pt ht zh vi",
    "FL": "ht pt fr", "NJ": "pt ko ru hi", "TX": "vi zh ar", "WA": "zh vi ru so ko",
    "MN": "hmn so oj", "WI": "hmn oj", "MI": "ar pl oj", "IL": "pl zh ko ar", "AZ": "nv hop",
    "NM": "nv", "SD": "lkt", "ND": "lkt", "AK": "ypk", "HI": "tl ja", "RI": "pt",
    "OH": "so ar", "LA": "fr vi", "ME": "fr so", "PA": "ru vi", "GA": "ko vi",
}  # fmt: skip
CARRIERS = ["Aetna", "Cigna", "UnitedHealthcare", "Blue Cross Blue Shield", "Humana",
            "Anthem", "Molina Healthcare", "Oscar Health", "Ambetter"]  # fmt: skip
LOCAL_CARRIERS = {"MA": ["Harvard Pilgrim", "Tufts Health Plan"], "PA": ["Highmark"],
                  "CA": ["Kaiser Permanente"], "CO": ["Kaiser Permanente"]}  # fmt: skip
SCHEDULES = ["100:0;150:25;175:50;200:75", "100:0;119:17;139:33;159:50;179:67;199:83",
             "100:0;150:20;200:40;250:60;300:80", "125:10;150:30;200:60;250:80;300:90"]  # fmt: skip
FIRST = ["Maple", "Oak", "Cedar", "Willow", "Birch", "Aspen", "Juniper", "River", "Lakeside",
         "Summit", "Meadow", "Pine", "Silver", "Stone", "Bright", "Clear", "North", "South",
         "East", "West", "Hillside", "Valley", "Sunrise"]  # fmt: skip
SECOND = ["Hollow", "Ridge", "Grove", "Creek", "Bend", "Point", "Springs", "Crossing",
          "Path", "Brook", "Field", "Haven", "Gate", "View", "Light", "Trail", "Harbor",
          "Commons"]  # fmt: skip
KINDS = {  # kind of program -> (weight, name endings)
    "otp": (10, ["Opioid Treatment Program", "Medication Clinic"]),
    "residential": (21, ["Recovery House", "Residential Recovery", "Treatment Center"]),
    "hospital": (4, ["Hospital Addiction Unit", "Behavioral Health Hospital"]),
    "outpatient": (65, ["Recovery Center", "Counseling Services", "Outpatient Clinic",
                        "Treatment Services", "Health Center"]),
}  # fmt: skip
RATES = {  # item -> (low, high) in dollars per day, per week or per 30 days (vocab.RATE_ITEMS)
    "detox_inpatient": (600, 1000), "hospital_inpatient": (1200, 2500),
    "residential_short": (350, 800), "residential_long": (350, 800),
    "partial_hospitalization": (250, 450), "detox_outpatient": (150, 300),
    "intensive_outpatient": (400, 900), "outpatient": (100, 300),
    "opioid_treatment_program": (100, 250), "methadone": (80, 150),
    "buprenorphine": (90, 200), "naltrexone_xr": (900, 1400),
}  # fmt: skip
# Our format's columns (imported_on is the importer's to set, not a file's).
COLUMNS = [column for column in native.COLUMNS if column != "imported_on"]
# The fields added after the first demo directory (phones with their kinds, telehealth,
# mental-health care, residential of unstated length, naltrexone of unstated form) draw from a
# generator of their own per program, so the values drawn before them stay as they were.
UNSTATED_RESIDENTIAL = 0.12  # of residential programs: "residential" with no length
UNSTATED_NALTREXONE = 0.1  # of programs offering naltrexone: its form not stated
MENTAL_HEALTH = {  # kind of program -> (chance of mental-health care, its settings' odds)
    "otp": (0.1, {"outpatient": 1}),
    "residential": (0.2, {"residential": 1, "outpatient": 0.3}),
    "hospital": (0.6, {"hospital_inpatient": 1, "partial_hospitalization": 0.5, "outpatient": 0.4}),
    "outpatient": (0.3, {"outpatient": 1, "partial_hospitalization": 0.1}),
}  # fmt: skip
TELEHEALTH = {"otp": 0.15, "residential": 0.1, "hospital": 0.2, "outpatient": 0.45}
# Quality signs (vocab.SIGN_FACTS), drawn last from a generator of their own per program:
# kind of program -> odds of its accreditations and licences (SAMHSA's Massachusetts file has
# about one program in three accredited, most licensed by the state agency; every OTP is
# SAMHSA-certified).
CREDENTIALS = {
    "otp": {"joint_commission": 0.35, "carf": 0.5, "coa": 0.03, "state_substance_use_agency": 0.9,
            "state_health_department": 0.5, "samhsa_otp": 0.97},
    "residential": {"joint_commission": 0.25, "carf": 0.35, "coa": 0.05,
                    "state_substance_use_agency": 0.8, "state_health_department": 0.4,
                    "state_mental_health": 0.1},
    "hospital": {"joint_commission": 0.9, "hfap": 0.05, "state_substance_use_agency": 0.6,
                 "state_health_department": 0.85, "state_mental_health": 0.3,
                 "hospital_licensing": 0.7},
    "outpatient": {"joint_commission": 0.1, "carf": 0.2, "ncqa": 0.03, "coa": 0.05,
                   "state_substance_use_agency": 0.7, "state_health_department": 0.5,
                   "state_mental_health": 0.25},
}  # fmt: skip
SERVICES = {  # services behind the other signs, for every kind of program
    "accepts_moud": 0.55, "couples_counseling": 0.3, "aftercare": 0.75,
    "discharge_planning": 0.8, "outcome_follow_up": 0.6, "self_help": 0.45,
    "transportation": 0.45, "naloxone_education": 0.75,
}  # fmt: skip
NO_SIGNS = 0.06  # listings that report none of them (the page then says "not reported")


def standard_zips():
    """Active STANDARD ZIPs with a centroid and area codes, by state, in ZIP order."""
    by_state = defaultdict(list)
    for z in sorted(zipcodes.list_all(), key=lambda z: z["zip_code"]):
        usable = z["active"] and z["zip_code_type"] == "STANDARD" and z["area_codes"]
        if usable and float(z["lat"] or 0):
            by_state[z["state"]].append(z)
    return by_state


def placements(rng, by_state):
    """(ZIP, fixed payments or None) of every program: per-state counts by population (at
    least 3), plus the Boston cluster with its payment mix."""
    total = sum(POPULATION.values())
    chosen = []
    for state in sorted(POPULATION):
        n = max(3, round(TOTAL * POPULATION[state] / total))
        chosen += [(z, None) for z in rng.sample(by_state[state], n)]
    near = [z for z in by_state["MA"] if z["zip_code"].startswith("021")]
    near = [z for z in near if great_circle(CAMBRIDGE, (z["lat"], z["long"])).miles < 9]
    for i, z in enumerate(rng.choices(near, k=BOSTON_EXTRA)):
        chosen.append((z, BOSTON_PAYMENTS[i % len(BOSTON_PAYMENTS)].split(";")))
    return sorted(chosen, key=lambda zp: (zp[0]["state"], zp[0]["zip_code"]))


def some(rng, odds):
    """The tokens (token -> probability) that come up."""
    return [token for token, p in odds.items() if rng.random() < p]


def joined(vocabulary, tokens, sep=";"):
    """The tokens in vocabulary order, as a list cell."""
    return sep.join(token for token in vocabulary if token in tokens)


def phone(rng, area_code, ext_odds=0.1):
    ext = f" x{rng.randint(10, 499)}" if rng.random() < ext_odds else ""
    return f"{area_code}-555-01{rng.randrange(100):02d}{ext}"


def care_and_meds(rng, kind):
    """Care levels and medications for a kind of program."""
    if kind == "otp":
        care = ["opioid_treatment_program", *some(rng, {"outpatient": 0.5})]
        meds = ["methadone", *some(rng, {"buprenorphine": 0.7, "naltrexone_xr": 0.3})]
    elif kind == "residential":
        care = some(rng, {"detox_inpatient": 0.4, "residential_short": 0.7, "outpatient": 0.2})
        if "residential_short" not in care or rng.random() < 0.4:
            care.append("residential_long")
        meds = some(rng, {"buprenorphine": 0.5, "naltrexone_oral": 0.4, "naltrexone_xr": 0.4})
    elif kind == "hospital":
        care = ["detox_inpatient", "hospital_inpatient"]
        care += some(rng, {"partial_hospitalization": 0.5, "intensive_outpatient": 0.4})
        meds = some(rng, {"methadone": 0.3, "buprenorphine": 0.9, "naltrexone_xr": 0.6})
    else:
        care = ["outpatient", *some(rng, {"intensive_outpatient": 0.5, "detox_outpatient": 0.1})]
        care += some(rng, {"partial_hospitalization": 0.1})
        meds = some(rng, {"buprenorphine": 0.55, "naltrexone_oral": 0.3, "naltrexone_xr": 0.3})
    return care, meds


def payments(rng, state):
    """Accepted payments; a free program accepts no payment at all."""
    if rng.random() < 0.05:
        return ["free"]
    pays = some(rng, {
        "cash": 0.9, "private_insurance": 0.6, "medicaid": 0.68, "medicare": 0.37,
        "tricare": 0.21, "ihs_tribal": 0.4 if state in TRIBAL_STATES else 0.01,
        "state_financed": 0.25, "sliding_fee": 0.37, "payment_assistance": 0.15,
    })  # fmt: skip
    return pays or ["cash"]


def languages(rng, state):
    langs = some(rng, {"es": 0.7 if state in SPANISH_STATES else 0.35, "asl": 0.08})
    return langs + [lang for lang in LOCAL_LANGUAGES.get(state, "").split() if rng.random() < 0.15]


def rates(rng, care, meds, pays):
    """Published rates (on ~60% of paying programs) for offered levels and medications only."""
    if "free" in pays or rng.random() > 0.6:
        return {}
    items = care + [m for m in meds if m in RATES and m != "naltrexone_xr"]
    items += ["naltrexone_xr"] if any(m.startswith("naltrexone") for m in meds) else []
    out = {}
    for item in [i for i in items if rng.random() < 0.85]:
        low, high = RATES[item]
        step = 50 if high >= 1000 else 10 if high >= 300 else 5
        a, b = sorted(rng.randrange(low, high + 1, step) for _ in range(2))
        ranged = a < b and rng.random() < 0.2
        out[f"rate_{item}"] = f"{a}-{b}" if ranged else str(rng.choice((a, b)))
    return out


def contact(rng, key, kind, z):
    """Name, address, location and phones of a program at ZIP z."""
    area_code = rng.choice(z["area_codes"])
    located = rng.random() > 0.04  # else blank: the importer uses the ZIP centroid
    name = f"{rng.choice(FIRST)} {rng.choice(SECOND)} {rng.choice(KINDS[kind][1])}"
    name += f" of {z['city']}" if rng.random() < 0.35 else ""
    return {
        "key": key,
        "name": f"Demo: {name} (fictional)",
        "name2": "Demo Health Network (fictional)" if rng.random() < 0.15 else "",
        "street": f"{rng.randint(1, 9999)} Demo {rng.choice(['Street', 'Avenue', 'Road', 'Way'])}",
        "street2": rng.choice(["Suite 100", "Suite 210", "Building B", "2nd Floor", "", "", ""]),
        "city": z["city"],
        "state": z["state"],
        "zip": z["zip_code"],
        "latitude": z["lat"] if located else "",
        "longitude": z["long"] if located else "",
        "phone": phone(rng, area_code),
        "intake_phone": phone(rng, area_code, 0.2) if rng.random() < 0.3 else "",
        "website": f"https://example.org/demo/{key}" if rng.random() < 0.6 else "",
    }


def services(rng, kind, state, pays=None):
    """Care, medications, payments, audiences, therapies, rates and beds of a program."""
    care, meds = care_and_meds(rng, kind)
    pays = pays or payments(rng, state)
    inpatient = kind in ("residential", "hospital")
    carriers = rng.sample(CARRIERS + LOCAL_CARRIERS.get(state, []), rng.randint(1, 4))
    ages = some(rng, {"adolescents": 0.15, "young_adults": 0.6, "adults": 1, "seniors": 0.4})
    specials = some(rng, {
        "veterans": 0.15, "pregnant_postpartum": 0.12, "women": 0.25 if inpatient else 0.12,
        "men": 0.2 if inpatient else 0.08, "lgbtq": 0.15, "criminal_justice": 0.25,
        "co_occurring": 0.45,
    })  # fmt: skip
    therapies = some(rng, {
        "cbt": 0.8, "dbt": 0.3, "contingency_management": 0.2, "motivational_interviewing": 0.75,
        "twelve_step": 0.45, "trauma_informed": 0.55, "family_therapy": 0.45,
        "relapse_prevention": 0.7, "peer_support": 0.45,
    })  # fmt: skip
    own_schedule = "sliding_fee" in pays and rng.random() < 0.4
    beds = rng.randint(6, 16) if rng.random() < 0.5 else rng.randint(17, 120)
    return {
        "care_levels": joined(vocab.CARE_LEVELS, care),
        "medications": joined(vocab.MEDICATIONS, meds),
        "payments": joined(vocab.PAYMENTS, pays),
        "carriers": "; ".join(carriers)
        if "private_insurance" in pays and rng.random() < 0.7
        else "",
        "ages": joined(vocab.AGES, ["adolescents"] if rng.random() < 0.03 else ages),
        "languages": joined(vocab.LANGUAGES, languages(rng, state)),
        "special_programs": joined(vocab.SPECIALS, specials),
        "therapies": joined(vocab.THERAPIES, therapies),
        **rates(rng, care, meds, pays),
        "sliding_fee_schedule": rng.choice(SCHEDULES) if own_schedule else "",
        "beds": beds if inpatient else "",
    }


def program(rng, n, z, pays):
    """One fictional program at ZIP z."""
    kind = rng.choices(list(KINDS), [weight for weight, _ in KINDS.values()])[0]
    age_days = rng.randrange(365) if rng.random() < 0.65 else rng.randrange(365, 730)
    row = {
        **contact(rng, f"demo-{n:04d}", kind, z),
        **services(rng, kind, z["state"], pays),
        "substance_use": "yes",
        "source": "demo",
        "verified_on": (LAST_DAY - datetime.timedelta(days=age_days)).isoformat(),
    }
    row = newer_fields(random.Random(f"{SEED}:{row['key']}"), kind, row)
    return signs(random.Random(f"{SEED}:signs:{row['key']}"), kind, row)


def signs(rng, kind, row):
    """The program's quality signs (accreditation, licences, services after discharge), or
    none at all for a few listings."""
    if rng.random() < NO_SIGNS:
        return row
    found = some(rng, CREDENTIALS[kind]) + some(rng, SERVICES)
    if row.get("mental_health_care") and rng.random() < 0.4:
        found.append("family_psychoeducation")
    row["signs"] = joined(vocab.SIGN_FACTS, found)
    return row


def newer_fields(rng, kind, row):
    """Phones with their kinds, telehealth, mental-health care, and a few listings that do not
    state a residential length or a naltrexone form (as SAMHSA's often do not)."""
    area_code = row["phone"][:3]
    phones = [f"main: {row['phone']}"]
    if row["intake_phone"]:
        phones.append(f"intake: {row['intake_phone']}")
    if rng.random() < 0.05:
        phones.append(f"intake: {phone(rng, area_code)} (Intake, Spanish)")
    if rng.random() < 0.1:
        phones.append(f"hotline: 800-555-01{rng.randrange(100):02d} (24-hour hotline)")
    row["phones"] = "; ".join(phones)
    row["telehealth"] = "yes" if rng.random() < TELEHEALTH[kind] else "no"
    chance, settings = MENTAL_HEALTH[kind]
    if rng.random() < chance:
        row["mental_health_care"] = joined(vocab.MENTAL_HEALTH_CARE, some(rng, settings))
    care = row["care_levels"].split(";")
    if kind == "residential" and rng.random() < UNSTATED_RESIDENTIAL:
        lengths = [level for level in care if level.startswith("residential_")]
        care = [level for level in care if level not in lengths] + ["residential"]
        row["care_levels"] = joined(vocab.CARE_LEVELS, care)
        prices = [row.pop(f"rate_{level}") for level in lengths if row.get(f"rate_{level}")]
        if prices:
            row["rate_residential"] = prices[0]
    meds = row["medications"].split(";") if row["medications"] else []
    forms = [med for med in meds if med.startswith("naltrexone_")]
    if forms and rng.random() < UNSTATED_NALTREXONE:
        meds = [med for med in meds if med not in forms] + ["naltrexone"]
        row["medications"] = joined(vocab.MEDICATIONS, meds)
    if "naltrexone_xr" not in meds:  # the injection's price only where the injection is listed
        row.pop("rate_naltrexone_xr", None)
    return row


def main(argv):
    rng = random.Random(SEED)
    by_state = standard_zips()
    zips = placements(rng, by_state)
    rows = [program(rng, n, z, pays) for n, (z, pays) in enumerate(zips, 1)]
    with open(argv[1] if len(argv) > 1 else sys.stdout.fileno(), "w", encoding="utf-8",
              newline="", closefd=len(argv) > 1) as out:  # fmt: skip
        writer = csv.DictWriter(out, COLUMNS, restval="", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} programs", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
