"""Load with writes: staff entering donations while residents read.

    DATABASE_URL=postgres://... .venv/bin/python bench/load_writes.py \\
        --url http://127.0.0.1:8765 --duration 60 --staff 20 --readers 200

- ``--staff`` sessions sign in (canbo and thuongtruc of the demo, password lddh2024, or
  ``--users``) and enter donations through the real form: the page is read, its CSRF
  token and form token taken, a new donor (a unique name) and a cash donation of a
  random amount posted, and the receipt number read from the page it leads to.
- ``--readers`` public clients read the home page, the donor list (some with a name
  search), the receipt check form and, now and then, check a receipt that a staff
  session just issued. Receipt checks are throttled per client address (all readers
  share 127.0.0.1 here), so a 429 on that POST counts as "throttled", not as a failure;
  any other status than 200 (or 302 where a form redirects) is a failure.

Afterwards: the receipt numbers seen are all different, and ``manage.py check_fund``
(run here with the same environment, so DATABASE_URL must name the server's database)
finds the receipt series without gap or duplicate and the ledger balanced. Prints a
summary; exits 1 when a request failed, a number repeated, or the check found an error.
Every request goes to --url only (a loopback address) and the run stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import os
import random
import re
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent
CREATE = "/quan-ly/ung-ho/nhap/"
LOGIN = "/dang-nhap/"
RECEIPT_NUMBER = re.compile(r"biên nhận số ([A-Z]+-\d{4}-\d{6})")
HIDDEN = r'name="{name}"[^>]*?value="([^"]*)"|value="([^"]*)"[^>]*?name="{name}"'


def hidden(html: str, name: str) -> str | None:
    match = re.search(HIDDEN.format(name=re.escape(name)), html)
    if match is None:
        return None
    return match.group(1) if match.group(1) is not None else match.group(2)


def first_option(html: str, name: str) -> str | None:
    select = re.search(rf'<select[^>]*name="{re.escape(name)}"[^>]*>(.*?)</select>', html, re.S)
    if select is None:
        return None
    match = re.search(r'<option value="(\d+)"', select.group(1))
    return match.group(1) if match else None


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    failures: list[str] = field(default_factory=list)
    throttled: int = 0
    receipts: list[str] = field(default_factory=list)
    amounts: int = 0

    def record(self, kind: str, started: float, status: int) -> None:
        self.latencies[kind].append(time.perf_counter() - started)
        self.statuses[kind][status] += 1

    def fail(self, message: str) -> None:
        if len(self.failures) < 1000:
            self.failures.append(message)


class Session:
    """Cookies kept by hand: with DEBUG off the cookies are marked Secure, and a client
    would rightly not send them back over plain http to 127.0.0.1."""

    def __init__(self, client: httpx.AsyncClient):
        self.client = client
        self.cookies: dict[str, str] = {}

    def _keep(self, response: httpx.Response) -> None:
        for header in response.headers.get_list("set-cookie"):
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    async def request(self, method: str, path: str, **kwargs) -> httpx.Response:
        headers = kwargs.pop("headers", {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = await self.client.request(method, path, headers=headers, **kwargs)
        self._keep(response)
        return response


async def staff_worker(
    number: int, base: str, username: str, password: str, deadline: float, stats: Stats
) -> None:
    rng = random.Random(number)
    # People sign in over the first seconds, not all in one: a sign-in hashes the
    # password on purpose slowly (PBKDF2), 20 at once queue behind each other.
    await asyncio.sleep(rng.uniform(0, min(10.0, (deadline - time.monotonic()) / 4)))
    async with httpx.AsyncClient(base_url=base, timeout=60, follow_redirects=False) as client:
        session = Session(client)
        started = time.perf_counter()
        page = await session.request("GET", LOGIN)
        token = hidden(page.text, "csrfmiddlewaretoken")
        response = await session.request(
            "POST",
            LOGIN,
            data={"csrfmiddlewaretoken": token, "username": username, "password": password},
            headers={"Referer": base + LOGIN},
        )
        stats.record("staff: sign in", started, response.status_code)
        if response.status_code != 302 or "sessionid" not in session.cookies:
            stats.fail(f"staff {number}: sign-in as {username} gave {response.status_code}")
            return
        entered = 0
        while time.monotonic() < deadline:
            started = time.perf_counter()
            form = await session.request("GET", CREATE)
            stats.record("staff: open form", started, form.status_code)
            if form.status_code != 200:
                stats.fail(f"staff {number}: form page gave {form.status_code}")
                await asyncio.sleep(1)
                continue
            csrf = hidden(form.text, "csrfmiddlewaretoken")
            form_token = hidden(form.text, "form_token")
            fund = first_option(form.text, "fund")
            if not (csrf and form_token and fund):
                stats.fail(f"staff {number}: the form lacks its tokens or a fund")
                return
            entered += 1
            amount = rng.randrange(50, 5000) * 1000
            data = {
                "csrfmiddlewaretoken": csrf,
                "form_token": form_token,
                "donor": "",
                "new_source": "individual",
                "new_name": f"Người thử tải {number}-{entered}-{rng.randrange(10**6)}",
                "new_address": f"Số {rng.randrange(1, 200)} phố Lê Đại Hành",
                "amount": f"{amount:,}".replace(",", "."),
                "channel": "cash",
                "date": datetime.date.today().strftime("%d/%m/%Y"),
                "purpose": "fund",
                "fund": fund,
                "campaign": "",
                "items-TOTAL_FORMS": "0",
                "items-INITIAL_FORMS": "0",
                "items-MIN_NUM_FORMS": "0",
                "items-MAX_NUM_FORMS": "20",
            }
            started = time.perf_counter()
            saved = await session.request(
                "POST", CREATE, data=data, headers={"Referer": base + CREATE}
            )
            stats.record("staff: save donation", started, saved.status_code)
            if saved.status_code != 302:
                errors = re.findall(r'class="[^"]*invalid-feedback[^"]*"[^>]*>([^<]+)', saved.text)
                stats.fail(
                    f"staff {number}: saving gave {saved.status_code} {' '.join(errors)[:200]}"
                )
                continue
            started = time.perf_counter()
            detail = await session.request("GET", saved.headers["location"])
            stats.record("staff: donation page", started, detail.status_code)
            found = RECEIPT_NUMBER.search(detail.text)
            if detail.status_code != 200 or found is None:
                stats.fail(f"staff {number}: no receipt number after saving")
                continue
            stats.receipts.append(found.group(1))
            stats.amounts += amount
            await asyncio.sleep(rng.uniform(0.2, 1.0))  # a person types the next one


async def reader_worker(
    number: int, base: str, year: int, think: tuple[float, float], deadline: float, stats: Stats
) -> None:
    rng = random.Random(10_000 + number)
    pages = [
        ("public: home", "/"),
        ("public: donor list", f"/cong-khai/{year}/ung-ho/"),
        ("public: donor search", f"/cong-khai/{year}/ung-ho/?ten=nguyen"),
        ("public: year page", f"/cong-khai/{year}/"),
        ("public: receipt check form", "/tra-cuu/"),
    ]
    await asyncio.sleep(rng.uniform(0, think[1]))  # readers arrive over a few seconds
    async with httpx.AsyncClient(base_url=base, timeout=60, follow_redirects=False) as client:
        session = Session(client)
        while time.monotonic() < deadline:
            kind, path = rng.choice(pages)
            started = time.perf_counter()
            try:
                response = await session.request("GET", path)
            except httpx.HTTPError as error:
                stats.fail(f"reader {number}: {path}: {type(error).__name__}")
                continue
            stats.record(kind, started, response.status_code)
            if response.status_code != 200:
                stats.fail(f"reader {number}: {path} gave {response.status_code}")
            elif path == "/tra-cuu/" and stats.receipts and rng.random() < 0.2:
                await check_receipt(session, base, response.text, stats, rng)
            await asyncio.sleep(rng.uniform(*think))  # a person reads the page


async def check_receipt(session: Session, base: str, page: str, stats: Stats, rng) -> None:
    number = rng.choice(stats.receipts)
    started = time.perf_counter()
    response = await session.request(
        "POST",
        "/tra-cuu/",
        data={"csrfmiddlewaretoken": hidden(page, "csrfmiddlewaretoken"), "so": number, "tien": ""},
        headers={"Referer": base + "/tra-cuu/"},
    )
    stats.record("public: receipt check", started, response.status_code)
    if response.status_code == 429:
        stats.throttled += 1
    elif response.status_code != 200:
        stats.fail(f"receipt check of {number} gave {response.status_code}")


def check_fund(env_file_dir: Path) -> tuple[int, str]:
    """The integrity check of the books, in the server's database (same environment)."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check_fund"],
        cwd=env_file_dir,
        capture_output=True,
        text=True,
        timeout=600,
        env=os.environ,
        check=False,
    )
    return result.returncode, (result.stdout + result.stderr).strip()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def report(stats: Stats, seconds: float) -> None:
    print(f"\n{'kind':30} {'requests':>9} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}  statuses")
    total = 0
    for kind in sorted(stats.latencies):
        values = stats.latencies[kind]
        total += len(values)
        codes = ", ".join(f"{code}×{n}" for code, n in sorted(stats.statuses[kind].items()))
        print(
            f"{kind:30} {len(values):9} {statistics.median(values) * 1000:10.0f} "
            f"{percentile(values, 0.95) * 1000:8.0f} {max(values) * 1000:8.0f}  {codes}"
        )
    print(f"\n{total} requests in {seconds:.0f} s ({total / seconds:.1f}/s)")
    print(
        f"{len(stats.receipts)} donations entered ({len(stats.receipts) / seconds * 60:.0f} a "
        f"minute), {stats.amounts:,} đ".replace(",", ".")
    )
    print(f"{stats.throttled} receipt checks throttled (429, expected: one address)")


async def run(args) -> int:
    base = args.url.rstrip("/")
    host = urlsplit(base).hostname or ""
    if not (host in ("localhost", "::1") or host.startswith("127.")):
        print("--url must be a loopback address (127.0.0.1, localhost).", file=sys.stderr)
        return 2
    users = [u.strip() for u in args.users.split(",") if u.strip()]
    stats = Stats()
    async with httpx.AsyncClient(base_url=base, timeout=30) as probe:
        health = await probe.get("/healthz")
        if health.status_code != 200:
            print(f"{base}/healthz answered {health.status_code}: is the server up?")
            return 2
    started = time.monotonic()
    deadline = started + args.duration
    tasks = [
        staff_worker(n, base, users[n % len(users)], args.password, deadline, stats)
        for n in range(args.staff)
    ]
    think = tuple(float(x) for x in args.think.split("-", 1))
    tasks += [
        reader_worker(n, base, args.year, think, deadline, stats) for n in range(args.readers)
    ]
    print(
        f"{args.staff} staff sessions ({', '.join(users)}) and {args.readers} readers "
        f"for {args.duration} s against {base} ..."
    )
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=args.duration + 300)
    seconds = time.monotonic() - started
    report(stats, seconds)

    problems = list(stats.failures)
    repeated = [n for n, count in Counter(stats.receipts).items() if count > 1]
    if repeated:
        problems.append(f"receipt numbers issued twice: {', '.join(repeated[:10])}")
    if args.staff and not stats.receipts:
        problems.append("no donation was entered")
    if args.check:
        code, output = check_fund(ROOT)
        print("\nmanage.py check_fund:")
        print("\n".join("  " + line for line in output.splitlines()[-25:]))
        if code != 0:
            problems.append("check_fund found an error in the books (see above)")
    if problems:
        print(f"\nFAILED: {len(problems)} problem(s)")
        for line in problems[:30]:
            print("  - " + line)
        return 1
    print(
        "\nOK: no request failed, every receipt number is different"
        + (
            ", and check_fund finds the series gapless and the ledger balanced."
            if args.check
            else "."
        )
    )
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8765")
    parser.add_argument("--duration", type=int, default=60, help="seconds")
    parser.add_argument("--staff", type=int, default=20)
    parser.add_argument("--readers", type=int, default=200)
    parser.add_argument("--users", default="canbo,thuongtruc", help="staff accounts to use")
    parser.add_argument("--password", default=os.environ.get("LDDH_BENCH_PASSWORD", "lddh2024"))
    parser.add_argument("--year", type=int, default=2024, help="campaign year of public pages")
    parser.add_argument(
        "--think",
        default="1-5",
        help="seconds a reader spends on a page before the next one, as MIN-MAX",
    )
    parser.add_argument(
        "--no-check",
        dest="check",
        action="store_false",
        help="skip manage.py check_fund afterwards (when the database is not reachable here)",
    )
    args = parser.parse_args(argv)
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
