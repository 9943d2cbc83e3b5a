"""
The readers pip, twine and every Python netrc user rely on, answering one JSON request per line
on stdin with one JSON line on stdout (test/fuzz/ini.suite.ts and netrc.suite.ts ask it).

  {"op": "ini", "text": ...}    -> {"ok": true, "sections": {name: {key: value}}} | {"ok": false, "error": ...}
  {"op": "netrc", "text": ...}  -> {"ok": true, "hosts": {name: [login, account, password]}, "macros": [...]}

pip (pip/_internal/configuration.py) and twine (twine/utils.py get_config) both read their files
with configparser.RawConfigParser() from a text-mode file: universal newlines, no interpolation,
keys lower-cased by optionxform. Python's netrc only reads a path, so the text goes through a
temporary file (not ~/.netrc, so no permission check, as for --netrc-file or NETRC).
"""

import configparser
import io
import json
import netrc
import os
import sys
import tempfile


def read_ini(text):
    parser = configparser.RawConfigParser()
    try:
        # newline=None: the universal newlines a file opened in text mode has.
        parser.read_file(io.StringIO(text, newline=None), source="file")
    except configparser.Error as error:
        return {"ok": False, "error": type(error).__name__ + ": " + str(error)[:300]}
    sections = {name: dict(parser.items(name, raw=True)) for name in parser.sections()}
    return {"ok": True, "sections": sections}


def read_netrc(text, directory):
    path = os.path.join(directory, "netrc")
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(text)
    try:
        parsed = netrc.netrc(path)
    except netrc.NetrcParseError as error:
        return {"ok": False, "error": str(error.msg)[:300], "line": error.lineno}
    return {
        "ok": True,
        "hosts": {host: list(fields) for host, fields in parsed.hosts.items()},
        "macros": sorted(parsed.macros),
    }


def main():
    with tempfile.TemporaryDirectory(prefix="artikey-ini-oracle-") as directory:
        for line in sys.stdin:
            request = json.loads(line)
            try:
                if request["op"] == "ini":
                    answer = read_ini(request["text"])
                elif request["op"] == "netrc":
                    answer = read_netrc(request["text"], directory)
                else:
                    answer = {"ok": False, "error": "unknown op " + str(request["op"])}
            except Exception as error:  # the oracle itself must never die mid-run
                answer = {"ok": False, "error": "oracle: " + type(error).__name__ + ": " + str(error)[:300]}
            sys.stdout.write(json.dumps(answer) + "\n")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
