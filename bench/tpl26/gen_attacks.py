# ruff: noqa: E501
"""tpl26's attacks on the readings it relaxes (written before the relaxed scanner ran on them):
a macro parameter takes its call sites' arguments; ``split``/``strip`` of data, either branch of a
conditional, a list of data and data + data are data; ``strftime_now`` of a date-only format is a
plain key. Each must stay denied. ``.jinja`` files into the current directory; cost ones (``c_*``)
checked with bench/rt20tpl/orc.sh FILE 20 2000 60 (the transformers sandbox)."""

# a key the template builds at render time (no constant folds to it): '__class__' when the
# conversation has 6 messages; every file starts with PRE
PRE = "{% set T = '_class' %}{% set n = messages|length %}"
BUILT = "T[0] ~ T[0] ~ T[1:n] ~ T[0] ~ T[0]"
A: dict[str, str] = {}
M = "{% macro m(k) %}{{ x[k] }}{% endmacro %}"
# a parameter bound at its call sites: one bad site, a default, a keyword, *args, aliases
A["p_const_dunder"] = M + "{{ m(tools) }}{{ m('__class__') }}"
A["p_built"] = M + "{{ m(tools) }}{{ m(" + BUILT + ") }}"
A["p_default"] = "{% macro m(k=" + BUILT + ") %}{{ x[k] }}{% endmacro %}{{ m() }}"
A["p_keyword"] = M + "{{ m(tools) }}{{ m(k=" + BUILT + ") }}"
A["p_star"] = M + "{{ m(tools) }}{{ m(*[" + BUILT + "]) }}"
A["p_dstar"] = M + "{{ m(tools) }}{{ m(**{'k': " + BUILT + "}) }}"
A["p_alias"] = M + "{% set g = m %}{{ m(tools) }}{{ g(" + BUILT + ") }}"
A["p_passed"] = M + "{% macro call_it(f) %}{{ f(" + BUILT + ") }}{% endmacro %}{{ m(tools) }}{{ call_it(m) }}"
A["p_in_list"] = M + "{{ m(tools) }}{{ [m]|map('attr', 'x')|list }}{% for f in [m] %}{{ f(" + BUILT + ") }}{% endfor %}"
A["p_rebound"] = M + "{{ m(tools) }}{% set m = namespace %}{{ m(" + BUILT + ") }}"
A["p_callblock"] = "{% macro m(k) %}{{ x[k] }}{{ caller() }}{% endmacro %}{% call m(" + BUILT + ") %}{% endcall %}"
A["p_nested_call"] = M + "{% macro outer(t) %}{{ m(t) }}{% endmacro %}{{ outer(tools) }}{{ outer(" + BUILT + ") }}"
A["p_list_arg"] = "{% macro m(t) %}{% for k in t %}{{ x[k] }}{% endfor %}{% endmacro %}{{ m(tools) }}{{ m([" + BUILT + "]) }}"
A["p_global"] = M + "{{ m(cycler) }}{{ m(tools) }}"
# data readings: cutting with a computed separator, replace, constants joined or chosen
A["d_split_built_sep"] = "{% for t in tools %}{{ x[t.name.split(t.name ~ '_')[0]] }}{% endfor %}"
A["d_replace"] = "{% for t in tools %}{{ x[t.name.replace(t.name, " + BUILT + ")] }}{% endfor %}"
A["d_cond_const"] = "{% for t in tools %}{{ x[t.name if t else " + BUILT + "] }}{% endfor %}"
A["d_add_const"] = "{% for t in tools %}{{ x[t.name + " + BUILT + "] }}{% endfor %}"
A["d_list_const"] = "{% set ns = namespace(l=[]) %}{% for t in tools %}{% set ns.l = ns.l + [" + BUILT + "] %}{% endfor %}{% for k in ns.l %}{{ x[k] }}{% endfor %}"
A["d_list_mixed"] = "{% set ns = namespace(l=[]) %}{% for t in tools %}{% set ns.l = ns.l + [t.name, " + BUILT + "] %}{% endfor %}{% for k in ns.l %}{{ x[k] }}{% endfor %}"
A["d_split_global"] = "{{ x[(cycler|string).split(' ')[0]] }}"
# strftime_now keys
A["s_letters"] = "{{ x[strftime_now('__class__')] }}"
A["s_underscore"] = "{{ x[strftime_now('_%A_')] }}"
A["s_tz"] = "{{ x[strftime_now('%Z')] }}"
A["s_macro"] = "{% macro strftime_now(f) %}{{ " + BUILT + " }}{% endmacro %}{{ x[strftime_now('%A')] }}"
A["s_set"] = "{% set strftime_now = namespace %}{{ x[strftime_now('%A')] }}"
A["s_built_fmt"] = "{{ x[strftime_now('%A' ~ messages|length)] }}"
# cost through the relaxed parameter: walks and repetitions sized by a call site
A["c_nest_param"] = "{% macro w(t) %}{% for a in t %}{% for b in t %}{% for c in t %}{{ c }}{% endfor %}{% endfor %}{% endfor %}{% endmacro %}{{ w(tools) }}{{ w(range(3000)) }}"
A["c_repeat_param"] = "{% macro w(t, n) %}{{ (t ~ '') * n }}{% endmacro %}{{ w(tools, 1) }}{% for m in messages %}{{ w(m.content, 10 ** 7)|length }}{% endfor %}"
A["c_double_param"] = "{% set ns = namespace(s='ab') %}{% macro w(t) %}{% for i in t %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{% endmacro %}{{ w(tools) }}{{ w(range(40)) }}{{ ns.s|length }}"
A["c_recurse_param"] = "{% macro w(t, d) %}{% if d > 0 %}{% for k in t %}{{ w(t, d - 1) }}{% endfor %}{% endif %}{% endmacro %}{{ w(tools, 1) }}{{ w([1, 2], 30) }}"

if __name__ == "__main__":
    for k, v in A.items():
        with open(k + ".jinja", "w") as out:
            out.write(PRE + v + "{% for m in messages %}{{ m.role }}: {{ m.content }}\n{% endfor %}")
