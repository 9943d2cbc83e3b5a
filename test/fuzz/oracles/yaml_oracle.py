"""Yarn's reading of .yarnrc.yml, as a long-lived process: one JSON request per line,
{"text": "..."}, one JSON answer per line, {"value": ...} or {"error": "..."}.

Yarn reads it with @yarnpkg/parsers' parseSyml: js-yaml's safeLoad with the FAILSAFE schema
(every scalar a string; no merge keys, so `<<` is a key like any other; a later duplicate key
wins). PyYAML's BaseLoader is that reader: no implicit types, every scalar a string, mappings
and sequences as they are, duplicates overwritten in order.
"""
import json
import sys

import yaml


def answer(text):
    try:
        value = yaml.load(text, Loader=yaml.BaseLoader)
    except yaml.YAMLError as error:
        return {"error": str(error)}
    # parseSyml: an empty document is an empty configuration.
    return {"value": {} if value is None or value == "" else value}


for line in sys.stdin:
    request = json.loads(line)
    sys.stdout.write(json.dumps(answer(request["text"])) + "\n")
    sys.stdout.flush()
