"""The ``huxiao`` console command.

huxiao serve [--host H] [--port P] [--no-worker]   web app (ASGI) with the task worker beside it
huxiao worker                                     task worker (huey consumer) on its own
huxiao seed demo [--password P] [--seed N]        the demo city (idempotent)
huxiao seed roles                                 add missing default roles/permissions
huxiao token create --user NAME [--name N]        print a new API token (last line)
huxiao token list [--user NAME] | revoke ID
huxiao user create --username U --org CODE --role CODE
huxiao audit verify | checkpoint | prune --before YYYY-MM-DD
huxiao keys new | status | rotate [--batch N]     data key: generate, count per key, re-encrypt
huxiao otp code USERNAME                          a demo account's current second-factor code
huxiao alarms simulate --school SCH-05 [--kind K] press a school's one-key alarm (signed post)
huxiao manage <django command> ...                any Django management command
"""

from __future__ import annotations

import os
import sys

COMMANDS = ("serve", "worker", "seed", "token", "user", "audit", "import", "keys", "otp", "alarms")


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huxiao.settings")
    from django.core.management import execute_from_command_line

    if not argv or argv[0] in ("-h", "--help", "help"):
        print(__doc__.strip())
        return
    if argv[0] == "manage":
        execute_from_command_line(["huxiao manage", *argv[1:]])
        return
    if argv[0] not in COMMANDS:
        print(
            f"huxiao: 未知命令 '{argv[0]}'（unknown command）。\n\n{__doc__.strip()}",
            file=sys.stderr,
        )
        sys.exit(2)
    execute_from_command_line(["huxiao", *argv])


if __name__ == "__main__":
    main()
