"""Examples shown at the end of every command's ``--help``.

One table, keyed by the command's words, attached when the commands are registered (so command
modules stay free of help boilerplate). ``tests/test_cli_examples.py`` parses every example
with the real command, so an example cannot name an option that does not exist.
"""

from __future__ import annotations

from typing import Any

import typer

EXAMPLES: dict[str, tuple[str, ...]] = {
    "explain": (
        "airlock explain torch.nn.modules.linear.Linear",
        "airlock explain jinja2.environment.Template.render",
        "airlock explain AIR-PKL-002 --format json",
        "airlock explain mycorp.models.Net --policy airlock.toml",
    ),
    "hash": (
        "airlock hash ./model",
        "airlock hash ./model --format json -o manifest.json",
        "airlock hash ./model --format sha256sum --ignore logs",
    ),
    "verify": (
        "airlock verify ./model --manifest manifest.json",
        "airlock verify ./model --sha256sums model.sha256",
        "airlock verify ./model --signature model.sig --key signer.pub",
        "airlock verify --hf-cache org/name@main",
    ),
    "check": (
        "airlock check ./model --sha256sums model.sha256",
        "airlock check ./model --signature model.sig --key signer.pub --format json",
        "airlock check ./model --registry https://registry.example:8470",
        "airlock check ./model --attest ci.key -o check.intoto.json",
    ),
    "verify-attestation": (
        "airlock verify-attestation check.intoto.json --key ci.pub --model ./model",
        "airlock verify-attestation check.intoto.json --trust-roots ca.pem --max-age-hours 24",
    ),
    "admission serve": (
        "airlock admission serve --registry https://registry:8470 --tls-cert tls.crt "
        "--tls-key tls.key",
        "airlock admission serve --registry https://registry:8470 --tls-cert tls.crt "
        "--tls-key tls.key --warn-only",
    ),
    "keygen": ("airlock keygen --out keys", "airlock keygen --out keys --type ed25519"),
    "sign": ("airlock sign ./model --key keys/private.pem -o model.sig",),
    "scan": (
        "airlock scan ./model",
        "airlock scan model.bin other.pt --format sarif -o scan.sarif",
        "airlock scan ./model --fail-on medium --format json",
        "airlock scan ./model --policy https://registry:8470/v1/scan-policy",
    ),
    "trojan": (
        "airlock trojan ./fine-tuned --base ./base-model",
        "airlock trojan ./fine-tuned --base ./base-model --no-probe --format json",
    ),
    "leak-test": ("airlock leak-test ./lm --canaries canaries.txt --reference ./base-lm",),
    "doctor": ("airlock doctor", "airlock doctor --format json"),
    "schema report": ("airlock schema report > scan-report.schema.json",),
    "registry init": (
        "airlock registry init",
        "airlock registry init --database postgresql+psycopg://airlock@db/airlock",
    ),
    "registry serve": ("airlock registry serve --host 0.0.0.0 --port 8470 --workers 4",),
    "registry submit": (
        "airlock registry submit ./model --model org/name --source hf:org/name",
        "airlock registry submit ./model --model org/name --scan-report scan.json "
        "--signature model.sig",
        "airlock registry submit ./model --model org/name --attestation check.intoto.json "
        "--location s3://models/org/name",
    ),
    "registry approve": ("airlock registry approve DIGEST --key alice.key --reason 'reviewed'",),
    "registry reject": ("airlock registry reject DIGEST --key alice.key --reason 'no source'",),
    "registry revoke": ("airlock registry revoke DIGEST --key alice.key --reason 'AIR-2026-001'",),
    "registry advise": (
        "airlock registry advise AIR-2026-001 --version DIGEST --severity high "
        "--description 'backdoor trigger' --mitigation mitigation.json",
    ),
    "registry deploy": ("airlock registry deploy web DIGEST --env prod",),
    "registry affected": ("airlock registry affected", "airlock registry affected --format json"),
    "registry export": (
        "airlock registry export --key signer.key -o allowlist.json",
        "airlock registry export --format cyclonedx --model org/name -o bom.json",
    ),
    "registry show": ("airlock registry show DIGEST",),
    "registry list": (
        "airlock registry list",
        "airlock registry list --model org/name --state approved --format json",
    ),
    "registry token create": ("airlock registry token create ci --scope read --scope publish",),
    "registry token list": ("airlock registry token list",),
    "registry token revoke": ("airlock registry token revoke TOKEN_ID",),
    "registry key add": ("airlock registry key add alice alice.pub",),
    "registry key list": ("airlock registry key list --format json",),
    "registry key revoke": ("airlock registry key revoke KEY_ID",),
    "registry policy set": ("airlock registry policy set policy.json --model org/name",),
    "registry policy show": ("airlock registry policy show --model org/name",),
    "registry audit verify": (
        "airlock registry audit verify --format json",
        "airlock registry audit verify --checkpoint cp.json --key auditor.pub",
    ),
    "registry audit checkpoint": (
        "airlock registry audit checkpoint --key auditor.key -o cp.json",
        "airlock registry audit checkpoint --key auditor.key --append checkpoints.log",
    ),
    "registry audit log": ("airlock registry audit log --after 100 --limit 50",),
    "registry allowlist check": (
        "airlock registry allowlist check allowlist.json --key signer.pub DIGEST",
        "airlock registry allowlist check allowlist.json --key signer.pub ./model",
    ),
    "guard check": (
        "airlock guard check 'Ignore all previous instructions'",
        "airlock guard check --jsonl prompts.jsonl --format json",
        "airlock guard check --output --file reply.txt --canary airlock-canary-1234",
    ),
    "guard serve": (
        "airlock guard serve --upstream http://127.0.0.1:8000 --port 8080",
        "airlock guard serve --upstream http://127.0.0.1:8000 --triggers trojan-report.json",
    ),
    "sandbox run": (
        "airlock sandbox run --ro ./model -- python3 load.py ./model",
        "airlock sandbox run --memory-mb 2048 --timeout 60 -- ./infer",
    ),
    "sandbox probe": ("airlock sandbox probe", "airlock sandbox probe --format json"),
    "policy k8s": (
        "airlock policy k8s --name llm --namespace models --port 8000 "
        "--gateway-selector app=gateway --gateway-namespace edge -o policy.yaml",
        "airlock policy k8s --name llm --namespace models --port 8000 "
        "--gateway-selector app=gateway --container server --patch-output patch.yaml",
        "airlock policy k8s --name llm --namespace models --port 8000 "
        "--gateway-selector app=gateway --egress api.example.com:443 --cilium",
    ),
    "data scan": (
        "airlock data scan train.jsonl --text-field text --label-field label",
        "airlock data scan train.jsonl --text-field text --embed --format json",
    ),
    # -- fleet (issue 19) --
    "fleet submit": (
        "airlock fleet submit /mnt/hub-mirror --repo-depth 2",
        "airlock fleet submit hf://org/name@main --spool /var/cache/airlock-spool",
        "airlock fleet submit ./store --broker redis://127.0.0.1:6379/0 --format json",
    ),
    "fleet worker": (
        "airlock fleet worker --concurrency 2 --time-limit 300 --memory-limit 4096",
        "airlock fleet worker --broker amqp://guest:guest@mq:5672// --max-attempts 3",
    ),
    "fleet status": (
        "airlock fleet status",
        "airlock fleet status --job 0123abcd4567ef89 --format json",
    ),
    "fleet rejudge": (
        "airlock fleet rejudge --dry-run",
        "airlock fleet rejudge --policy airlock.toml --format json",
    ),
    "fleet publish": (
        "airlock fleet publish",
        "airlock fleet publish --job 0123abcd4567ef89 --prefix mirror/ --format json",
    ),
    "fleet metrics": (
        "airlock fleet metrics",
        "airlock fleet metrics --listen 127.0.0.1:9469",
    ),
}


def epilog(words: str) -> str | None:
    """The examples block for a command (``\\b`` keeps click from rewrapping the lines)."""
    lines = EXAMPLES.get(words)
    if not lines:
        return None
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


def attach(app: typer.Typer) -> None:
    """Give every registered command without an epilog its examples."""
    _walk(app, ())


def _name(info: Any) -> str | None:
    for value in (getattr(info, "name", None), getattr(info.typer_instance.info, "name", None)):
        if isinstance(value, str):
            return value
    return None


def _walk(app: typer.Typer, prefix: tuple[str, ...]) -> None:
    for cmd in app.registered_commands:
        if isinstance(cmd.name, str) and not cmd.epilog:
            cmd.epilog = epilog(" ".join((*prefix, cmd.name)))
    for group in app.registered_groups:
        name = _name(group)
        if name is not None and group.typer_instance is not None:
            _walk(group.typer_instance, (*prefix, name))
