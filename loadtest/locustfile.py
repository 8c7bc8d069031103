"""`make loadtest`: simulated users of the portal (Locust), on the logins that
``loadtest/prepare.py`` wrote.

Each simulated user takes one login of its role for the whole run (a pegawai never shares
an appraisal with another simulated user, as in real life), logs in once at the start, and
then plays its role's journey with a pause of ``LOADTEST_WAIT`` seconds (default "2,8")
between steps; now and then it logs out and in again. The autosave of a realisation posts
what the page's script posts (the version and the values the page last saw saved) and takes
the new version from the answer. Every save the portal confirmed is appended to
``<ASN_DATA_DIR>/loadtest/saves.jsonl`` (and each save sent, before its answer);
``loadtest/verify.py`` checks them against the database afterwards.
"""

from __future__ import annotations

import json
import os
import random
import re
from itertools import count
from pathlib import Path

from locust import HttpUser, between, events, task

DATA = Path(os.environ.get("ASN_DATA_DIR", Path(__file__).resolve().parent.parent / "var"))
LOGINS = json.loads((DATA / "loadtest" / "users.json").read_text())
SAVES = DATA / "loadtest" / "saves.jsonl"
WAIT = [float(x) for x in os.environ.get("LOADTEST_WAIT", "2,8").split(",")]
VERSION = re.compile(r'name="version" value="(\d+)"')
LEVEL = re.compile(r'name="((?:level|behaviour)_\d+)"')
SEARCHES = ("Sari", "Wijaya", "Budi", "1985", "Dewi", "Putra")
_taken = {role: count() for role in ("pegawai", "atasan", "admin_hr", "admin_daerah")}
_log = None


@events.test_start.add_listener
def _open_log(environment, **kwargs):
    global _log
    SAVES.parent.mkdir(parents=True, exist_ok=True)
    _log = SAVES.open("w", encoding="utf-8")


@events.test_stop.add_listener
def _close_log(environment, **kwargs):
    if _log is not None:
        _log.close()


def record(**row) -> None:
    if _log is not None:
        _log.write(json.dumps(row) + "\n")
        _log.flush()


class PortalUser(HttpUser):
    abstract = True
    role = ""
    wait_time = between(*WAIT)

    def on_start(self) -> None:
        rows = LOGINS[self.role]
        self.me = rows[next(_taken[self.role]) % len(rows)]
        self.login()

    def csrf(self) -> str:
        return self.client.cookies.get("csrftoken", "")

    def login(self) -> None:
        self.client.get("/akun/login/", name="login page")
        with self.client.post(
            "/akun/login/",
            {"login": self.me["login"], "password": LOGINS["password"],
             "csrfmiddlewaretoken": self.csrf()},
            headers={"Referer": self.host + "/akun/login/"},
            name="log in", allow_redirects=False, catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code != 302:
                response.failure(f"login {self.me['login']}: HTTP {response.status_code}")
                return
        self.after_login()

    def after_login(self) -> None:
        """What the user opens once logged in (the pegawai: their appraisal)."""

    @task(1)
    def log_out_and_in(self) -> None:
        self.client.post(
            "/akun/logout/", {"csrfmiddlewaretoken": self.csrf()},
            headers={"Referer": self.host + "/"}, name="log out", allow_redirects=False,
        )  # fmt: skip
        self.login()

    @task(4)
    def home(self) -> None:
        self.client.get("/", name="home")


class Pegawai(PortalUser):
    """Opens their appraisal and fills realisations, one autosave at a time."""

    role = "pegawai"
    weight = 70

    def on_start(self) -> None:
        self.version = 0
        self.saved: dict[int, dict[str, str]] = {}
        super().on_start()

    def after_login(self) -> None:
        self.open_appraisal()

    def open_appraisal(self) -> None:
        response = self.client.get(f"/penilaian/{self.me['appraisal']}/", name="my appraisal")
        found = VERSION.search(response.text or "")
        if found:
            self.version = int(found.group(1))

    @task(3)
    def my_appraisal(self) -> None:
        self.open_appraisal()

    @task(1)
    def my_appraisals(self) -> None:
        self.client.get("/penilaian/", name="my appraisals")

    @task(8)
    def save_realisation(self) -> None:
        indicator = random.choice(self.me["indicators"])
        value = random.randint(1, 250_000)
        typed = f"{value:,}".replace(",", ".") if value > 999 else str(value)
        base = self.saved.get(indicator)
        data = {"version": self.version, "realisation": typed, "comment": "", "self_level": ""}
        # Sent, answer not yet known: a run that ends meanwhile may leave it saved unconfirmed.
        record(kind="realisation", sent=True, appraisal=self.me["appraisal"],
               indicator=indicator, value=str(value))  # fmt: skip
        if base is not None:
            data |= {f"base_{k}": v for k, v in base.items()}
        with self.client.post(
            f"/penilaian/{self.me['appraisal']}/realisasi/{indicator}/", data,
            headers={"Accept": "application/json", "X-CSRFToken": self.csrf(),
                     "Referer": self.host + f"/penilaian/{self.me['appraisal']}/"},
            name="save realisation", catch_response=True,
        ) as response:  # fmt: skip
            try:
                answer = response.json()
            except ValueError:
                response.failure(f"HTTP {response.status_code}, not JSON")
                return
            if response.status_code == 200 and answer.get("ok"):
                self.version = answer["version"]
                self.saved[indicator] = answer["saved"]
                record(kind="realisation", appraisal=self.me["appraisal"], indicator=indicator,
                       value=answer["saved"]["realisation"])  # fmt: skip
            else:
                # The page would show the message and reload: so does the simulated user.
                self.version = answer.get("version", self.version)
                response.failure(f"HTTP {response.status_code}: {answer.get('errors')}")


class Atasan(PortalUser):
    """Looks at the team and saves the levels of a subordinate's appraisal."""

    role = "atasan"
    weight = 15

    @task(3)
    def team(self) -> None:
        self.client.get("/tim/", name="my team")

    @task(3)
    def score(self) -> None:
        """The levels of the rubric indicators and BerAKHLAK values the page offers."""
        pk = random.choice(self.me["appraisals"])
        page = self.client.get(f"/penilaian/{pk}/", name="appraisal (atasan)")
        version = VERSION.search(page.text or "")
        fields = sorted(set(LEVEL.findall(page.text or "")))
        if not version or not fields:
            return
        levels = {field: random.randint(1, 5) for field in fields}
        record(kind="scores", sent=True, appraisal=pk, levels=levels)
        with self.client.post(
            f"/penilaian/{pk}/nilai/",
            {"version": version.group(1), "reason": "", **levels,
             "csrfmiddlewaretoken": self.csrf()},
            headers={"Referer": self.host + f"/penilaian/{pk}/"},
            name="save scores", allow_redirects=False, catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code == 302:
                record(kind="scores", appraisal=pk, levels=levels)
            else:
                response.failure(f"HTTP {response.status_code}")


class AdminHr(PortalUser):
    """The agency's cycle page, the employee list and a search."""

    role = "admin_hr"
    weight = 10

    @task(3)
    def cycle(self) -> None:
        self.client.get(f"/siklus/{self.me['cycle']}/", name="cycle page (HR)")

    @task(3)
    def employees(self) -> None:
        self.client.get("/pegawai/", name="employee list")

    @task(2)
    def search(self) -> None:
        self.client.get("/pegawai/", params={"q": random.choice(SEARCHES)}, name="employee search")


class AdminDaerah(PortalUser):
    """The region's cycles, employee list pages and searches."""

    role = "admin_daerah"
    weight = 5

    @task(2)
    def cycles(self) -> None:
        self.client.get("/siklus/", name="cycle list")

    @task(3)
    def employees(self) -> None:
        self.client.get("/pegawai/", params={"page": random.randint(1, 20)}, name="employee list")

    @task(2)
    def search(self) -> None:
        self.client.get("/pegawai/", params={"q": random.choice(SEARCHES)}, name="employee search")
