"""Server time per web page with 100 patients in the database.

Method: build the app on a fresh SQLite file, seed ~100 demo patients (1–3 assessments
each, prescriptions drafted through the real assistant when ``rules/default`` loads),
log in, then request each main page through Flask's test client: 5 warm-up requests, then
``--repeat`` timed ones. The time is the full request inside the server process
(routing, database, templates, the audit write; no network), reported as median and 95th
percentile. Target: median < 100 ms for every page.

    python bench/bench_web.py            # print the table
    python bench/bench_web.py --write    # also update the "Web pages" section of bench/README.md
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_MS = 100.0


def build(tmp: Path):
    from sqlalchemy import func, select

    from web import create_app
    from web.extensions import db
    from web.tables import Assessment, Patient, Prescription, ShareLink

    rules = ROOT / "rules" / "default"
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI":
                      f"sqlite:///{tmp / 'bench.sqlite3'}", "RULES_DIR": str(rules),
                      "MODEL_DIR": str(ROOT / "models" / "fitness_tier"),
                      "ARGON2_PROFILE": "CHEAPEST"}, instance_path=str(tmp))
    with app.app_context():
        from web.commands import upgrade_database
        from web.demo import add_patients, demo_users
        from web.operations import sharing

        upgrade_database(app)
        users = demo_users(db.session)
        counts = add_patients(db.session, users, app.extensions["clinic"].assistant,
                              scale=100 / 31, second_station_every=0)
        db.session.commit()
        signed = db.session.scalar(select(Prescription).where(Prescription.status == "signed"))
        draft = db.session.scalar(select(Prescription).where(Prescription.status == "draft"))
        if signed is not None:
            sharing.create_share_link(db.session, users["doctor"], signed, days=90)
            db.session.commit()
        ids = {
            "patient": db.session.scalar(
                select(Patient.id).join(Assessment).group_by(Patient.id)
                .order_by(func.count(Assessment.id).desc())),
            "assessment": db.session.scalar(select(Assessment.id).order_by(Assessment.id)),
            "signed": signed.id if signed else None, "draft": draft.id if draft else None,
            "token": db.session.scalar(select(ShareLink.token)),
            "patients": db.session.scalar(select(func.count(Patient.id))),
        }
    return app, counts, ids


def pages(ids: dict) -> list[tuple[str, str, str]]:
    """(name, user, url) of the pages people use most."""
    out = [("Patient list", "doctor", "/patients/"),
           ("Patient list, page 3", "doctor", "/patients/?page=3"),
           ("Patient search", "doctor", "/patients/?q=王"),
           ("Patient page (history + chart)", "doctor", f"/patients/{ids['patient']}"),
           ("New assessment form", "doctor", f"/assessments/new/{ids['patient']}"),
           ("Assessment with scores", "doctor", f"/assessments/{ids['assessment']}")]
    if ids["signed"]:
        out.append(("Prescription (signed)", "doctor", f"/prescriptions/{ids['signed']}"))
    if ids["draft"]:
        out.append(("Prescription review form", "doctor",
                    f"/prescriptions/{ids['draft']}/review"))
    if ids["token"]:
        out.append(("Share link page (no login)", None, f"/p/{ids['token']}"))
    out.append(("Audit log (admin)", "admin", "/admin/audit"))
    return out


def measure(app, url: str, user: str | None, repeat: int) -> tuple[float, float]:
    from web.demo import DEMO_PASSWORD

    client = app.test_client()
    if user:
        app.config["WTF_CSRF_ENABLED"] = False
        client.post("/auth/login", data={"username": user, "password": DEMO_PASSWORD})
        app.config["WTF_CSRF_ENABLED"] = True
    for _ in range(5):
        assert client.get(url).status_code == 200, url
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, url
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--write", action="store_true", help="update bench/README.md")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        app, counts, ids = build(Path(tmp))
        seeded = time.perf_counter() - started
        rows = []
        for name, user, url in pages(ids):
            median, p95 = measure(app, url, user, args.repeat)
            rows.append((name, url.split("?")[0] if "/p/" in url else url, median, p95))
            print(f"{name:<34} {median:7.1f} ms  p95 {p95:7.1f} ms")
        from web.extensions import db

        with app.app_context():
            db.engine.dispose()
    worst = max(r[2] for r in rows)
    verdict = "met" if worst < TARGET_MS else "NOT met"
    print(f"slowest median {worst:.1f} ms: target < {TARGET_MS:.0f} ms {verdict}")
    if args.write:
        write_readme(rows, counts, ids, seeded, args.repeat, worst, verdict)
    return 0 if worst < TARGET_MS else 1


def write_readme(rows, counts, ids, seeded, repeat, worst, verdict) -> None:
    load = os.getloadavg() if hasattr(os, "getloadavg") else ()
    lines = [
        "## Web pages", "",
        f"`python bench/bench_web.py --write` — {ids['patients']} patients, "
        f"{counts['assessments']} assessments, {counts['prescriptions']} prescriptions "
        f"({counts['signed']} signed) seeded through the real operations and assistant "
        f"in {seeded:.0f} s on a fresh SQLite file (migrated to head). Each page: 5 warm-up "
        f"requests, then {repeat} timed requests through Flask's test client as a logged-in "
        "user; the time is the whole request inside the server (routing, queries, audit "
        "write, template), without network. Target: median < 100 ms.", "",
        "| page | median (ms) | p95 (ms) |", "|---|---:|---:|",
        *[f"| {name} | {median:.1f} | {p95:.1f} |" for name, _url, median, p95 in rows], "",
        f"Slowest median: **{worst:.1f} ms** — target {verdict}. Machine: "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores"
        + (f" (load average {load[0]:.1f} during the run: the machine is shared)"
           if load else "") + f", Python {platform.python_version()}, SQLite "
        f"{__import__('sqlite3').sqlite_version}.", "",
    ]
    readme = ROOT / "bench" / "README.md"
    text = readme.read_text(encoding="utf-8") if readme.exists() else "# Benchmarks\n\n"
    section = "\n".join(lines)
    pattern = re.compile(r"^## Web pages\n.*?(?=^## |\Z)", re.S | re.M)
    text = pattern.sub(lambda _m: section + "\n", text) if pattern.search(text) else \
        text.rstrip("\n") + "\n\n" + section + "\n"
    readme.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
