"""Helpers of the ``transliteration`` filter: gazetteers, romanization tables, matching.

- :mod:`.gazetteer`: loads and validates the region files in ``data/gazetteer/``;
- :mod:`.romanize`: the Ukrainian (2010), Russian and Belarusian tables in
  ``data/translit/`` and the script cues that choose between them;
- :mod:`.matching`: the one-pass trie regex, case handling, URL/e-mail/hashtag guard.
"""
