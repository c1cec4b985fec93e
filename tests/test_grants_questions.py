"""The form builder: a call's additional questions over fixed field types, versioned; a submitted application
keeps the version it answered, a draft must answer the current one."""

from __future__ import annotations

import pytest
from grants_world import World, submitted

from aidatlas.errors import Forbidden, InputError

QUESTIONS = [
    {"key": "staff", "label": "How many staff work on the project?", "type": "number", "required": True},
    {"key": "first_time", "label": "Is this your first grant?", "type": "yes-no", "required": True},
    {"key": "focus", "label": "Main focus", "type": "choice", "choices": ["waste", "water"]},
]


def test_questions_are_checked_and_versioned(world: World):
    g, officer, alice = world.grants, world.users["officer"], world.users["alice"]
    call = world.demo.followup_call
    with pytest.raises(InputError, match="at least two choices"):
        g.set_questions(officer, call, [{"key": "x", "label": "X", "type": "choice", "choices": ["one"]}])
    with pytest.raises(InputError, match="type 'slider'"):
        g.set_questions(officer, call, [{"key": "x", "label": "X", "type": "slider"}])
    with pytest.raises(Forbidden):
        g.set_questions(alice, call, QUESTIONS)
    assert g.set_questions(officer, call, QUESTIONS) == 1

    answered = submitted(world, submit=False)
    with pytest.raises(InputError, match="answer the call's additional questions"):
        g.submit(alice, answered)
    bad = g.save_draft(alice, answered, "questions", {"answers": {"staff": "many", "focus": "air"}})
    assert not bad.saved and set(bad.errors) == {"answers.staff", "answers.first_time", "answers.focus"}
    assert g.save_draft(alice, answered, "questions", {"answers": {"staff": "12", "first_time": "yes"}}).saved
    g.submit(alice, answered)

    assert g.set_questions(officer, call, [*QUESTIONS, {"key": "website", "label": "Website", "type": "text",
                                                        "required": True}]) == 2
    frozen = g.versions(alice, answered)[-1].data["questions"]
    assert frozen == {"form_version": 1, "answers": {"staff": 12.0, "first_time": True}}
    assert [q["key"] for q in g.call_form(call, frozen["form_version"])[1]] == ["staff", "first_time", "focus"]

    draft = submitted(world, "bob", submit=False)
    g.save_draft(world.users["bob"], draft, "questions", {"answers": {"staff": "3", "first_time": "no",
                                                                        "website": "example.org"}})
    assert g.set_questions(officer, call, QUESTIONS) == 3  # changed again after bob answered
    assert "questions changed" in g.validate_application(world.users["bob"], draft)["questions"]
