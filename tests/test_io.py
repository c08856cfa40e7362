"""Bytes in: BOM, UTF-8, a detector, and damage reported, never raised."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings, strategies as st

from cleanarticle import clean
from cleanarticle.io import decode

FR = "Le café était fermé. Très belle fenêtre, garçon ! “Ça va ?” – 5 €"
DE = "Grüße aus Köln, schön daß Sie da sind. Größe: 3 m."
RU = "Привет, как дела? Это тестовый текст на русском языке для проверки."
PL = "Zażółć gęślą jaźń. Příliš žluťoučký kůň úpěl ďábelské ódy."


@pytest.mark.parametrize("data, text, enc, source", [
    (FR.encode("utf-8"), FR, "utf-8", "utf-8"),
    (b"", "", "utf-8", "utf-8"),
    (codecs.BOM_UTF8 + FR.encode("utf-8"), FR, "utf-8", "bom"),
    (FR.encode("utf-16"), FR, "utf-16-le", "bom"),
    (codecs.BOM_UTF16_BE + FR.encode("utf-16-be"), FR, "utf-16-be", "bom"),
    (FR.encode("utf-32"), FR, "utf-32-le", "bom"),
    (FR.encode("cp1252"), FR, "cp1252", "detector"),
    (DE.encode("latin-1"), DE, "cp1252", "detector"),
    (RU.encode("cp1251"), RU, "cp1251", "detector"),
    (PL.encode("cp1250"), PL, "cp1250", "detector"),
])
def test_decodes(data, text, enc, source):
    got, info = decode(data)
    assert got == text
    assert info["encoding"] == enc and info["encoding_source"] == source
    assert "undecodable_bytes" not in info


def test_latin1_only_bytes_do_not_crash():
    got, info = decode("café".encode("latin-1") + b"\x81")
    assert got.startswith("caf")
    assert info["encoding"] in ("latin-1", "cp1252")


def test_damaged_utf8_is_reported():
    data = ("naïve café " * 5).encode() + b"\xc3"
    got, info = decode(data)
    assert got == "naïve café " * 5 + "\ufffd"
    assert info["encoding_source"] == "utf-8-damaged"
    assert info["undecodable_bytes"] == 1 and info["undecodable_at"] == [len(got) - 1]


def test_truncated_utf16_is_reported():
    got, info = decode(codecs.BOM_UTF16_LE + "hé".encode("utf-16-le") + b"x")
    assert got == "hé\ufffd" and info["undecodable_bytes"] == 1


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_never_raises(data):
    text, info = decode(data)
    assert isinstance(text, str) and info["encoding"]


def test_clean_bytes_records_encoding_and_repairs():
    r = clean(FR.encode("cp1252"))
    assert r.text == FR + "\n"
    assert r.metadata["encoding"] == "cp1252" and r.metadata["language"] == "fr"
    r = clean(b"\xff\xfe" + "It\u2019s fine".encode("utf-16-le"))
    assert r.text == "It’s fine\n" and r.metadata["encoding_source"] == "bom"
