"""The fixed vocabularies of a program listing: tokens the CSV, the search and the API share."""

from . import estimator
from .estimator.text import N_

# token -> (label, setting)
CARE_LEVELS = {
    "detox_inpatient": (N_("Detox (withdrawal management), inpatient"), "inpatient"),
    "detox_outpatient": (N_("Detox (withdrawal management), outpatient"), "outpatient"),
    "hospital_inpatient": (N_("Hospital inpatient"), "inpatient"),
    "residential": (N_("Residential (length not stated)"), "inpatient"),
    "residential_short": (N_("Short-term residential (30 days or less)"), "inpatient"),
    "residential_long": (N_("Long-term residential (more than 30 days)"), "inpatient"),
    "partial_hospitalization": (N_("Partial hospitalization / day treatment"), "outpatient"),
    "intensive_outpatient": (N_("Intensive outpatient"), "outpatient"),
    "outpatient": (N_("Standard outpatient"), "outpatient"),
    "opioid_treatment_program": (N_("Opioid treatment program (OTP)"), "outpatient"),
}
# Search-only meaning of a stored token: care=residential matches every residential length.
CARE_GROUPS = {"residential": ("residential", "residential_short", "residential_long")}
SETTINGS = {"inpatient": N_("Inpatient or residential"), "outpatient": N_("Outpatient")}

PAYMENTS = {
    "cash": N_("Cash or self-pay"),
    "private_insurance": N_("Private health insurance"),
    "medicaid": N_("Medicaid"),
    "medicare": N_("Medicare"),
    "tricare": N_("TRICARE / military insurance"),
    "ihs_tribal": N_("IHS, tribal or urban Indian funds"),
    "state_financed": N_("State-financed insurance"),
    "sliding_fee": N_("Sliding fee scale"),
    "payment_assistance": N_("Payment assistance"),
    "free": N_("Free (no payment accepted)"),
}

MEDICATIONS = {
    "methadone": N_("Methadone"),
    "buprenorphine": N_("Buprenorphine"),
    "naltrexone": N_("Naltrexone (form not stated)"),
    "naltrexone_oral": N_("Naltrexone (oral)"),
    "naltrexone_xr": N_("Naltrexone (extended-release injection)"),
}
# In search, "naltrexone" matches the form-unknown token and both forms; a form only itself.
MEDICATION_GROUPS = {"naltrexone": ("naltrexone", "naltrexone_oral", "naltrexone_xr")}

AGES = {
    "adolescents": N_("Adolescents"),
    "young_adults": N_("Young adults"),
    "adults": N_("Adults"),
    "seniors": N_("Seniors"),
}

SPECIALS = {
    "veterans": N_("Veterans"),
    "pregnant_postpartum": N_("Pregnant or postpartum women"),
    "women": N_("Women"),
    "men": N_("Men"),
    "lgbtq": N_("LGBTQ+ clients"),
    "criminal_justice": N_("People involved with the criminal justice system"),
    "co_occurring": N_("Co-occurring mental health conditions"),
}

# ISO 639-1 codes; languages without one use their ISO 639-2/3 code. "asl": sign language.
LANGUAGES = {
    "en": N_("English"),
    "es": N_("Spanish"),
    "asl": N_("Sign language (ASL)"),
    "ar": N_("Arabic"),
    "de": N_("German"),
    "el": N_("Greek"),
    "fa": N_("Farsi"),
    "fr": N_("French"),
    "he": N_("Hebrew"),
    "hi": N_("Hindi"),
    "hmn": N_("Hmong"),
    "hop": N_("Hopi"),
    "ht": N_("Haitian Creole"),
    "it": N_("Italian"),
    "ja": N_("Japanese"),
    "ko": N_("Korean"),
    "lkt": N_("Lakota"),
    "nv": N_("Navajo"),
    "oj": N_("Ojibwa"),
    "pl": N_("Polish"),
    "pt": N_("Portuguese"),
    "ru": N_("Russian"),
    "so": N_("Somali"),
    "tl": N_("Tagalog"),
    "vi": N_("Vietnamese"),
    "ypk": N_("Yupik"),
    "zh": N_("Chinese"),
}

THERAPIES = {
    "cbt": N_("Cognitive behavioral therapy"),
    "dbt": N_("Dialectical behavior therapy"),
    "contingency_management": N_("Contingency management"),
    "motivational_interviewing": N_("Motivational interviewing"),
    "twelve_step": N_("12-step facilitation"),
    "trauma_informed": N_("Trauma-related counseling"),
    "family_therapy": N_("Family counseling"),
    "relapse_prevention": N_("Relapse prevention"),
    "peer_support": N_("Peer support"),
}

# Quality signs (issue 18): the facts behind SAMHSA's signs of quality treatment that are not
# therapies or medications (those stay kinds "therapy" and "medication"), stored as kind
# "sign" (the CSV's `signs` column). A sign the source does not report is unknown, never "no"
# (finder.signs). Which SAMHSA codes give each: docs/quality-signs.md.
SIGN_FACTS = {
    "joint_commission": N_("Accredited by The Joint Commission"),
    "carf": N_("Accredited by CARF"),
    "ncqa": N_("Accredited by NCQA"),
    "coa": N_("Accredited by the Council on Accreditation"),
    "hfap": N_("Accredited by HFAP"),
    "state_substance_use_agency": N_("Licensed or certified by the state substance use agency"),
    "state_mental_health": N_("Licensed or certified by the state mental health department"),
    "state_health_department": N_("Licensed or certified by the state department of health"),
    "hospital_licensing": N_("Licensed by a hospital licensing authority"),
    "samhsa_otp": N_("SAMHSA-certified opioid treatment program"),
    "accepts_moud": N_("Accepts people taking medication prescribed elsewhere"),
    "couples_counseling": N_("Couples counseling"),
    "family_psychoeducation": N_("Family psychoeducation"),
    "aftercare": N_("Aftercare or continuing care"),
    "discharge_planning": N_("Discharge planning"),
    "outcome_follow_up": N_("Outcome follow-up after discharge"),
    "self_help": N_("Self-help groups"),
    "transportation": N_("Help with transportation"),
    "naloxone_education": N_("Naloxone and overdose education"),
}
# The groups SAMHSA's guidance for families names, in its order: group token -> heading.
SIGN_GROUPS = {
    "licensed_accredited": N_("Licensed or accredited"),
    "medication": N_("Offers FDA-approved medication"),
    "therapies": N_("Uses evidence-based therapies"),
    "family": N_("Involves the family"),
    "after_discharge": N_("Supports recovery after discharge"),
}
# The search's sign= tokens: token -> (label, group, the stored (kind, values) any of which
# shows it). OR within sign=, AND across parameters, as every filter (docs/quality-signs.md).
SIGNS = {
    "accredited": (N_("Accredited (Joint Commission, CARF, NCQA, COA or HFAP)"),
                   "licensed_accredited",
                   (("sign", ("joint_commission", "carf", "ncqa", "coa", "hfap")),)),
    "licensed": (N_("Licensed or certified by the state"), "licensed_accredited",
                 (("sign", ("state_substance_use_agency", "state_mental_health",
                            "state_health_department", "hospital_licensing")),)),
    "samhsa_otp": (N_("SAMHSA-certified opioid treatment program"), "medication",
                   (("sign", ("samhsa_otp",)),)),
    "moud": (N_("Offers medication for opioid use disorder"), "medication",
             (("medication", ("methadone", "buprenorphine", "naltrexone", "naltrexone_oral",
                              "naltrexone_xr")),)),
    "accepts_moud": (N_("Accepts people taking medication prescribed elsewhere"), "medication",
                     (("sign", ("accepts_moud",)),)),
    "cbt": (N_("Cognitive behavioral therapy"), "therapies", (("therapy", ("cbt",)),)),
    "dbt": (N_("Dialectical behavior therapy"), "therapies", (("therapy", ("dbt",)),)),
    "contingency_management": (N_("Contingency management"), "therapies",
                               (("therapy", ("contingency_management",)),)),
    "motivational_interviewing": (N_("Motivational interviewing"), "therapies",
                                  (("therapy", ("motivational_interviewing",)),)),
    "relapse_prevention": (N_("Relapse prevention"), "therapies",
                           (("therapy", ("relapse_prevention",)),)),
    "twelve_step": (N_("12-step facilitation"), "therapies", (("therapy", ("twelve_step",)),)),
    "family_therapy": (N_("Couples or family therapy"), "family",
                       (("therapy", ("family_therapy",)), ("sign", ("couples_counseling",)))),
    "family_psychoeducation": (N_("Family psychoeducation"), "family",
                               (("sign", ("family_psychoeducation",)),)),
    "aftercare": (N_("Aftercare or continuing care"), "after_discharge",
                  (("sign", ("aftercare",)),)),
    "discharge_planning": (N_("Discharge planning"), "after_discharge",
                           (("sign", ("discharge_planning",)),)),
    "outcome_follow_up": (N_("Outcome follow-up after discharge"), "after_discharge",
                          (("sign", ("outcome_follow_up",)),)),
    "peer_support": (N_("Peer support"), "after_discharge", (("therapy", ("peer_support",)),)),
    "self_help": (N_("Self-help groups"), "after_discharge", (("sign", ("self_help",)),)),
    "transportation": (N_("Help with transportation"), "after_discharge",
                       (("sign", ("transportation",)),)),
    "naloxone_education": (N_("Naloxone and overdose education"), "after_discharge",
                           (("sign", ("naloxone_education",)),)),
}  # fmt: skip

# A site's mental-health settings (from its MH rows): shown apart, never a care filter.
MENTAL_HEALTH_CARE = {
    "hospital_inpatient": N_("Psychiatric hospital inpatient"),
    "residential": N_("Mental-health residential"),
    "partial_hospitalization": N_("Mental-health partial hospitalization / day treatment"),
    "outpatient": N_("Mental-health outpatient"),
}

# What kind of facility the source says a site is, where the estimator needs it.
FACILITY_TYPES = {"psychiatric_hospital": N_("Psychiatric hospital")}

# A program's phone numbers, each with what it is (main first).
# Plain strings, stored as a number's label by the importer; pages show a label with `say`,
# which finds these in the catalog (marked below), and leaves a program's own label as it is.
PHONE_KINDS = {"main": "Main number", "intake": "Intake", "hotline": "Hotline"}
_PHONE_WORDS = (N_("Main number"), N_("Intake"), N_("Hotline"))


def default_phones(phone: str, intake_phone: str) -> tuple[tuple[str, str, str], ...]:
    """(kind, number, label) of a program that lists only a main and an intake number."""
    numbers = [("main", phone), ("intake", intake_phone if intake_phone != phone else "")]
    return tuple((kind, number, PHONE_KINDS[kind]) for kind, number in numbers if number)


# kind of multi-valued attribute -> its vocabulary (None: free text, such as carrier names)
FEATURE_KINDS = {
    "care": CARE_LEVELS,
    "payment": PAYMENTS,
    "medication": MEDICATIONS,
    "age": AGES,
    "language": LANGUAGES,
    "special": SPECIALS,
    "therapy": THERAPIES,
    "mh_care": MENTAL_HEALTH_CARE,
    "facility": FACILITY_TYPES,
    "sign": SIGN_FACTS,
    "carrier": None,
}

# Items a program may publish a rate for: care levels and medications, each charged by the unit
# the estimator bills it in ("day", "week", or "dose" of extended-release naltrexone).
RATE_UNITS = {**estimator.CARE_LEVELS, **estimator.MEDICATIONS}
RATE_ITEMS = tuple(RATE_UNITS)

STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon",
    "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
    "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia",
    "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
    "PR": "Puerto Rico", "GU": "Guam", "VI": "U.S. Virgin Islands", "AS": "American Samoa",
    "MP": "Northern Mariana Islands",
}  # fmt: skip


def label(kind: str, token: str) -> str:
    """The plain-language name of a token of a feature kind ("care", "payment", ...)."""
    value = (FEATURE_KINDS.get(kind) or {}).get(token, token)
    return value[0] if isinstance(value, tuple) else value
