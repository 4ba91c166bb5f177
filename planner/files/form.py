"""The Support Center form for dedicated IPs: its fixed answers, its boxes in the order
the form shows them, and the questions only the user can answer (SES developer guide,
"Requesting and relinquishing dedicated IP addresses").

The choices of the form's drop-downs (Mail Type, the AUP question, the contact
language) are data, in ``planner/data/case_choices.csv`` with their sources. Read with
the standard library only, so the command line can declare its options from this
module without loading the operations or pandas.
"""

from __future__ import annotations

import functools
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass

from planner.errors import InputError
from planner.files.tables import read_rows

#: Create case > "Service quota increase" (the console's name for the case type today),
#: then Limit type "SES Sending Limits" [P: SES developer guide].
CASE_TYPE = "Service quota increase"
LIMIT_TYPE = "SES Sending Limits"
LIMIT = "Desired Maximum Send Rate"

#: Each question only the user can answer: its option, what it asks (the placeholder's
#: words where no answer is given), and the option's metavar.
QUESTIONS = {
    "mail_type": ("--mail-type", "Marketing or Transactional, whichever most of your mail is",
                  "TYPE"),
    "website": ("--website", "the website your mail comes from", "URL"),
    "opt_in": ("--opt-in", "how you make sure you only send to recipients who asked for "
               "your mail", "TEXT"),
    "bounce_process": ("--bounce-process", "how you handle bounces and complaints", "TEXT"),
    "aup": ("--aup", "Yes or No, whether you will comply with the AWS Service Terms and AUP",
            "YES|NO"),
    "contact_language": ("--contact-language", "English or Japanese", "LANGUAGE"),
    "usage": ("--usage", "how you will use the dedicated IPs (which mail, which pools)", "TEXT"),
    "why_dedicated": ("--why-dedicated", "why dedicated IPs rather than the shared ones",
                      "TEXT"),
}  # fmt: skip

#: The Case classification boxes in the form's order: (answer, the box's label). The two
#: questions about recipients and bounces are optional on the form.
CLASSIFICATION = (
    ("mail_type", "Mail Type"),
    ("website", "Website URL"),
    ("opt_in", "How you will only send to recipients who have specifically requested your "
               "mail (optional)"),
    ("bounce_process", "The process you will follow when you receive bounce and complaint "
                       "notifications (optional)"),
    ("aup", "Will you comply with AWS Service Terms and AUP"),
)  # fmt: skip


@dataclass(frozen=True)
class Choice:
    """One choice of a drop-down: the value typed (any case), the label the form shows."""

    question: str
    value: str
    label: str
    source: str


@functools.cache
def choices() -> Mapping[str, tuple[Choice, ...]]:
    """The shipped choices of each drop-down question, in the file's order."""
    _, rows = read_rows(None, "case_choices.csv", ("question", "value", "label", "source"))
    out: dict[str, list[Choice]] = {}
    for _, row in rows:
        out.setdefault(row["question"], []).append(
            Choice(row["question"], row["value"], row["label"], row["source"])
        )
    return {question: tuple(found) for question, found in out.items()}


def choice_words(question: str) -> str:
    """The choices of a drop-down in words: ``Marketing or Transactional``."""
    labels = [c.label for c in choices()[question]]
    return ", ".join(labels[:-1]) + " or " + labels[-1]


def check_answer(question: str, value: object) -> str | None:
    """An answer as the form takes it: one line of text; a drop-down's label (typed in
    any case); a website as an http or https address. ``None`` stays unanswered."""
    if value is None:
        return None
    text = str(value).strip()
    if not text or any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise InputError(question, value, "expected one line of text")
    if question in choices():
        found = [c for c in choices()[question] if c.value.lower() == text.lower()
                 or c.label.lower() == text.lower()]  # fmt: skip
        if not found:
            raise InputError(question, value, f"expected {choice_words(question)} (the form's "
                             "choices)")  # fmt: skip
        return found[0].label
    if question == "website":
        return _website(text, value)
    return text


def _website(text: str, value: object) -> str:
    """A website address the form's box takes: http(s), a host, no spaces."""
    parts = urllib.parse.urlsplit(text)
    host = parts.hostname or ""
    if (parts.scheme.lower() not in ("http", "https") or not host or any(ch.isspace()
            for ch in text) or "." not in host.strip(".")):  # fmt: skip
        raise InputError("website", value, "expected a web address such as https://example.com "
                         "(http or https, a host name, no spaces)")  # fmt: skip
    return text
