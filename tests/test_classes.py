"""Class mode: a class from start to close, its limits, and what no student may reach."""

import csv
import io
import re
import sqlite3

import pytest
from flask import Flask
from flask.testing import FlaskClient

from methodslab.notes.classes import (
    CLASS_SECONDS,
    CLASSES_PER_DAY,
    CODE_ALPHABET,
    FAILED_JOINS_PER_HOUR,
    MAX_STUDENTS,
    ClassError,
    ClassStore,
    Membership,
    Record,
)
from tests.app_config import NOTES_DATABASES
from tests.self_check_forms import forms_on

CROSS_SITE = {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}


def start_class(teacher: FlaskClient) -> tuple[str, str]:
    """Start a class; return its teacher link's path and its code as shown (ABC-DEF)."""
    started = teacher.post("/classes")
    assert started.status_code == 303
    link = started.location.partition("?")[0]
    page = teacher.get(link).get_data(as_text=True)
    code = re.search(r'class="class-code">([^<]+)<', page)
    assert code is not None
    return link, code[1]


def answer_get_self_check(student: FlaskClient, right: bool) -> list[str]:
    """Answer the GET lesson's self-check all right or all wrong; return the questions' prompts."""
    form = forms_on(student.get("/methods/get/self-check").get_data(as_text=True))[0]
    sent = student.post(
        form.action, data=form.right() if right else form.wrong(), headers={"Accept": "text/html"}
    )
    assert sent.status_code == 303
    return [item.question.prompt for item in form.asked]


def cells(text: str) -> list[list[str]]:
    """Return the rows of a CSV document."""
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("notes_database", NOTES_DATABASES, indirect=True)
def test_a_class_from_start_to_close(app: Flask) -> None:
    teacher, ada, bob, outsider = (app.test_client() for _ in range(4))
    link, code = start_class(teacher)
    assert re.fullmatch(f"[{CODE_ALPHABET}]{{3}}-[{CODE_ALPHABET}]{{3}}", code)
    # The token is in the link only: the database keeps its SHA-256.
    token = link.rsplit("/", 1)[1]
    assert len(token) >= 43

    # Typed in lower case, or reached from the short URL on the board.
    assert (
        ada.post("/join", data={"code": code.lower(), "nickname": "<b>Ada</b>"}).status_code == 303
    )
    assert code.replace("-", "") in bob.get(f"/join/{code}").get_data(as_text=True)
    assert bob.post("/join", data={"code": code, "nickname": "=HYPERLINK(1)"}).status_code == 303
    assert "You are in class" in ada.get("/join").get_data(as_text=True)

    assert '<meta name="referrer" content="no-referrer">' in teacher.get(link).get_data(
        as_text=True
    )
    live = teacher.get(f"{link}/live", headers={"Accept-Encoding": "gzip"})
    assert live.status_code == 200
    etag = live.headers["ETag"]
    # Whatever the encoding: a weak tag, as every page's (RFC 9110 §8.8.1).
    assert teacher.get(f"{link}/live", headers={"If-None-Match": etag}).status_code == 304

    prompts = answer_get_self_check(ada, right=True)
    answer_get_self_check(bob, right=False)
    outsider.get("/methods/get")  # not in the class: not counted

    changed = teacher.get(f"{link}/live", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    board = changed.get_json()["html"]
    assert "2 students in the class" in board
    assert "&lt;b&gt;Ada&lt;/b&gt;" in board and "<b>Ada" not in board
    # Ada's answers, all right, are on the right options; Bob's on wrong ones.
    right_counts = re.findall(r'<li class="right">.*?\((\d+) answers?\)', board, re.S)
    all_counts = re.findall(r"\((\d+) answers?\)", board)
    assert sum(map(int, right_counts)) == len(prompts)
    assert sum(map(int, all_counts)) == 2 * len(prompts)
    lesson_row = re.search(r"1\. GET</th><td>(\d+)</td><td>(\d+)</td>", board)
    assert lesson_row is not None and lesson_row.groups() == ("2", "1")

    exported = teacher.get(f"{link}/export.csv")
    assert exported.mimetype == "text/csv" and "no-store" in exported.headers["Cache-Control"]
    rows = cells(exported.get_data(as_text=True))
    answers = [row for row in rows if row[1] == "answer"]
    assert len(answers) == 2 * len(prompts)
    assert {row[0] for row in rows[1:]} == {"<b>Ada</b>", "'=HYPERLINK(1)"}
    assert sorted(row[4] for row in answers) == ["no"] * len(prompts) + ["yes"] * len(prompts)

    # Bob leaves: his answers go with him.
    assert bob.post("/join/leave").status_code == 303
    rows = cells(teacher.get(f"{link}/export.csv").get_data(as_text=True))
    assert {row[0] for row in rows[1:]} == {"<b>Ada</b>"}

    # Closed by the form without JavaScript: everything gone, the code refused with 410.
    closed = teacher.post(link, data={"_method": "DELETE"})
    assert closed.status_code == 303
    assert teacher.get(link).status_code == 404
    assert teacher.get(f"{link}/live").status_code == 404
    again = outsider.post("/join", data={"code": code})
    assert again.status_code == 410 and "has ended" in again.get_data(as_text=True)
    # Ada's next answer finds no class: her cookie forgets it.
    answer_get_self_check(ada, right=True)
    assert "You are in class" not in ada.get("/join").get_data(as_text=True)
    assert teacher.delete(link).status_code == 404


@pytest.mark.parametrize("notes_database", NOTES_DATABASES, indirect=True)
def test_class_limits_hold(app: Flask) -> None:
    store: ClassStore = app.extensions["classes"]
    for _ in range(CLASSES_PER_DAY - 1):
        store.start("127.0.0.1")
    teacher = app.test_client()
    _, code = start_class(teacher)
    refused = teacher.post("/classes")
    assert refused.status_code == 429 and 0 < int(refused.headers["Retry-After"]) <= 24 * 3600
    store.start("192.0.2.1")  # another network has its own allowance

    for number in range(MAX_STUDENTS - 1):
        store.join(code.replace("-", ""), f"s{number}", "198.51.100.1")
    student = app.test_client()
    assert student.post("/join", data={"code": code}).status_code == 303
    full = app.test_client().post("/join", data={"code": code})
    assert full.status_code == 409 and "full" in full.get_data(as_text=True)

    # Guessing codes: after FAILED_JOINS_PER_HOUR unknown ones, even a right code is refused.
    guesser = app.test_client()
    for _ in range(FAILED_JOINS_PER_HOUR):
        assert guesser.post("/join", data={"code": "ZZZZZZ"}).status_code == 404
    stopped = guesser.post("/join", data={"code": code})
    assert stopped.status_code == 429 and int(stopped.headers["Retry-After"]) <= 3600
    assert "wrong class codes" in stopped.get_data(as_text=True)


def test_nothing_a_student_sends_reaches_another_class(app: Flask) -> None:
    store: ClassStore = app.extensions["classes"]
    first, second = store.start("a"), store.start("a")
    ada = store.join(first.code, "Ada", "n")
    eve = store.join(second.code, "Eve", "n")
    # Eve's member id under Ada's class (a cookie she could never get signed): refused.
    assert not store.record(Membership(ada.class_id, eve.member), [Record("visit", "get")])
    assert store.record(eve, [Record("answer", "get-safe:0", "x"), Record("visit", "get")])
    records = store.records(first.teacher_token)
    assert records is not None and not records.ticks and not records.choices
    # A cookie whose class part was changed is not this site's signature: no class at all.
    student = app.test_client()
    student.post("/join", data={"code": second.code})
    cookie = student.get_cookie("sandbox")
    assert cookie is not None
    forged = app.test_client()
    forged.set_cookie("sandbox", cookie.value.replace(eve.class_id[:4], ada.class_id[:4]))
    forged.get("/methods/get")
    assert store.records(first.teacher_token).ticks == set()  # type: ignore[union-attr]
    # Nor does a guessed or altered teacher link show a dashboard.
    assert app.test_client().get(f"/classes/{first.teacher_token[:-1]}x").status_code == 404
    assert app.test_client().get(f"/classes/{'a' * 65}/live").status_code == 404


def test_forms_from_another_site_are_refused(client: FlaskClient) -> None:
    link, code = start_class(client)
    for path, form in (
        ("/classes", {}),
        ("/join", {"code": code}),
        ("/join/leave", {}),
        (link, {"_method": "DELETE"}),
    ):
        refused = client.post(path, data=form, headers=CROSS_SITE)
        assert refused.status_code == 403, path
    assert client.delete(link, headers=CROSS_SITE).status_code == 403
    assert client.get(link).status_code == 200


def test_nicknames_are_short_plain_text(app: Flask) -> None:
    store: ClassStore = app.extensions["classes"]
    started = store.start("n")
    student = app.test_client()
    for nickname in ("x" * 31, "esc\x1b[31m", "bell\x07", "right\u202eto left", "zero\u200bwidth"):
        refused = student.post("/join", data={"code": started.code, "nickname": nickname})
        assert refused.status_code == 400, nickname
        assert "plain text" in refused.get_data(as_text=True) or "30 characters" in (
            refused.get_data(as_text=True)
        )
    # Runs of spaces, tabs and newlines become one space.
    student.post("/join", data={"code": started.code, "nickname": " Ada\t\n Lovelace "})
    records = store.records(started.teacher_token)
    assert records is not None and [name for _, name in records.students] == ["Ada Lovelace"]


def test_classes_expire_and_only_hashes_are_kept(app: Flask, tmp_path: object) -> None:
    store: ClassStore = app.extensions["classes"]
    started = store.start("n")
    member = store.join(started.code, "Ada", "n")
    store.record(member, [Record("visit", "get")])
    with sqlite3.connect(app.config["NOTES_DATABASE"]) as db:
        dumped = "\n".join(db.iterdump())
    assert started.teacher_token not in dumped and "Ada" in dumped
    later = store.clock() + CLASS_SECONDS + 1
    notes = app.extensions["notes"]
    assert notes.purge_idle(later) == 0
    with sqlite3.connect(app.config["NOTES_DATABASE"]) as db:
        assert db.execute("SELECT count(*) FROM class_records").fetchone() == (0,)
        assert db.execute("SELECT count(*) FROM class_members").fetchone() == (0,)
    with pytest.raises(ClassError) as gone:
        store.join(started.code, "", "n")
    assert gone.value.status == 410


def test_predictions_count_each_students_first_choice(app: Flask) -> None:
    teacher, ada, outsider = app.test_client(), app.test_client(), app.test_client()
    link, code = start_class(teacher)
    ada.post("/join", data={"code": code, "nickname": "Ada"})
    # Only a class member's own lesson page says where predictions go.
    meta = '<meta name="class-predictions" content="/class/predictions">'
    assert meta in ada.get("/methods/put").get_data(as_text=True)
    assert meta not in outsider.get("/methods/put").get_data(as_text=True)
    assert meta not in outsider.get("/methods/get").get_data(as_text=True)  # the shared page

    def predict(client: FlaskClient, body: object) -> int:
        return client.post("/class/predictions", json=body).status_code

    assert predict(ada, {"lesson": "put", "prediction": "try", "choice": 1}) == 204
    assert predict(ada, {"lesson": "put", "prediction": "try", "choice": 0}) == 204  # a second
    assert predict(outsider, {"lesson": "put", "prediction": "try", "choice": 2}) == 204
    for bad in (
        {"lesson": "put", "prediction": "try", "choice": 9},
        {"lesson": "put", "prediction": "try", "choice": True},
        {"lesson": "put", "prediction": "nope", "choice": 0},
        {"lesson": ["put"], "prediction": "try", "choice": 0},
        [1, 2],
    ):
        assert predict(ada, bad) == 400, bad
    assert (
        ada.post("/class/predictions", data="{", content_type="application/json").status_code == 400
    )
    cross = ada.post(
        "/class/predictions",
        json={"lesson": "put", "prediction": "try", "choice": 1},
        headers=CROSS_SITE,
    )
    assert cross.status_code == 403

    board = teacher.get(f"{link}/live").get_json()["html"]
    assert "1 student predicted." in board
    assert board.count("(1 student)") == 1  # Ada's first choice only; not the outsider's
    rows = cells(teacher.get(f"{link}/export.csv").get_data(as_text=True))
    assert [row[3] for row in rows if row[1] == "prediction"] == ["1", "0"]
