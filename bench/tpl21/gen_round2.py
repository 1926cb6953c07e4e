# ruff: noqa: E501
"""tpl21's second round on its own relaxations (written before any scanner run on them)."""

W = "{% macro w(xs) %}{% for a in xs %}{% for b in xs %}.{% endfor %}{% endfor %}{% endmacro %}"
A = {}
A["r2_ns_slot_callee"] = W + "{% set m = namespace(f=w) %}{{ m.f(range(20000)) }}"
A["r2_list_callee"] = W + "{{ [w][0](range(20000)) }}"
A["r2_varargs_forward"] = W + "{% macro g() %}{{ w(*varargs) }}{% endmacro %}{{ g(range(20000)) }}"
A["r2_kwargs_forward"] = W + "{% macro g() %}{{ w(**kwargs) }}{% endmacro %}{{ g(xs=range(20000)) }}"
A["r2_caller_kw"] = "{% macro g() %}{{ caller(ys=range(20000)) }}{% endmacro %}{% call(ys) g() %}{% for a in ys %}{% for b in ys %}.{% endfor %}{% endfor %}{% endcall %}"
A["r2_caller_to_macro"] = W + "{% macro g() %}{{ caller(range(20000)) }}{% endmacro %}{% call(xs) g() %}{{ w(xs) }}{% endcall %}"
A["r2_deep_items"] = "{% set a = [[[[[[[[[[range(20000)]]]]]]]]]] %}{% for x1 in a %}{% for x2 in x1 %}{% for x3 in x2 %}{% for x4 in x3 %}{% for x5 in x4 %}{% for x6 in x5 %}{% for x7 in x6 %}{% for x8 in x7 %}{% for x9 in x8 %}{% for x10 in x9 %}{% for i in x10 %}{% for j in x10 %}.{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}"
A["r2_shadow_default"] = "{% set xs = range(20000) %}{% macro w(xs=xs) %}{% for a in xs %}{% for b in xs %}.{% endfor %}{% endfor %}{% endmacro %}{{ w() }}"
A["r2_param_global_read"] = "{% macro w(ys) %}{% for a in xs %}{% for b in xs %}.{% endfor %}{% endfor %}{% endmacro %}{% set xs = range(20000) %}{{ w(1) }}"
A["r2_split_join_dict"] = "{% set s = 'a' * 90000 %}{{ s.split('a')|join(**{'d': 'b' * 2000}) }}"
A["r2_split_join_nested"] = "{% set s = 'a ' * 20000 %}{{ s.split(' ')|map('join', 'z' * 5000)|join(' ') }}"
A["r2_mixed_60"] = "{% set xs = range(60) %}{% if messages %}{% set xs = messages|tojson %}{% endif %}{% for a in xs %}{% for b in xs %}{% endfor %}{% endfor %}"
for k, v in A.items():
    open(k + ".jinja", "w").write(v)
print(len(A))
