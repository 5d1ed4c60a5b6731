from finder import estimator, vocab


def test_search_and_estimator_agree_on_care_levels_and_their_setting():
    assert set(vocab.CARE_LEVELS) == set(estimator.CARE_LEVELS)
    inpatient = {
        token for token, (_, setting) in vocab.CARE_LEVELS.items() if setting == "inpatient"
    }
    assert inpatient == set(estimator.INPATIENT_LEVELS)


def test_every_rate_item_has_a_unit_and_a_name():
    assert set(vocab.RATE_ITEMS) == set(estimator.ITEM_NAMES)
    assert set(vocab.RATE_UNITS.values()) == {"day", "week", "dose"}  # naltrexone_xr per dose
