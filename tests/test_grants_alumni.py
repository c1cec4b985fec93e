"""The alumni registry: courses and cohorts, consent, associations, export and real erasure."""

from __future__ import annotations

import json

import pytest
from grants_world import World
from sqlalchemy import text
from typer.testing import CliRunner

from aidatlas.errors import Forbidden, InputError, NotFound


def test_courses_cohorts_and_associations(any_world: World):
    g, officer, d = any_world.grants, any_world.users["officer"], any_world.demo
    courses = {c.title: c for c in g.list_courses()}
    waste = courses["Solid Waste Management for Local Governments"]
    assert waste.course_type == "group-region" and waste.length_years == 3
    assert [waste.cohort_year(n) for n in (1, 2, 3)] == [2024, 2025, 2026]
    assert courses["Teachers for an Inclusive School"].country == "BA"
    regional = g.get_organisation(d.regional_association)
    assert regional.scope == "cross-country" and regional.member_countries == ("BA", "RS", "ME")
    assert {o.name for o in g.list_organisations("alumni-association")} == {
        "Training Alumni Association of Bosnia and Herzegovina", "Balkan Network of Training Alumni"}
    with pytest.raises(InputError, match="cohorts 1 to 3"):
        g.add_alumnus(officer, "Petar Ilić", "RS", waste.id, 4, consent_text="yes")
    with pytest.raises(InputError, match="consent"):
        g.add_alumnus(officer, "Petar Ilić", "RS", waste.id, 1, consent_text=" ")
    with pytest.raises(InputError, match="one member country"):
        g.create_association(officer, "Alumni", "national", ["BA", "RS"])
    with pytest.raises(InputError, match="country-focused course needs its country"):
        g.create_course(officer, "Roads", "country-focused", 1, 2020)
    with pytest.raises(Forbidden):
        g.add_alumnus(any_world.users["alice"], "X Y", "BA", waste.id, 1, consent_text="yes")


def test_export_and_erase_an_ex_participant(any_world: World):
    g, officer, d = any_world.grants, any_world.users["officer"], any_world.demo
    selma = d.alumni["Selma Hodžić"]
    data = g.export_alumnus(officer, selma)
    assert data["name"] == "Selma Hodžić" and data["cohort_year"] == 2022
    assert data["associations"] == ["Training Alumni Association of Bosnia and Herzegovina",
                                    "Balkan Network of Training Alumni"]
    assert "registration form" in data["consent"]["text"] and data["consent"]["given_at"]
    with pytest.raises(Forbidden):
        g.export_alumnus(any_world.users["alice"], selma)
    g.erase_alumnus(officer, selma)
    with pytest.raises(NotFound):
        g.get_alumnus(selma)
    with any_world.store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM grant_association_members WHERE alumnus_id = :a"),
                            {"a": selma}).scalar_one() == 0
        log = " ".join(str(v) for row in conn.execute(text("SELECT * FROM audit_log")) for v in row)
    assert "Selma" not in log and "Hodžić" not in log
    assert [e.action for e in g.audit_entries(officer, "alumnus", selma)] == ["alumnus.erase", "alumnus.export",
                                                                             "alumnus.add"]  # newest first


def test_alumni_cli_export_and_erase(world: World):
    from aidatlas.cli.main import app

    runner, db = CliRunner(), world.settings.database_url
    ana = str(world.demo.alumni["Ana Petrović"])
    result = runner.invoke(app, ["grants", "alumni", "export", ana, "--db", db, "--user", "officer"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["name"] == "Ana Petrović"
    result = runner.invoke(app, ["grants", "alumni", "erase", ana, "--db", db, "--user", "alice"])
    assert result.exit_code == 1 and "needs the role officer" in result.output
    result = runner.invoke(app, ["grants", "alumni", "erase", ana, "--db", db, "--user", "officer"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["grants", "rank", str(world.demo.followup_call), "--db", db, "--user", "nobody"])
    assert result.exit_code == 1 and "no user 'nobody'" in result.output
