"""The two open items of session 18 as files in the current directory: deep{14,18,40}.jinja
(fixjrec: f(d.a) twice on a literal nested N deep) and the text-walk nests (rt19fmt: a walk
down one message's characters with a second conversation walk inside), plus variants."""


def lit(d: int) -> str:
    s = "'x'"
    for _ in range(d):
        s = "{'a': " + s + "}"
    return s


F = (
    "{% macro f(d) %}{% if d.a is defined %}{{ f(d.a) }}{{ f(d.a) }}{% else %}x{% endif %}"
    "{% endmacro %}"
)
for d in (14, 18, 40):
    with open(f"deep{d}.jinja", "w") as out:
        out.write(F + "{{ f(" + lit(d) + ") }}{% for m in messages %}{{ m.content }}{% endfor %}")
M, A = "{% for m in messages %}", "{% for a in m.content %}"
V = {
    "quad": M + A + "{% for m2 in messages %}{% for b in m2.content %}{% if a == b %}{% endif %}"
    "{% endfor %}{% endfor %}{% endfor %}{{ m.content }}{% endfor %}",
    "macro_inner": "{% macro w(s) %}{% for b in s %}{% if b == 'q' %}{% endif %}{% endfor %}"
    "{% endmacro %}" + M + A + "{% for m2 in messages %}{{ w(m2.content) }}{% endfor %}"
    "{% endfor %}{% endfor %}",
    "macro_outer": "{% macro inner() %}{% for m2 in messages %}{% for b in m2.content %}"
    "{% if b == 'q' %}{% endif %}{% endfor %}{% endfor %}{% endmacro %}"
    + M
    + A
    + "{{ inner() }}{% endfor %}{% endfor %}",
    "filter_inner": M + A + "{% for m2 in messages %}"
    "{{ m2.content|select('equalto', a)|list|length }}{% endfor %}{% endfor %}{% endfor %}",
    "join_whole": "{% set all = messages|map(attribute='content')|join %}{% for a in all %}"
    "{% for b in all %}{% if a == b %}{% endif %}{% endfor %}{% endfor %}",
    "tools_json": M + A + "{% for c in tools|tojson %}{% if a == c %}{% endif %}{% endfor %}"
    "{% endfor %}{% endfor %}",
    "string_in": M + A + "{% for m2 in messages %}{% if a in m2.content %}{% endif %}"
    "{% endfor %}{% endfor %}{% endfor %}",
}
for k, v in V.items():
    with open(k + ".jinja", "w") as out:
        out.write(v)
