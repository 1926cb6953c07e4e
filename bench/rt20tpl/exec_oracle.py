import json
import sys

import jinja2
from transformers.utils.chat_template_utils import _compile_jinja_template

msgs = [{"role": "user", "content": "hi"}]
for p in sys.argv[1:]:
    src = open(p).read()
    res = {}
    try:
        res["sandbox"] = "OK:" + _compile_jinja_template(src).render(messages=msgs)[:60]
    except Exception as e:
        res["sandbox"] = type(e).__name__ + ":" + str(e)[:60]
    try:
        res["plain"] = (
            "OK:"
            + jinja2.Environment()
            .from_string(src)
            .render(messages=msgs, raise_exception=lambda m: m, strftime_now=lambda f: f)[:60]
        )
    except Exception as e:
        res["plain"] = type(e).__name__ + ":" + str(e)[:50]
    print(p, json.dumps(res))
