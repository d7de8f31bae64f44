"""The Subject header, written so that every mail reader decodes it to exactly the stored text.

Flask-Mail encodes a non-ASCII subject with `email.header.Header`, whose first line does not count
the "Subject: " in front of it; the SMTP policy then finds the line too long and folds it again,
and on that second pass it drops or adds spaces between encoded words ("Akse sibilitas",
"HAM”“Kota"). Here each encoded word carries its own spaces inside it (the whitespace between
encoded words is ignored by readers, RFC 2047 section 6.2) and every line fits in 78 characters,
so the policy leaves the header as written.
"""

from __future__ import annotations

import base64
from email import policy

import flask_mail

MAX_LINE = 78
PREFIX = "Subject: "
# "=?utf-8?b?" + base64 + "?=" on the first line after "Subject: " stays within 78 characters
# with 42 bytes of text (56 base64 characters).
CHUNK_BYTES = 42


def encoded_subject(subject: str) -> str:
    """`subject` as the value of a Subject header: plain when it is short ASCII, otherwise
    base64 encoded words, one per folded line, that decode to exactly `subject`."""
    plain = subject.isascii() and subject == " ".join(subject.split())  # readers strip the rest
    if plain and len(PREFIX) + len(subject) <= MAX_LINE:
        return subject
    words, chunk = [], ""
    for character in subject:
        if len((chunk + character).encode("utf-8")) > CHUNK_BYTES:
            words.append(_encoded_word(chunk))
            chunk = ""
        chunk += character
    if chunk:
        words.append(_encoded_word(chunk))
    return "\r\n ".join(words)


def _encoded_word(text: str) -> str:
    return f"=?utf-8?b?{base64.b64encode(text.encode('utf-8')).decode('ascii')}?="


class Message(flask_mail.Message):
    """A Flask-Mail message whose Subject header is written by `encoded_subject`."""

    def _message(self):
        message = super()._message()
        smtp_policy = message.policy
        # Stored as written under compat32; the SMTP policy only refolds lines over 78 characters.
        message.policy = policy.compat32
        del message["Subject"]
        message["Subject"] = encoded_subject(self.subject)
        message.policy = smtp_policy
        return message
