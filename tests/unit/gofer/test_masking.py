"""Secret values never reach a log: whole, split, multi-line, JSON-escaped or base64."""

from __future__ import annotations

import base64
import json

from gofer.activities.masking import Masker


def masked(secrets: list[str], *chunks: bytes) -> bytes:
    masker = Masker(secrets)
    return b"".join(masker.feed(chunk) for chunk in chunks) + masker.flush()


def test_value_is_masked() -> None:
    assert masked(["hunter2"], b"password=hunter2\n") == b"password=***\n"


def test_value_split_across_writes_is_masked() -> None:
    assert masked(["hunter2"], b"pass hun", b"te", b"r2 end\n") == b"pass *** end\n"


def test_multiline_value_whole_and_line_by_line() -> None:
    key = "-----BEGIN KEY-----\nabcdefgh\n-----END KEY-----"
    assert masked([key], key.encode() + b"\n") == b"***\n"
    assert masked([key], b"second line: abcdefgh\n") == b"second line: ***\n"


def test_json_escaped_and_base64_forms_are_masked() -> None:
    secret = 'pa"ss\nword'
    escaped = json.dumps({"p": secret}).encode()
    encoded = base64.b64encode(secret.encode())
    assert masked([secret], escaped) == b'{"p": "***"}'
    assert masked([secret], b"b64: " + encoded + b"\n") == b"b64: ***\n"


def test_consumed_counts_only_bytes_already_returned() -> None:
    masker = Masker(["hunter2"])  # longest form: base64 "aHVudGVyMg==", 12 bytes
    out = masker.feed(b"0123456789abcdefghij")
    assert out == b"012345678" and masker.consumed == 9  # 11 bytes held back: they may start a secret
    assert masker.flush() == b"9abcdefghij" and masker.consumed == 20


def test_no_secrets_passes_bytes_through_unchanged() -> None:
    masker = Masker([])
    assert masker.feed(b"\xff\xfe raw") == b"\xff\xfe raw" and masker.consumed == 6
