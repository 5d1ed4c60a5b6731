"""The fixed vocabularies of a program listing: tokens the CSV, the search and the API share."""

from . import estimator

# token -> (label, setting)
CARE_LEVELS = {
    "detox_inpatient": ("Detox (withdrawal management), inpatient", "inpatient"),
    "detox_outpatient": ("Detox (withdrawal management), outpatient", "outpatient"),
    "hospital_inpatient": ("Hospital inpatient", "inpatient"),
    "residential": ("Residential (length not stated)", "inpatient"),
    "residential_short": ("Short-term residential (30 days or less)", "inpatient"),
    "residential_long": ("Long-term residential (more than 30 days)", "inpatient"),
    "partial_hospitalization": ("Partial hospitalization / day treatment", "outpatient"),
    "intensive_outpatient": ("Intensive outpatient", "outpatient"),
    "outpatient": ("Standard outpatient", "outpatient"),
    "opioid_treatment_program": ("Opioid treatment program (OTP)", "outpatient"),
}
# Search-only meaning of a stored token: care=residential matches every residential length.
CARE_GROUPS = {"residential": ("residential", "residential_short", "residential_long")}
SETTINGS = {"inpatient": "Inpatient or residential", "outpatient": "Outpatient"}

PAYMENTS = {
    "cash": "Cash or self-pay",
    "private_insurance": "Private health insurance",
    "medicaid": "Medicaid",
    "medicare": "Medicare",
    "tricare": "TRICARE / military insurance",
    "ihs_tribal": "IHS, tribal or urban Indian funds",
    "state_financed": "State-financed insurance",
    "sliding_fee": "Sliding fee scale",
    "payment_assistance": "Payment assistance",
    "free": "Free (no payment accepted)",
}

MEDICATIONS = {
    "methadone": "Methadone",
    "buprenorphine": "Buprenorphine",
    "naltrexone": "Naltrexone (form not stated)",
    "naltrexone_oral": "Naltrexone (oral)",
    "naltrexone_xr": "Naltrexone (extended-release injection)",
}
# In search, "naltrexone" matches the form-unknown token and both forms; a form only itself.
MEDICATION_GROUPS = {"naltrexone": ("naltrexone", "naltrexone_oral", "naltrexone_xr")}

AGES = {
    "adolescents": "Adolescents",
    "young_adults": "Young adults",
    "adults": "Adults",
    "seniors": "Seniors",
}

SPECIALS = {
    "veterans": "Veterans",
    "pregnant_postpartum": "Pregnant or postpartum women",
    "women": "Women",
    "men": "Men",
    "lgbtq": "LGBTQ+ clients",
    "criminal_justice": "People involved with the criminal justice system",
    "co_occurring": "Co-occurring mental health conditions",
}

# ISO 639-1 codes; languages without one use their ISO 639-2/3 code. "asl": sign language.
LANGUAGES = {
    "en": "English",
    "es": "Spanish",
    "asl": "Sign language (ASL)",
    "ar": "Arabic",
    "de": "German",
    "el": "Greek",
    "fa": "Farsi",
    "fr": "French",
    "he": "Hebrew",
    "hi": "Hindi",
    "hmn": "Hmong",
    "hop": "Hopi",
    "ht": "Haitian Creole",
    "it": "Italian",
    "ja": "Japanese",
    "ko": "Korean",
    "lkt": "Lakota",
    "nv": "Navajo",
    "oj": "Ojibwa",
    "pl": "Polish",
    "pt": "Portuguese",
    "ru": "Russian",
    "so": "Somali",
    "tl": "Tagalog",
    "vi": "Vietnamese",
    "ypk": "Yupik",
    "zh": "Chinese",
}

THERAPIES = {
    "cbt": "Cognitive behavioral therapy",
    "dbt": "Dialectical behavior therapy",
    "contingency_management": "Contingency management",
    "motivational_interviewing": "Motivational interviewing",
    "twelve_step": "12-step facilitation",
    "trauma_informed": "Trauma-related counseling",
    "family_therapy": "Family counseling",
    "relapse_prevention": "Relapse prevention",
    "peer_support": "Peer support",
}

# Quality signs (issue 18): the facts behind SAMHSA's signs of quality treatment that are not
# therapies or medications (those stay kinds "therapy" and "medication"), stored as kind
# "sign" (the CSV's `signs` column). A sign the source does not report is unknown, never "no"
# (finder.signs). Which SAMHSA codes give each: docs/quality-signs.md.
SIGN_FACTS = {
    "joint_commission": "Accredited by The Joint Commission",
    "carf": "Accredited by CARF",
    "ncqa": "Accredited by NCQA",
    "coa": "Accredited by the Council on Accreditation",
    "hfap": "Accredited by HFAP",
    "state_substance_use_agency": "Licensed or certified by the state substance use agency",
    "state_mental_health": "Licensed or certified by the state mental health department",
    "state_health_department": "Licensed or certified by the state department of health",
    "hospital_licensing": "Licensed by a hospital licensing authority",
    "samhsa_otp": "SAMHSA-certified opioid treatment program",
    "accepts_moud": "Accepts people taking medication prescribed elsewhere",
    "couples_counseling": "Couples counseling",
    "family_psychoeducation": "Family psychoeducation",
    "aftercare": "Aftercare or continuing care",
    "discharge_planning": "Discharge planning",
    "outcome_follow_up": "Outcome follow-up after discharge",
    "self_help": "Self-help groups",
    "transportation": "Help with transportation",
    "naloxone_education": "Naloxone and overdose education",
}
# The groups SAMHSA's guidance for families names, in its order: group token -> heading.
SIGN_GROUPS = {
    "licensed_accredited": "Licensed or accredited",
    "medication": "Offers FDA-approved medication",
    "therapies": "Uses evidence-based therapies",
    "family": "Involves the family",
    "after_discharge": "Supports recovery after discharge",
}
# The search's sign= tokens: token -> (label, group, the stored (kind, values) any of which
# shows it). OR within sign=, AND across parameters, as every filter (docs/quality-signs.md).
SIGNS = {
    "accredited": ("Accredited (Joint Commission, CARF, NCQA, COA or HFAP)", "licensed_accredited",
                   (("sign", ("joint_commission", "carf", "ncqa", "coa", "hfap")),)),
    "licensed": ("Licensed or certified by the state", "licensed_accredited",
                 (("sign", ("state_substance_use_agency", "state_mental_health",
                            "state_health_department", "hospital_licensing")),)),
    "samhsa_otp": ("SAMHSA-certified opioid treatment program", "medication",
                   (("sign", ("samhsa_otp",)),)),
    "moud": ("Offers medication for opioid use disorder", "medication",
             (("medication", ("methadone", "buprenorphine", "naltrexone", "naltrexone_oral",
                              "naltrexone_xr")),)),
    "accepts_moud": ("Accepts people taking medication prescribed elsewhere", "medication",
                     (("sign", ("accepts_moud",)),)),
    "cbt": ("Cognitive behavioral therapy", "therapies", (("therapy", ("cbt",)),)),
    "dbt": ("Dialectical behavior therapy", "therapies", (("therapy", ("dbt",)),)),
    "contingency_management": ("Contingency management", "therapies",
                               (("therapy", ("contingency_management",)),)),
    "motivational_interviewing": ("Motivational interviewing", "therapies",
                                  (("therapy", ("motivational_interviewing",)),)),
    "relapse_prevention": ("Relapse prevention", "therapies",
                           (("therapy", ("relapse_prevention",)),)),
    "twelve_step": ("12-step facilitation", "therapies", (("therapy", ("twelve_step",)),)),
    "family_therapy": ("Couples or family therapy", "family",
                       (("therapy", ("family_therapy",)), ("sign", ("couples_counseling",)))),
    "family_psychoeducation": ("Family psychoeducation", "family",
                               (("sign", ("family_psychoeducation",)),)),
    "aftercare": ("Aftercare or continuing care", "after_discharge", (("sign", ("aftercare",)),)),
    "discharge_planning": ("Discharge planning", "after_discharge",
                           (("sign", ("discharge_planning",)),)),
    "outcome_follow_up": ("Outcome follow-up after discharge", "after_discharge",
                          (("sign", ("outcome_follow_up",)),)),
    "peer_support": ("Peer support", "after_discharge", (("therapy", ("peer_support",)),)),
    "self_help": ("Self-help groups", "after_discharge", (("sign", ("self_help",)),)),
    "transportation": ("Help with transportation", "after_discharge",
                       (("sign", ("transportation",)),)),
    "naloxone_education": ("Naloxone and overdose education", "after_discharge",
                           (("sign", ("naloxone_education",)),)),
}  # fmt: skip

# A site's mental-health settings (from its MH rows): shown apart, never a care filter.
MENTAL_HEALTH_CARE = {
    "hospital_inpatient": "Psychiatric hospital inpatient",
    "residential": "Mental-health residential",
    "partial_hospitalization": "Mental-health partial hospitalization / day treatment",
    "outpatient": "Mental-health outpatient",
}

# What kind of facility the source says a site is, where the estimator needs it.
FACILITY_TYPES = {"psychiatric_hospital": "Psychiatric hospital"}

# A program's phone numbers, each with what it is (main first).
PHONE_KINDS = {"main": "Main number", "intake": "Intake", "hotline": "Hotline"}


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
