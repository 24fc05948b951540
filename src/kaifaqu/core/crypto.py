"""Commercial-cryptography primitives (SM3, SM4) used across the platform.

- ``hmac_digest``: HMAC over SM3 (or SHA-1/-256/-512 where a peer demands it), from `cryptography`.
- ``seal``/``unseal``: secrets at rest (TOTP seeds, webhook signing keys) under KAIFAQU_FIELD_KEY: SM4-CTR with a
  random nonce, then HMAC-SM3 over version, nonce and ciphertext (encrypt-then-MAC). Each ``purpose`` derives its
  own key pair, so a value sealed for one use never unseals for another. Changing the field key makes every sealed
  value unreadable (docs/deploy.md).
"""

import base64
import hmac as py_hmac
import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

HASHES = {"sha1": hashes.SHA1, "sha256": hashes.SHA256, "sha512": hashes.SHA512, "sm3": hashes.SM3}


def hmac_digest(key: bytes, message: bytes, algorithm: str = "sm3") -> bytes:
    try:
        h = crypto_hmac.HMAC(key, HASHES[algorithm]())
    except KeyError:
        raise ValueError(f"unknown hash algorithm {algorithm!r}") from None
    h.update(message)
    return h.finalize()


def mac_key(master: str, purpose: str) -> bytes:
    """A MAC key of its own for each ``purpose``, derived from a master key (e.g. the audit key)."""
    return hmac_digest(master.encode(), f"kaifaqu/{purpose}/mac".encode())


def _keys(master: str, purpose: str) -> tuple[bytes, bytes]:
    root = master.encode()
    return (hmac_digest(root, f"kaifaqu/{purpose}/sm4".encode())[:16],
            hmac_digest(root, f"kaifaqu/{purpose}/mac".encode()))


def _master(master):
    if master is not None:
        return master
    from django.conf import settings

    return settings.FIELD_KEY


def seal(plain: bytes, *, purpose: str, master: str | None = None) -> str:
    enc_key, mac_key = _keys(_master(master), purpose)
    nonce = os.urandom(16)
    encryptor = Cipher(algorithms.SM4(enc_key), modes.CTR(nonce)).encryptor()
    body = nonce + encryptor.update(plain) + encryptor.finalize()
    return "v1:" + base64.b64encode(body + hmac_digest(mac_key, b"v1" + body)).decode()


def unseal(sealed: str, *, purpose: str, master: str | None = None) -> bytes:
    version, _, payload = sealed.partition(":")
    if version != "v1":
        raise ValueError("unknown sealed secret version")
    raw = base64.b64decode(payload)
    body, tag = raw[:-32], raw[-32:]
    enc_key, mac_key = _keys(_master(master), purpose)
    if not py_hmac.compare_digest(hmac_digest(mac_key, b"v1" + body), tag):
        raise ValueError("sealed secret does not verify (wrong KAIFAQU_FIELD_KEY, wrong purpose or altered row)")
    decryptor = Cipher(algorithms.SM4(enc_key), modes.CTR(body[:16])).decryptor()
    return decryptor.update(body[16:]) + decryptor.finalize()
