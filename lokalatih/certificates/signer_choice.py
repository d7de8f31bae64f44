"""Which signer signs this app's certificates: the PKCS#11 token where
CERTIFICATE_SIGNING_PKCS11_LIB is set (token_signing.py), else the PKCS#12 file (signing.py).

Its own module so that the dependency runs one way: token_signing builds on signing (its signer
class, the per-process signer cache), and only this module knows both.
"""

from __future__ import annotations

from flask import current_app

from .errors import DemoKeyRefusedError, SigningNotConfiguredError
from .signing import CertificateSigner, load_signer
from .token_signing import load_token_signer, token_settings


def current_signer() -> CertificateSigner:
    """The app's signer: the PKCS#11 token where CERTIFICATE_SIGNING_PKCS11_LIB is set, else the
    PKCS#12 file; refuses the demo certificate where REFUSE_DEMO_SIGNING_KEY is set."""
    config = current_app.config
    timestamp_url = config.get("CERTIFICATE_TIMESTAMP_URL")
    token = token_settings(config)
    if token is not None:
        signer = load_token_signer(token, timestamp_url)
    else:
        path = config.get("CERTIFICATE_SIGNING_P12")
        if not path:
            raise SigningNotConfiguredError()
        signer = load_signer(path, config.get("CERTIFICATE_SIGNING_PASSPHRASE"), timestamp_url)
    if signer.is_demo and config.get("REFUSE_DEMO_SIGNING_KEY"):
        raise DemoKeyRefusedError()
    return signer
