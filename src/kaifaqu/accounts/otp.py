"""One-time passwords: HOTP (RFC 4226) and TOTP (RFC 6238), with HMAC-SHA1 (what authenticator apps speak) or
HMAC-SM3 (for 商用密码应用安全性评估, chosen per deployment with KAIFAQU_OTP_ALGORITHM=sm3).

Written here rather than taken from a package so the SM3 variant is the same code path as SHA1. The seed is kept
sealed at rest by core.crypto (SM4-CTR + HMAC-SM3, encrypt-then-MAC).
"""

import base64
import hmac as py_hmac
import secrets
import struct
from urllib.parse import quote, urlencode

from cryptography.hazmat.primitives import hashes

from kaifaqu.core import crypto

STEP = 30  # seconds
DIGITS = 6
WINDOW = 1  # steps accepted either side of now (clock drift of the phone)
ISSUER = "开发区管理运行平台"

ALGORITHMS = {
    "sha1": hashes.SHA1,
    "sha256": hashes.SHA256,
    "sha512": hashes.SHA512,
    "sm3": hashes.SM3,
}
# RFC 4226 recommends a key as long as the hash output.
KEY_BYTES = {"sha1": 20, "sha256": 32, "sha512": 64, "sm3": 32}


def _hash(algorithm: str):
    try:
        return ALGORITHMS[algorithm]()
    except KeyError:
        raise ValueError(f"unknown OTP algorithm {algorithm!r}") from None


def hmac_digest(key: bytes, message: bytes, algorithm: str = "sha1") -> bytes:
    _hash(algorithm)  # the OTP algorithms' own error for an unknown name
    return crypto.hmac_digest(key, message, algorithm)


def hotp(key: bytes, counter: int, *, digits: int = DIGITS, algorithm: str = "sha1") -> str:
    """RFC 4226 §5.3: HMAC of the 8-byte big-endian counter, dynamic truncation, modulo 10^digits."""
    digest = hmac_digest(key, struct.pack(">Q", counter), algorithm)
    offset = digest[-1] & 0x0F
    binary = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(binary % 10**digits).zfill(digits)


def time_step(unix_time: float, step: int = STEP) -> int:
    return int(unix_time // step)


def totp(key: bytes, unix_time: float, *, digits: int = DIGITS, algorithm: str = "sha1", step: int = STEP) -> str:
    return hotp(key, time_step(unix_time, step), digits=digits, algorithm=algorithm)


def match(key: bytes, code: str, unix_time: float, *, last_step: int = -1, algorithm: str = "sha1",
          window: int = WINDOW) -> int | None:
    """The time step ``code`` belongs to (within ±window of now), or None. Steps at or before ``last_step`` are
    refused so a code, once accepted, is never accepted again (nor any older one)."""
    code = (code or "").strip().replace(" ", "")
    if len(code) != DIGITS or not code.isdigit():
        return None
    now = time_step(unix_time)
    found = None
    for counter in range(now - window, now + window + 1):
        # Compare every candidate (no early exit) so timing does not tell which step matched.
        if py_hmac.compare_digest(hotp(key, counter, algorithm=algorithm), code) and counter > last_step:
            found = counter if found is None else found
    return found


def new_secret(algorithm: str = "sha1") -> bytes:
    return secrets.token_bytes(KEY_BYTES.get(algorithm, 20))


def b32(key: bytes) -> str:
    return base64.b32encode(key).decode().rstrip("=")


def b32_grouped(key: bytes) -> str:
    text = b32(key)
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


def provisioning_uri(key: bytes, account: str, *, algorithm: str = "sha1", issuer: str = ISSUER) -> str:
    """The otpauth:// URI an authenticator app scans (Google Authenticator key-uri format)."""
    label = quote(f"{issuer}:{account}", safe="")
    params = {"secret": b32(key), "issuer": issuer, "algorithm": algorithm.upper(), "digits": DIGITS, "period": STEP}
    return f"otpauth://totp/{label}?{urlencode(params, quote_via=quote)}"


def qr_svg(uri: str) -> str:
    """An inline SVG QR code, rendered here (no external service sees the secret)."""
    import segno

    return segno.make(uri, error="m").svg_inline(scale=5, dark="#000", light="#fff", title="扫码绑定")


# Secret at rest ----------------------------------------------------------------------------------------------------

def seal(plain: bytes, master: str) -> str:
    """The TOTP seed sealed with SM4-CTR + HMAC-SM3 (core.crypto, purpose ``otp-secret``)."""
    return crypto.seal(plain, purpose="otp-secret", master=master)


def unseal(sealed: str, master: str) -> bytes:
    return crypto.unseal(sealed, purpose="otp-secret", master=master)
