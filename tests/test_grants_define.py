"""Programmes and calls declared in JSON: created as written, or refused whole with the item named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aidatlas import auth
from aidatlas.db.store import Store
from aidatlas.errors import InputError
from aidatlas.grants import Grants
from aidatlas.grants.define import define_from_json
from aidatlas.registry import open_store
from aidatlas.roles import grant_role

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "examples" / "calls.json"


def _officer(store: Store) -> auth.User:
    user = auth.add_user(store.engine, "officer", "a long enough password")
    grant_role(store.engine, user.id, "officer")
    return user


def test_the_documented_example_defines_an_open_call(sqlite_settings):
    store = open_store(sqlite_settings)
    grants, officer = Grants(store.engine, sqlite_settings, store), _officer(store)
    [(programme, [call])] = define_from_json(grants, officer, EXAMPLE, open_calls=True)
    assert programme.funder == "Japan International Cooperation Agency" and call.status == "open"
    assert [r["rule"] for r in call.rules][:2] == ["applicant_is_organisation", "ex_participant_member"]
    assert "Europe/Belgrade" in call.deadline_text()


def test_a_bad_call_is_refused_and_nothing_is_created(sqlite_settings, tmp_path: Path):
    store = open_store(sqlite_settings)
    grants, officer = Grants(store.engine, sqlite_settings, store), _officer(store)
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    second = json.loads(json.dumps(doc["programmes"][0]))
    second["calls"][0]["rules"].append({"rule": "lives_on_the_moon"})
    doc["programmes"].append(second)
    bad = tmp_path / "calls.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(InputError, match=r"programmes\[1\]\.calls\[0\].*lives_on_the_moon"):
        define_from_json(grants, officer, bad)
    assert grants.list_programmes() == []            # the good first programme was not written either
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="cannot read"):
        define_from_json(grants, officer, bad)
