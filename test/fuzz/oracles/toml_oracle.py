"""
Python's tomllib (strict TOML 1.0) as a long-lived oracle for test/fuzz/toml.suite.ts.

One JSON request per line on stdin: {"text": "<the file without its byte-order mark>"}.
One JSON answer per line on stdout, in order:
  {"ok": true, "doc": <the document>}   or   {"ok": false, "error": "<tomllib's message>"}
JSON has no dates, no integers beyond 2**53 and no NaN, so values are tagged where JSON would
lose them: dates and times as "<type>:<ISO text>", big integers as "int:<digits>", infinite and
NaN floats as "float:<repr>". Two readings are equal exactly when tomllib read the same values.
"""
import datetime
import json
import math
import sys
import tomllib

SAFE = 2**53


def plain(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value if -SAFE <= value <= SAFE else f"int:{value}"
    if isinstance(value, float):
        return value if math.isfinite(value) else f"float:{value!r}"
    if isinstance(value, datetime.datetime):
        return f"datetime:{value.isoformat()}"
    if isinstance(value, datetime.date):
        return f"date:{value.isoformat()}"
    if isinstance(value, datetime.time):
        return f"time:{value.isoformat()}"
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def answer(line):
    try:
        text = json.loads(line)["text"]
    except Exception as error:  # a request the suite got wrong, not a TOML verdict
        return {"ok": False, "error": f"bad request: {error}", "request": True}
    try:
        return {"ok": True, "doc": plain(tomllib.loads(text))}
    except tomllib.TOMLDecodeError as error:
        return {"ok": False, "error": str(error)}


for request in sys.stdin:
    sys.stdout.write(json.dumps(answer(request), ensure_ascii=True) + "\n")
    sys.stdout.flush()
