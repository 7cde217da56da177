"""``prescribe serve | db upgrade | users add | demo``: the web app's commands.

Each imports ``web`` only when it runs, so the core CLI works on machines without the web
stack configured (and ``import prescribe`` never loads Flask).
"""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    serve = subparsers.add_parser(
        "serve", help="run the clinician web app (waitress)",
        description="Apply database migrations and serve the web app. With --demo, add demo "
                    "stations, users and patients to an empty database and print the logins.")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default 127.0.0.1; 0.0.0.0 for the LAN)")
    serve.add_argument("--port", type=int, default=5000, help="port (default 5000)")
    serve.add_argument("--demo", action="store_true", help="seed demo data into an empty DB")
    serve.add_argument("--threads", type=int, default=8, help="worker threads (default 8)")
    serve.set_defaults(func=_serve)

    db = subparsers.add_parser("db", help="database schema commands")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    upgrade = db_sub.add_parser("upgrade", help="apply migrations (DATABASE_URL or the "
                                                "instance SQLite file)")
    upgrade.add_argument("--revision", default="head", help="target revision (default head)")
    upgrade.set_defaults(func=_db_upgrade)

    users = subparsers.add_parser("users", help="manage web app accounts")
    users_sub = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    add = users_sub.add_parser(
        "add", help="create a user (password from PRESCRIBE_PASSWORD or a prompt)")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=("clinician", "prescriber", "admin"))
    add.add_argument("--station", required=True, metavar="NAME",
                     help="station name (created if it does not exist)")
    add.add_argument("--name", help="full name shown in the app (default: the username)")
    add.add_argument("--language", choices=("zh", "en"), default="zh")
    add.set_defaults(func=_users_add)

    demo = subparsers.add_parser("demo", help="add demo stations, users and patients to an "
                                              "empty database")
    demo.set_defaults(func=_demo)


def _serve(args: argparse.Namespace) -> int:
    from web.commands import serve

    return serve(args.host, args.port, demo=args.demo, threads=args.threads)


def _db_upgrade(args: argparse.Namespace) -> int:
    from web import create_app
    from web.commands import upgrade_database

    upgrade_database(create_app(), args.revision)
    print("database is at revision", args.revision)
    return 0


def _users_add(args: argparse.Namespace) -> int:
    from web import create_app
    from web.commands import add_user, read_password, upgrade_database

    app = create_app()
    upgrade_database(app)
    add_user(app, args.username, args.role, args.station, read_password(),
             display_name=args.name, language=args.language)
    return 0


def _demo(args: argparse.Namespace) -> int:
    from web import create_app
    from web.commands import print_demo_logins, seed_demo_data, upgrade_database

    app = create_app()
    upgrade_database(app)
    if seed_demo_data(app) is not None:
        print_demo_logins()
    return 0
