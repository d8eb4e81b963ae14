"""`python -m i18n update` extracts the messages and merges them into every `.po` file;
`python -m i18n check` lists what is missing or malformed (exit 1 when anything is)."""

from __future__ import annotations

import sys

from i18n.languages import LANGUAGES
from i18n.tools import problems, update


def main(argv: list[str]) -> int:
    """Run one of the commands."""
    command = argv[0] if argv else "check"
    if command == "update":
        for line in update():
            print(line)
        return 0
    if command == "check":
        found = [problem for code in LANGUAGES for problem in problems(code)]
        for problem in found[:200]:
            print(problem)
        print(f"{len(found)} problems in {len(LANGUAGES)} languages")
        return 1 if found else 0
    print("usage: python -m i18n [update|check]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
