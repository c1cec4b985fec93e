from aidatlas.normalize.script import cyr_to_lat, fold, script_of


def test_fold_is_script_and_diacritics_insensitive():
    assert fold("Приједор") == fold("Prijedor") == "prijedor"
    assert fold("Zvečan") == fold("Zveçan") == fold("Звечан") == fold("ZVECAN")


def test_transliteration_keeps_other_text():
    assert cyr_to_lat("Ниш, 2024.") == "Niš, 2024."
    assert cyr_to_lat("Ѓорче Петров") == "Gjorče Petrov"


def test_script_of():
    assert script_of("Нови Пазар") == "Cyrl"
    assert script_of("Novi Pazar") == "Latn"
    assert script_of("2024") is None
