"""The simulated users of the load test (run by benchmarks/load_test.py; see there).

Each simulated user signs in through the login form (with its CSRF token) as one of the
demo users, then, with 1–5 s of think time between actions (``between(1, 5)``), mixes
dashboard views, searches and match lists fitting its role, and now and then signs out
and in again (a user whose sign-in failed, or who is sent to the login page, signs in
again before the next action, as a person would):

* students (weight 5): their job matches (page and API), library searches in Chinese
  and English (page and API), postings searches, a resource page, the demand map;
* recruiters (weight 2): a posting's ranked candidates (page and API), postings
  searches and details, the demand map;
* staff (weight 3; the platform admin, a college admin, a teacher or an analyst): the
  demand map and regions, the outcomes dashboard, the library usage dashboard (pages
  and their API reads), library searches.

Requests are named by route template with a group prefix (``page:``, ``api:``,
``login:``) so that locust's statistics group and the driver can compute a p95 per
group. Besides locust's CSV, every request is written to the samples file named by
``LOADTEST_SAMPLES`` (start, name, ms, ok) for exact percentiles. The store's ids the
users need (the recruiter's postings, published resources) and the logins come from the
JSON file named by ``LOADTEST_TARGETS``, which the driver writes.
"""

from __future__ import annotations

import csv
import json
import os
import random
import re
from pathlib import Path
from typing import Any, TextIO

from locust import HttpUser, between, events, task
from locust.clients import LocustHttpAdapter
from urllib3.util.retry import Retry

TARGETS: dict[str, Any] = json.loads(Path(os.environ["LOADTEST_TARGETS"]).read_text("utf-8"))
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')

LIBRARY_QUERIES_ZH = ("报关", "冷链", "仓储管理", "跨境电商", "提单", "拣货", "海外仓", "HS编码",
                      "配送路线", "叉车", "多式联运", "国际货运代理")  # fmt: skip
LIBRARY_QUERIES_EN = ("customs declaration", "cold chain", "warehouse", "bill of lading",
                      "order picking", "freight forwarding", "inventory", "cross-border",
                      "incoterms", "route planning")  # fmt: skip
POSTING_QUERIES = ("仓储", "跨境电商", "冷链", "报关", "调度", "物流", "司机", "运营", "采购",
                   "国际货运")  # fmt: skip

_samples: dict[str, Any] = {}


@events.test_start.add_listener
def _open_samples(**_kwargs: Any) -> None:
    path = os.environ.get("LOADTEST_SAMPLES")
    if path:
        f: TextIO = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115
        writer = csv.writer(f)
        writer.writerow(("start", "name", "ms", "ok"))
        _samples.update(file=f, writer=writer)


@events.request.add_listener
def _record(
    name: str, response_time: float, exception: BaseException | None, start_time: float,
    **_kwargs: Any,
) -> None:  # fmt: skip
    writer = _samples.get("writer")
    if writer is not None:
        writer.writerow((f"{start_time:.4f}", name, f"{response_time:.2f}", 0 if exception else 1))


@events.quitting.add_listener
def _close_samples(**_kwargs: Any) -> None:
    f = _samples.pop("file", None)
    if f is not None:
        f.close()


class TalentUser(HttpUser):
    """A signed-in user of one role; subclasses add the tasks of their role."""

    abstract = True
    wait_time = between(1, 5)
    role = ""
    csrf = ""
    signed_in = False

    def on_start(self) -> None:
        # Like a browser, send a GET again once when the server closed the kept-alive
        # connection just as it was reused (uvicorn closes idle ones after 5 s, and the
        # think time is 1-5 s); the retry's time counts in the request's.
        retry = Retry(total=1, connect=1, read=1, status=0, redirect=0, other=0)
        self.client.mount("http://", LocustHttpAdapter(pool_manager=None, max_retries=retry))
        self.username = random.choice(TARGETS["logins"][self.role])
        self.login()

    # --- signing in and out -------------------------------------------------------

    def login(self) -> None:
        self.client.cookies.clear()
        self.signed_in, self.csrf = False, ""
        with self.client.get(
            "/login", name="login:GET /login", allow_redirects=False, catch_response=True
        ) as r:
            found = CSRF.search(r.text) if r.status_code == 200 else None
            if found is None:
                r.failure(f"no login form (HTTP {r.status_code})")
                return
        form = {"username": self.username, "password": TARGETS["password"], "next": "/",
                "csrf_token": found.group(1)}  # fmt: skip
        with self.client.post(
            "/login", data=form, name="login:POST /login", allow_redirects=False,
            catch_response=True,
        ) as r:  # fmt: skip
            where = r.headers.get("location", "")
            if r.status_code != 303 or where.startswith("/login"):
                r.failure(f"sign-in refused (HTTP {r.status_code}, to {where!r})")
            else:
                self.signed_in = True

    def ready(self) -> bool:
        """Signed in, or signing in again now (as a person would after a failed sign-in
        or when sent to the login page); False if that failed too."""
        if not self.signed_in:
            self.login()
        return self.signed_in

    @task(1)
    def sign_in_again(self) -> None:
        """Now and then: sign out (the form in the page header) and in again."""
        if not self.ready():
            return
        if not self.csrf:
            self.page("/", "page:/")
        with self.client.post(
            "/logout", data={"csrf_token": self.csrf}, name="login:POST /logout",
            allow_redirects=False, catch_response=True,
        ) as r:  # fmt: skip
            if r.status_code != 303:
                r.failure(f"sign-out refused (HTTP {r.status_code})")
        self.login()

    # --- requests -------------------------------------------------------------------

    def page(self, url: str, name: str, params: dict[str, Any] | None = None) -> None:
        """An HTML page: 200 with the page (a redirect to the login is a failure)."""
        if not self.ready():
            return
        with self.client.get(
            url, params=params, name=name, allow_redirects=False, catch_response=True
        ) as r:
            if r.status_code == 0:
                r.failure(f"no answer: {r.error!r}")
                return
            if r.status_code != 200:
                where = r.headers.get("location", "")
                r.failure(f"HTTP {r.status_code} {where}".rstrip())
                self.signed_in = not where.startswith("/login")
                return
            found = CSRF.search(r.text)
            if found is not None:
                self.csrf = found.group(1)

    def api(self, url: str, name: str, params: dict[str, Any] | None = None) -> None:
        """An API read: 200 with JSON."""
        if not self.ready():
            return
        with self.client.get(
            url, params=params, name=name, allow_redirects=False, catch_response=True
        ) as r:
            if r.status_code == 0:
                r.failure(f"no answer: {r.error!r}")
            elif r.status_code != 200:
                r.failure(f"HTTP {r.status_code}: {r.text[:200]}")
                self.signed_in = r.status_code != 401
            elif not r.headers.get("content-type", "").startswith("application/json"):
                r.failure(f"not JSON: {r.headers.get('content-type')}")

    def library_search_page(self) -> None:
        q = random.choice(LIBRARY_QUERIES_ZH + LIBRARY_QUERIES_EN)
        self.page("/library/search", "page:/library/search", {"q": q})

    def library_search_api(self) -> None:
        q = random.choice(LIBRARY_QUERIES_ZH + LIBRARY_QUERIES_EN)
        self.api("/api/v1/library/search", "api:/api/v1/library/search", {"q": q})

    def postings_search_api(self) -> None:
        q = random.choice(POSTING_QUERIES)
        self.api("/api/v1/postings", "api:/api/v1/postings", {"q": q})


class Student(TalentUser):
    weight = 5
    role = "student"

    @task(12)
    def my_jobs_page(self) -> None:
        self.page("/matching/jobs", "page:/matching/jobs")

    @task(8)
    def my_jobs_api(self) -> None:
        self.api("/api/v1/match/jobs", "api:/api/v1/match/jobs")

    @task(10)
    def search_page(self) -> None:
        self.library_search_page()

    @task(8)
    def search_api(self) -> None:
        self.library_search_api()

    @task(8)
    def postings(self) -> None:
        self.postings_search_api()

    @task(4)
    def resource(self) -> None:
        rid = random.choice(TARGETS["resources"])
        self.page(f"/library/resources/{rid}", "page:/library/resources/[id]")

    @task(6)
    def demand(self) -> None:
        self.page("/demand", "page:/demand")


class Recruiter(TalentUser):
    weight = 2
    role = "recruiter"

    @task(12)
    def candidates_page(self) -> None:
        pid = random.choice(TARGETS["recruiter_postings"])
        self.page(f"/matching/postings/{pid}/candidates", "page:/matching/postings/[id]/candidates")

    @task(8)
    def candidates_api(self) -> None:
        pid = random.choice(TARGETS["recruiter_postings"])
        self.api("/api/v1/match/candidates", "api:/api/v1/match/candidates", {"posting_id": pid})

    @task(8)
    def postings(self) -> None:
        self.postings_search_api()

    @task(6)
    def posting(self) -> None:
        pid = random.choice(TARGETS["recruiter_postings"])
        self.api(f"/api/v1/postings/{pid}", "api:/api/v1/postings/[id]")

    @task(6)
    def demand(self) -> None:
        self.page("/demand", "page:/demand")

    @task(4)
    def top_skills(self) -> None:
        self.api("/api/v1/demand/top-skills", "api:/api/v1/demand/top-skills")


class Staff(TalentUser):
    weight = 3
    role = "staff"

    @task(8)
    def demand(self) -> None:
        self.page("/demand", "page:/demand")

    @task(4)
    def regions(self) -> None:
        self.page("/demand/regions", "page:/demand/regions")

    @task(8)
    def outcomes(self) -> None:
        self.page("/outcomes", "page:/outcomes")

    @task(6)
    def library_stats(self) -> None:
        self.page("/library/stats", "page:/library/stats")

    @task(4)
    def totals_api(self) -> None:
        self.api("/api/v1/demand/totals", "api:/api/v1/demand/totals")

    @task(4)
    def top_skills(self) -> None:
        self.api("/api/v1/demand/top-skills", "api:/api/v1/demand/top-skills")

    @task(4)
    def indicators_api(self) -> None:
        self.api("/api/v1/outcomes/indicators", "api:/api/v1/outcomes/indicators")

    @task(4)
    def library_stats_api(self) -> None:
        self.api("/api/v1/library/stats", "api:/api/v1/library/stats")

    @task(6)
    def search_page(self) -> None:
        self.library_search_page()

    @task(2)
    def search_api(self) -> None:
        self.library_search_api()
