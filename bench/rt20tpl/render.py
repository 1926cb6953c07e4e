"""Oracle: render a template file with transformers' chat-template sandbox in THIS process
(run it as a subprocess with timeout). argv: file nmsg chars. Prints seconds, peak RSS MiB, len."""

import json
import resource
import sys
import time

from transformers.utils.chat_template_utils import _compile_jinja_template

path, nmsg, chars = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))
src = open(path).read()
words = ("lorem ipsum dolor sit amet " * (chars // 27 + 1))[:chars]
msgs = [{"role": "system", "content": "You are helpful. " + words[: chars // 4]}]
for i in range(nmsg):
    if i % 2 == 0:
        msgs.append({"role": "user", "content": words})
    else:
        msgs.append(
            {
                "role": "assistant",
                "content": words,
                "tool_calls": [
                    {
                        "type": "function",
                        "function": {
                            "name": "get_weather",
                            "arguments": {"city": "Paris", "unit": "c"},
                        },
                    }
                ],
            }
        )
tools = [
    {
        "type": "function",
        "function": {
            "name": f"tool{k}",
            "description": "Get things. " * 5,
            "parameters": {
                "type": "object",
                "properties": {
                    "city": {"type": "string", "description": "the city"},
                    "opts": {
                        "type": "object",
                        "properties": {"unit": {"type": "string", "enum": ["c", "f"]}},
                    },
                },
                "required": ["city"],
            },
        },
    }
    for k in range(4)
]
t0 = time.time()
try:
    out = _compile_jinja_template(src).render(
        messages=msgs, tools=tools, bos_token="<s>", eos_token="</s>", add_generation_prompt=True
    )
    status = "ok"
    n = len(out)
except MemoryError:
    status, n = "MemoryError", -1
except Exception as e:
    status, n = type(e).__name__ + ":" + str(e)[:80], -1
dt = time.time() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(
    json.dumps(
        {"file": path, "s": round(dt, 2), "rss_mib": round(peak - base), "len": n, "status": status}
    )
)
