"""Language detection with langdetect, made deterministic and safe.

langdetect is random unless seeded and raises on text without letters; this
module seeds it once and returns ``("und", 0.0)`` where it cannot decide.
"""

from __future__ import annotations

import threading

__all__ = ["detect", "UNDETERMINED"]

UNDETERMINED = "und"
_MIN_LETTERS = 20
_lock = threading.Lock()
_factory = None


def _detector_factory():
    global _factory
    if _factory is None:
        from langdetect import DetectorFactory
        from langdetect.detector_factory import init_factory

        DetectorFactory.seed = 0
        init_factory()
        from langdetect import detector_factory

        _factory = detector_factory._factory
    return _factory


def detect(text: str) -> tuple[str, float]:
    """ISO 639-1 code (``zh-cn`` style for Chinese) and a confidence in 0..1.

    >>> detect("")
    ('und', 0.0)
    """
    if sum(1 for ch in text[:2000] if ch.isalpha()) < _MIN_LETTERS:
        return UNDETERMINED, 0.0
    from langdetect.lang_detect_exception import LangDetectException

    with _lock:
        factory = _detector_factory()
        try:
            d = factory.create()
            d.append(text[:10000])
            probs = d.get_probabilities()
        except LangDetectException:
            return UNDETERMINED, 0.0
    if not probs:
        return UNDETERMINED, 0.0
    best = probs[0]
    return best.lang, round(float(best.prob), 3)
