"""Conan 2's reading of remotes.json and credentials.json, for the fuzz suites.

Conan reads both with Python's json module (credentials.json after rendering it as a Jinja2
template, conans/client/rest/remote_credentials.py) and keys the entries by name in a dict, so
a later entry of the same name wins (conan/api/subapi/remotes.py `_load_remotes`). Numbers are
answered as their text and Python's reading of it, so big integers and floats survive the trip.

One request per stdin line, {"file": "remotes"|"credentials", "text": ...}; one answer per line:
{"entries": {name: entry}, "order": [names]} or {"error": ...}.
"""
import json
import sys

try:
    from jinja2 import Template
except ImportError:  # Conan itself needs it; without it the template step is skipped.
    Template = None


def numbers_kept(text):
    return json.loads(
        text,
        parse_int=lambda s: {"$int": str(int(s))},
        parse_float=lambda s: {"$float": repr(float(s))},
        parse_constant=lambda s: {"$constant": s},
    )


def read(request):
    text = request["text"]
    if request["file"] == "credentials":
        if Template is not None:
            text = Template(text).render({"platform": sys.platform, "os": None})
        data = numbers_kept(text)
        # remote_credentials.py: {credentials["remote"]: {"user": …, "password": …} for …}
        entries = {
            c["remote"]: {"user": c["user"], "password": c["password"]}
            for c in data["credentials"]
        }
        return {"entries": entries, "order": list(entries)}
    data = numbers_kept(text)
    entries = {}
    for r in data.get("remotes", []):
        entries[r["name"]] = {
            "url": r["url"],
            "verify_ssl": r["verify_ssl"],
            "disabled": r.get("disabled", False),
            "allowed_packages": r.get("allowed_packages"),
            "remote_login": r.get("remote_login"),
        }
    return {"entries": entries, "order": list(entries)}


def main():
    for line in sys.stdin:
        try:
            answer = read(json.loads(line))
        except Exception as error:  # the tool's refusal is an answer too
            answer = {"error": f"{type(error).__name__}: {error}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


main()
