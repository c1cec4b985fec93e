"""Kinds of prose records in five languages."""

from __future__ import annotations

import pytest

from aidatlas.ingest.kinds import classify, counted_units


@pytest.mark.parametrize(("title", "body", "kind"), [
    ("ODRŽANA OBUKA ZA TRENERE", "", "event"),
    ("Обука за проектни предлози", "Во Берово се одржа обуката.", "event"),
    ("Montenegro SDG Acceleration Fund (MAF)", "", "programme"),
    ("Влада Швајцарске расписала позив за пројекте у 20 општина", "", "programme"),
    ("USAID podržao još devet projekata obnove", "", "programme"),
    ("Grantit të performancës i shtohet edhe bashkëfinancimi", "", "core-support"),
    ("EBRD helps Belgrade to improve water supply", "a loan in two tranches", "project"),
    ("Program of Strengthening Central Level Public Administration", "", "project"),
])
def test_classify(title: str, body: str, kind: str):
    assert classify(title, body) == kind


def test_counted_units_reads_numbers_and_number_words():
    assert counted_units("podržati ukupno 27 projekata lokalne infrastrukture")[0] == 27
    assert counted_units("još devet projekata obnove")[0] == 9
    assert counted_units("two tranches of a loan") is None
