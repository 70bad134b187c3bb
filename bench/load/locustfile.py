"""Simulated trainees for bench/load/run.py (Locust). Two kinds, chosen with LOAD_KIND:

- morning: sign in through the site's form, then My learning, the course page, the lesson
  (whose page carries the lesson player's LRS credentials) and xAPI statements sent as the
  player sends them, again and again at a reading pace;
- checkin: already signed in (the cookie made before the burst), open the check-in page of the
  session under way and press "I am here", once.

Every statement id the LRS accepted and every check-in answered as done is written to
LOAD_OUT, so that run.py can look for each of them in the database afterwards."""

from __future__ import annotations

import json
import os
import re
import threading
import uuid

from locust import HttpUser, between, events, task

KIND = os.environ.get("LOAD_KIND", "morning")
ACCOUNTS = json.loads(os.environ.get("LOAD_ACCOUNTS", "[]"))
COURSE_URL = os.environ.get("LOAD_COURSE_URL", "/courses/")
LESSON_URL = os.environ.get("LOAD_LESSON_URL", "/")
CHECK_IN_URL = os.environ.get("LOAD_CHECK_IN_URL", "")
OUT = os.environ.get("LOAD_OUT", "/tmp/pan-load-accepted.jsonl")
PASSWORD = os.environ.get("LOAD_PASSWORD", "")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PLAYER = re.compile(r'<script id="lesson-player" type="application/json">(.*?)</script>', re.S)

_lock = threading.Lock()
_next = {"i": 0}


def _account() -> dict:
    with _lock:
        account = ACCOUNTS[_next["i"] % len(ACCOUNTS)]
        _next["i"] += 1
    return account


def _record(kind: str, value) -> None:
    with _lock, open(OUT, "a", encoding="utf-8") as handle:
        handle.write(json.dumps({"kind": kind, "value": value}) + "\n")


class Trainee(HttpUser):
    # Five requests a visit and a visit every minute or so: 300 trainees make about 20 a second.
    wait_time = between(45, 105) if KIND == "morning" else between(0.5, 1.0)

    def on_start(self):
        self.account = _account()
        self.player = None
        if KIND == "checkin":
            self.client.cookies.set("sessionid", self.account["session"])
            return
        page = self.client.get("/accounts/login/", name="sign-in page")
        token = CSRF.search(page.text)
        response = self.client.post(
            "/accounts/login/",
            {"login": self.account["email"], "password": PASSWORD,
             "csrfmiddlewaretoken": token.group(1) if token else ""},
            headers={"Referer": self.host + "/accounts/login/"},
            name="sign in",
            allow_redirects=False,
        )  # fmt: skip
        if response.status_code != 302:
            response.failure(f"sign-in answered {response.status_code}")

    @task
    def visit(self):
        if KIND == "checkin":
            self.check_in()
            return
        self.client.get("/my/", name="my learning")
        self.client.get(COURSE_URL, name="course page")
        page = self.client.get(LESSON_URL, name="lesson page")
        found = PLAYER.search(page.text or "")
        if found:
            self.player = json.loads(found.group(1))
        if self.player:
            self.statement("experienced")
            self.statement("completed")

    def statement(self, verb: str):
        player = self.player
        statement_id = str(uuid.uuid4())
        body = {
            "id": statement_id,
            "actor": player["actor"],
            "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}", "display": {"en": verb}},
            "object": {"id": player["activity_id"], "objectType": "Activity"},
            "context": {"registration": player["registration"]},
        }
        with self.client.post(
            player["endpoint"].replace(self.host, "") + "statements",
            data=json.dumps(body),
            headers={"Authorization": player["auth"], "X-Experience-API-Version": "1.0.3",
                     "Content-Type": "application/json"},
            name="xAPI statement",
            catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code == 200:
                _record("statement", statement_id)
                response.success()
            else:
                response.failure(f"LRS answered {response.status_code}")

    def check_in(self):
        if getattr(self, "checked_in", False):
            return  # one check-in each; the user then idles until the run ends
        page = self.client.get(CHECK_IN_URL, name="check-in page")
        token = CSRF.search(page.text or "")
        with self.client.post(
            CHECK_IN_URL,
            {"csrfmiddlewaretoken": token.group(1) if token else ""},
            headers={"Referer": self.host + CHECK_IN_URL},
            name="check in",
            catch_response=True,
        ) as response:
            if response.status_code == 200 and "marked present" in response.text:
                _record("check_in", self.account["email"])
                response.success()
            else:
                response.failure(f"check-in answered {response.status_code}")
        self.checked_in = True


@events.quitting.add_listener
def _summary(environment, **_kwargs):
    environment.process_exit_code = 0  # run.py judges the figures itself
