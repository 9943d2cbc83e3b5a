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


class YarnLoader(yaml.BaseLoader):
    """js-yaml lets a later anchor of a name replace the earlier one (an alias after it means
    the later node), as YAML 1.2 says; PyYAML refuses the second as a "duplicate anchor", a file
    the real yarn reads (checked with yarn 4: `npmAuthToken: &a x` under two registries)."""

    def compose_node(self, parent, index):
        if not self.check_event(yaml.AliasEvent):
            self.anchors.pop(self.peek_event().anchor, None)
        return super().compose_node(parent, index)


def answer(text):
    try:
        value = yaml.load(text, Loader=YarnLoader)
    except yaml.YAMLError as error:
        return {"error": str(error)}
    # parseSyml: an empty document is an empty configuration.
    return {"value": {} if value is None or value == "" else value}


for line in sys.stdin:
    request = json.loads(line)
    sys.stdout.write(json.dumps(answer(request["text"])) + "\n")
    sys.stdout.flush()
