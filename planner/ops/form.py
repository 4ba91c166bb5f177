"""The Support Center form for dedicated IPs: its fixed answers, and the questions only
the user can answer (FACTS.md: "Requesting and relinquishing dedicated IP addresses").

Data only, so the command line can declare its options from it without loading the
operations.
"""

from __future__ import annotations

CASE_TYPE = "Service limit increase: Amazon SES dedicated IPs"
LIMIT_TYPE = "SES Sending Limits"
LIMIT = "Desired Maximum Send Rate"
LANGUAGES = ("english", "japanese")

#: Each question only the user can answer: its option, what it asks (the placeholder's
#: words where no answer is given), and the option's metavar.
QUESTIONS = {
    "mail_type": ("--mail-type", "Mail Type: transactional, marketing, or both", "TEXT"),
    "website": ("--website", "Website URL: the site your mail comes from", "URL"),
    "opt_in": ("--opt-in", "how you make sure you only send to recipients who asked for "
               "your mail", "TEXT"),
    "bounce_process": ("--bounce-process", "how you handle bounces and complaints", "TEXT"),
    "aup": ("--aup", "yes, if your sending complies with the AWS Service Terms and AUP", "yes"),
    "contact_language": ("--contact-language", "English or Japanese", "LANGUAGE"),
    "usage": ("--usage", "how you will use the dedicated IPs (which mail, which pools)", "TEXT"),
    "why_dedicated": ("--why-dedicated", "why dedicated IPs rather than the shared ones",
                      "TEXT"),
}  # fmt: skip
