"""Short links (/s/<code>) to the audience view, and their QR codes drawn by segno as SVG.

A code is derived from the audience query, so the same deck always gets the same code. Codes
live in this process: the Present page registers its deck's code whenever it draws, so after
a restart the presenter's reconnecting page brings its link back. A phone that was
redirected keeps the full /live?... URL and never needs the code again.
"""

from __future__ import annotations

import hashlib
import threading

import segno

CODE_LENGTH = 6
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/i/l: nothing to misread or mistype
_codes: dict[str, str] = {}
_lock = threading.Lock()


def _code(query: str, length: int) -> str:
    number = int.from_bytes(hashlib.sha256(query.encode("utf-8")).digest(), "big")
    letters = []
    for _ in range(length):
        number, digit = divmod(number, len(ALPHABET))
        letters.append(ALPHABET[digit])
    return "".join(letters)


def short_code(query: str) -> str:
    """The short code of an audience query string, registered so /s/<code> resolves."""
    with _lock:
        for length in range(CODE_LENGTH, 20):
            code = _code(query, length)
            known = _codes.get(code)
            if known is None or known == query:
                _codes[code] = query
                return code
    raise RuntimeError("no free short code")  # pragma: no cover - needs a 2^100 collision


def resolve(code: str) -> str | None:
    """The audience query string of a code, or None when this server does not know it."""
    with _lock:
        return _codes.get(code.lower())


def qr_svg(url: str) -> str:
    """A QR code of the URL as inline SVG, dark on white with the quiet zone scanners need."""
    qr = segno.make(url, error="m")
    svg: str = qr.svg_inline(dark="#000000", light="#ffffff", omitsize=True, title=url)
    return svg
