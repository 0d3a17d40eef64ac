"""API keys: the gateway keeps only their SHA-256 hashes, several at once (one per feed, rotation).

Keys are random tokens (`dealwire api-key new`), so a plain SHA-256 is enough to keep them out of
configuration; the presented key's hash is compared with every configured hash in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

PREFIX = "sha256:"


def hash_key(key: str) -> str:
    return PREFIX + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def new_key() -> str:
    return secrets.token_urlsafe(32)


class ApiKeys:
    def __init__(self, hashes: list[str]) -> None:
        bad = [h for h in hashes if not (h.startswith(PREFIX) and len(h) == len(PREFIX) + 64)]
        if bad:
            raise ValueError(f"API key hashes must look like {PREFIX}<64 hex digits>; {len(bad)} do not")
        if not hashes:
            raise ValueError("no API key hashes configured (DEALWIRE_API_KEY_HASHES)")
        self._digests = [bytes.fromhex(h.removeprefix(PREFIX)) for h in hashes]

    def accepts(self, key: str | None) -> bool:
        if not key:
            return False
        presented = hashlib.sha256(key.encode("utf-8", "surrogatepass")).digest()
        matched = False
        for digest in self._digests:  # no early exit: the time does not tell which key matched
            matched |= hmac.compare_digest(presented, digest)
        return matched
