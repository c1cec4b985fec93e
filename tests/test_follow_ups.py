"""Sentences after a listing that speak of one listed grant are handed to it."""

from __future__ import annotations

from aidatlas.ingest.lines import split_lines
from aidatlas.ingest.listings import listing_items

PAGE = (
    "Grantove su dobili Udruženje „Zeleni krug“ u Mostaru, Centar „Most nade“ u Tuzli i Klub „Vrelo“ u Bihaću, "
    "u iznosu od 12.000 KM, 15.500 KM i 9.000 KM.\n\n"
    "Udruženje iz Mostara će urediti tri javna parka i u njima zaposliti šest osoba. „Most nade“ će otvoriti "
    "savjetovalište za porodice, dok će bihaćki „Vrelo“ obnoviti planinarsku stazu.\n\n"
    "Komisija je zaprimila 40 prijava, a „Vrelo“ je jedina nova članica mreže.\n\n"
    "POVEZANE VIJESTI\n"
    "Vrelo u Bihaću će dobiti novi most nakon tri godine čekanja\n"
)


def test_each_later_clause_that_names_one_grantee_belongs_to_that_grant():
    items = listing_items(split_lines(PAGE))
    assert [[f.text for f in i.follow_ups] for i in items] == [
        ["Udruženje iz Mostara će urediti tri javna parka i u njima zaposliti šest osoba."],
        ["„Most nade“ će otvoriti savjetovalište za porodice,"],
        ["bihaćki „Vrelo“ obnoviti planinarsku stazu."],  # not news (no future), nor the related links below
    ]
