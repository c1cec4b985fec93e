from aidatlas.ingest.labels import match_label


def test_labels_in_every_language_and_script():
    assert match_label("Budžet projekta: 120.000 KM").field == "budget"
    assert match_label("Буџет пројекта: 12.500.000 динара").value == "12.500.000 динара"
    assert match_label("Aplikant:Agencija lokalne demokratije Mostar").value == "Agencija lokalne demokratije Mostar"
    assert match_label("Pridruženi partner: ALDA Skopje").field == "affiliates"
    assert match_label("Specific objectives (outcomes) are:").field == "objectives"
    assert match_label("Main organization activities").field == "activities"
    assert match_label("| Directorate/federal office responsible |").field == "funder"  # a table row's label cell


def test_sentences_are_not_labels():
    assert match_label("Overall project goal is to: Contribute to regional integrations") is None
    assert match_label("The project will consist of three key activity clusters:") is None
