"""Signing with a key on a PKCS#11 token (CERTIFICATE_SIGNING_PKCS11_*): the token signer,
its python-pkcs11 sessions and the PIN.

One logged-in session per process and thread is kept open, like the PKCS#12 key in signing.py (a
token has few sessions and a slow login). A PIN the token refused is not tried again by the
process (tokens lock after a few wrong ones), and every failure names the setting at fault,
never the PIN. The signers share signing.py's per-process cache; signer_choice.current_signer
chooses the token where CERTIFICATE_SIGNING_PKCS11_LIB is set.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import warnings
from dataclasses import dataclass

from .errors import SigningNotConfiguredError, TokenPinRefusedError
from .signing import (
    CertificateSigner,
    _FilledTemplate,
    _signers,
    _signers_lock,
    is_demo_certificate,
)

with warnings.catch_warnings():
    # pyHanko imports cryptography's DSA module, which warns that DSA is deprecated.
    warnings.simplefilter("ignore")
    import pkcs11
    from pkcs11 import Mechanism
    from pkcs11 import exceptions as pkcs11_errors
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

logger = logging.getLogger(__name__)


class TokenSigner(_FilledTemplate, PKCS11Signer):
    """pyHanko's PKCS#11 signer (the key stays on the token) that, for RSA keys without a
    timestamp, asks the token to sign the attributes of a prepared CMS container."""

    def _fills_template(self) -> bool:
        return self.signing_cert.public_key.algorithm == "rsa" and not self.prefer_pss

    def _sign_attributes(self, attrs: bytes) -> bytes:
        with _token_calls:
            return self._key_handle.sign(attrs, mechanism=Mechanism.SHA256_RSA_PKCS)

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run=False) -> bytes:
        with _token_calls:
            return await super().async_sign_raw(data, digest_algorithm, dry_run=dry_run)


# python-pkcs11 initializes the module without locking callbacks (C_Initialize(NULL)), which
# tells it that no two threads call it at once: the threads' sessions take turns.
_token_calls = threading.RLock()


@dataclass(frozen=True, repr=False)
class TokenSettings:
    """Where the key is on a PKCS#11 token (CERTIFICATE_SIGNING_PKCS11_*)."""

    library: str  # the token's PKCS#11 module (a .so file)
    token: str  # the token's label
    key: str  # the private key's label
    certificate: str  # the certificate's label (the key's by default)
    pin: str | None  # the user PIN; None for a token that needs none

    @property
    def pin_digest(self) -> str:
        # Cache keys hold a digest, not the PIN itself (they are easier to print by mistake).
        return hashlib.sha256((self.pin or "").encode()).hexdigest()


_refused_pins: set[tuple] = set()
# PKCS#11 logs in the application, not one session: (module, token, process) -> the digest of
# the PIN this process logged in with. Its later sessions open without logging in again.
_logged_in: dict[tuple, str] = {}


def load_token_signer(settings: TokenSettings, timestamp_url: str | None = None):
    """The signer for a key on a PKCS#11 token: one session per process and thread, logged in
    once and kept open (a token has few sessions and a slow login). A PIN the token refused is
    not tried again by this process (a token locks its PIN after a few wrong ones)."""
    token_key = (settings.library, settings.token, settings.pin_digest, os.getpid())
    key = (*token_key, settings.key, settings.certificate, timestamp_url, threading.get_ident())
    signer = _signers.get(key)
    if signer is not None:
        return signer
    if token_key in _refused_pins:
        raise TokenPinRefusedError(_pin_refused(settings))
    with _signers_lock, _token_calls:
        loaded = _open_token(settings, token_key)
        signer = CertificateSigner(
            signer=loaded,
            timestamp_url=timestamp_url or None,
            is_demo=is_demo_certificate(loaded.signing_cert),
        )
        _signers[key] = signer
    return signer


def _pin_refused(settings: TokenSettings) -> str:
    return (
        f"CERTIFICATE_SIGNING_PKCS11_PIN: the token {settings.token!r} refused the PIN; this "
        "process does not try it again (a token locks after a few wrong PINs): set the right "
        "PIN and restart"
    )


def _open_token(settings: TokenSettings, token_key: tuple) -> TokenSigner:
    """Open a logged-in session and find the key and certificate; every failure names the
    setting to fix (and never the PIN)."""
    login_key = (settings.library, settings.token, os.getpid())
    logged_in_with = _logged_in.get(login_key)
    if logged_in_with not in (None, settings.pin_digest):
        # The token would not check another PIN while logged in: refuse it rather than accept it.
        raise TokenPinRefusedError(_pin_refused(settings))
    try:
        pkcs11.lib(settings.library)  # loaded and initialized once per process
    except (OSError, pkcs11_errors.PKCS11Error) as error:
        detail = f"CERTIFICATE_SIGNING_PKCS11_LIB: cannot load {settings.library!r} ({error})"
        logger.error("certificate signing: %s", detail)
        raise SigningNotConfiguredError(detail) from None
    try:
        try:
            session = _open_session(settings, logged_in=logged_in_with is not None)
        except pkcs11_errors.UserAlreadyLoggedIn:  # logged in by other code of this process
            session = _open_session(settings, logged_in=True)
        _logged_in[login_key] = settings.pin_digest
    except (pkcs11_errors.PinIncorrect, pkcs11_errors.PinInvalid, pkcs11_errors.PinLenRange):
        _refused_pins.add(token_key)
        detail = _pin_refused(settings)
        logger.error("certificate signing: %s", detail)
        raise TokenPinRefusedError(detail) from None
    except pkcs11_errors.PinLocked:
        detail = (
            f"CERTIFICATE_SIGNING_PKCS11_PIN: the token {settings.token!r} has locked its user "
            "PIN (after too many wrong ones; its security officer unlocks it)"
        )
        logger.error("certificate signing: %s", detail)
        raise TokenPinRefusedError(detail) from None
    except pkcs11_errors.PKCS11Error as error:
        detail = (
            f"CERTIFICATE_SIGNING_PKCS11_TOKEN: cannot open the token {settings.token!r} "
            f"({type(error).__name__}: {error})"
        )
        logger.error("certificate signing: %s", detail)
        raise SigningNotConfiguredError(detail) from None
    signer = TokenSigner(session, cert_label=settings.certificate, key_label=settings.key)
    try:
        signer._load_objects()  # now, in this thread: a missing key fails here, not mid-PDF
    except pkcs11_errors.PKCS11Error as error:
        session.close()
        if not any(key[: len(token_key)] == token_key for key in _signers):
            _logged_in.pop(login_key, None)  # closing its last session logged the process out
        detail = (
            "CERTIFICATE_SIGNING_PKCS11_KEY, CERTIFICATE_SIGNING_PKCS11_CERT: "
            f"on the token {settings.token!r}, {error}"
        )
        logger.error("certificate signing: %s", detail)
        raise SigningNotConfiguredError(detail) from None
    return signer


def _open_session(settings: TokenSettings, logged_in: bool):
    return open_pkcs11_session(
        settings.library,
        token_criteria=TokenCriteria(label=settings.token),
        user_pin=None if logged_in else settings.pin,
    )


def token_settings(config) -> TokenSettings | None:
    """The PKCS#11 settings of `config`, or None where no module is set (the PKCS#12 file)."""
    library = config.get("CERTIFICATE_SIGNING_PKCS11_LIB")
    if not library:
        return None
    token = config.get("CERTIFICATE_SIGNING_PKCS11_TOKEN")
    key = config.get("CERTIFICATE_SIGNING_PKCS11_KEY")
    if not token or not key:
        raise SigningNotConfiguredError(
            "CERTIFICATE_SIGNING_PKCS11_TOKEN and CERTIFICATE_SIGNING_PKCS11_KEY must name the "
            "token and the key when CERTIFICATE_SIGNING_PKCS11_LIB is set"
        )
    return TokenSettings(
        library=library,
        token=token,
        key=key,
        certificate=config.get("CERTIFICATE_SIGNING_PKCS11_CERT") or key,
        pin=config.get("CERTIFICATE_SIGNING_PKCS11_PIN") or None,
    )
