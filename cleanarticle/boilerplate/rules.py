"""The controlled vocabulary of boilerplate rule ids and their reason templates.

Every block the ``boilerplate`` filter labels carries one of these rule ids; its
reason is the template filled with the block's details. Reviewers and stats see
the same few words for the same kind of removal.

>>> reason("duplicate", n=3)
'duplicate of paragraph 3'
"""

from __future__ import annotations

__all__ = ["RULES", "reason", "KIND"]

RULES: dict[str, str] = {
    "cookie-notice": "cookie/consent notice",
    "newsletter": "newsletter sign-up prompt",
    "subscription-plea": "donation or subscription plea",
    "notification-prompt": "notification or app prompt",
    "comments-widget": "comment widget or login/registration prompt",
    "reader-comments": "reader comments (user names, each followed by a comment)",
    "share-buttons": "share/follow buttons",
    "related-links": "'see also' / 'read more' / related-article prompt",
    "live-coverage": "live-coverage prompt",
    "photo-credit": "photo credit or caption",
    "advertising": "advertising label",
    "feedback-prompt": "page feedback widget ('was this page useful?')",
    "reader-callout": "call for readers' pictures, stories, tips or views ('get in touch')",
    "press-release": "press-release furniture (media contact, wire links, source line)",
    "author-bio": "author's bio line after the article",
    "navigation": "site navigation or menu",
    "edition-picker": "country/edition picker (glued names)",
    "legal-footer": "copyright or legal footer",
    "duplicate": "duplicate of paragraph {n}",
    "page-timestamp": "page timestamp that is not the article's",
    "repeated-headline": "headline repeated at the end of the text",
    "template-line": "site template: line recurs in {count} of {documents} documents of this run",
    "user-rule": "matches a user remove rule: '{pattern}'",
    "link-list": "list of short link-like lines (menu, section or related links)",
    "outside-article": "text {where} the article body",
    "short-fragment": "short link- or label-like line between article paragraphs",
    "no-words": "line without a letter or digit (icon, bullet or separator) outside the article text",
    "byline": "byline moved to metadata['author']: {author}",
    "dateline": "publication date moved to metadata['published']: {published}",
}

# the kind of block each rule labels (everything else is "boilerplate")
KIND: dict[str, str] = {"byline": "byline", "dateline": "dateline"}


def reason(rule: str, **details: object) -> str:
    """The human reason for ``rule``, with its template filled from ``details``."""
    template = RULES[rule]
    try:
        return template.format(**details)
    except (KeyError, IndexError):
        return template.split(":")[0].split("{")[0].strip()
