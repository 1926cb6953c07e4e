"""``airlock guard``, ``airlock sandbox`` and ``airlock policy``: run-time protection commands."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from airlock.cli import _common
from airlock.cli._common import EXIT_FINDINGS, EXIT_OK, OutputFormat

if TYPE_CHECKING:
    from airlock.guard.pipeline import Pipeline
    from airlock.guard.rules import Rule
    from airlock.guard.trigger_sources import LiveAdvisoryRules
    from airlock.guard.types import Decision

MAX_JSONL_LINES = 100_000
MAX_INPUT_BYTES = 16 << 20

TRIGGERS_OPTION = typer.Option(
    [], "--triggers", help="JSON file of extra trigger patterns (see docs); repeatable."
)
REGISTRY_OPTION = typer.Option(
    None,
    "--registry",
    envvar="AIRLOCK_REGISTRY_URL",
    help="Add trigger patterns from this registry's advisories for --model-digest "
    "(service URL, token from AIRLOCK_REGISTRY_TOKEN, or DB URL).",
)
DIGEST_OPTION = typer.Option(
    None, "--model-digest", help="Root digest of the served model: selects its advisories."
)
CANARY_OPTION = typer.Option([], "--canary", help="Canary token whose appearance is a leak.")
MONITOR_OPTION = typer.Option(False, "--monitor", help="Report only: never block or redact.")


def _semantic_thresholds() -> tuple[float, float] | None:
    """The linear thresholds the semantic stage was calibrated with (its small JSON only)."""
    from airlock.guard.classifier import default_threshold
    from airlock.guard.factory import BUILTIN_ONNX

    meta = BUILTIN_ONNX / "airlock-model.json"
    thr = default_threshold(meta, key="linear_threshold")
    other = default_threshold(meta, key="linear_threshold_foreign")
    return None if thr is None or other is None else (thr, other)


def _threshold_help() -> str:
    from airlock.guard.classifier import default_threshold

    thr = default_threshold()
    other = default_threshold(key="threshold_foreign")
    shown = f"{thr:g}" if thr is not None else "from the model file"
    if other is not None:
        shown += f" ({other:g} for text mostly not in English)"
    sem = _semantic_thresholds()
    if sem is not None:
        shown += f", {sem[0]:g} ({sem[1]:g}) when the semantic stage runs"
    return (f"Classifier threshold (0-1). Default {shown}; calibrated out of fold on the"
            " tuning parts of a 19,000-prompt everyday set in 40+ languages (FPR <= 0.15% there)"
            " and of 15,000 real instruction-style prompts and questions (evals, personas,"
            " MT-Bench, FiQA, NQ-open)."
            " Setting it sets one threshold for every language.")  # fmt: skip


THRESHOLD_OPTION = typer.Option(None, "--threshold", help=_threshold_help())
ID_PROMPTS_OPTION = typer.Option(
    "refuse", "--token-ids",
    help="Token-id prompts: refuse (default), decode (needs --tokenizer) or allow unjudged.",
)  # fmt: skip
TOKENIZER_OPTION = typer.Option(
    None, "--tokenizer", help="tokenizer.json of the served model, to decode token-id prompts."
)
STRICT_OPTION = typer.Option(
    False, "--strict-fields",
    help="Refuse request fields the guard does not know (and client-supplied chat templates)"
    " instead of judging their strings as text.",
)  # fmt: skip
UNREAD_FILES_OPTION = typer.Option(
    "refuse", "--unread-files",
    help="Attached files the guard cannot read as text (PDF and other binary file_data,"
    " file_id / file_url references): refuse (default) or allow (forward unjudged). Text"
    " files are always judged.",
)  # fmt: skip
ONNX_OPTION = typer.Option(
    None, "--onnx-classifier",
    help="Second stage (default none here; guard serve's default is auto): 'builtin' (a"
    " multilingual sentence encoder + trained head, run on the texts the fast stage is unsure"
    " of; needs the guard-semantic extra, ~7 s start-up), 'auto' (builtin when it can run),"
    " or an ONNX classifier folder (scanned before loading); runs in a sandboxed worker.",
)  # fmt: skip
SERVE_ONNX_OPTION = typer.Option(
    None, "--onnx-classifier",
    help="Second stage: 'auto' (default: 'builtin' when the guard-semantic extra is installed and"
    " the sandbox works, else none, said at start-up), 'builtin' (a multilingual sentence"
    " encoder + trained head, run only on the texts the fast stage is unsure of; ~7 s"
    " start-up), 'none', or an ONNX classifier folder (scanned before loading); runs in a"
    " sandboxed worker.",
)  # fmt: skip
ONNX_LABEL_OPTION = typer.Option(
    None, "--onnx-label", help="id2label entry that means injection (default: guessed)."
)
ONNX_THRESHOLD_OPTION = typer.Option(
    None, "--onnx-threshold",
    help="ONNX classifier threshold on P(label) (0-1; default 0.5, or the calibrated one for"
    " 'builtin').",
)  # fmt: skip
ONNX_UNSANDBOXED_OPTION = typer.Option(
    False, "--onnx-unsandboxed", help="Run the ONNX classifier in-process (no sandbox worker)."
)
DATA_FIELD_OPTION = typer.Option(
    "off",
    "--data-field",
    help="The data-field stage for tool outputs (opt-in, candidate K): 'builtin' or a model"
    " file; 'off' (default).",
)
GW_SELECTOR_OPTION = typer.Option(None, "--gateway-selector", help="k=v[,k=v] of gateway pods.")
GW_NAMESPACE_OPTION = typer.Option(
    None, "--gateway-namespace", help="Namespace of the gateway (default: the endpoint's)."
)
EGRESS_OPTION = typer.Option([], "--egress", help="host:port or cidr:port; repeatable.")
POD_SELECTOR_OPTION = typer.Option(
    None, "--pod-selector", help="k=v of endpoint pods (default app.kubernetes.io/name=NAME)."
)
GW_PRINCIPAL_OPTION = typer.Option(
    None, "--gateway-principal", help="Istio principal (SPIFFE id) of the gateway."
)


@dataclass(frozen=True)
class OnnxChoice:
    """The ``--onnx-*`` options, passed through to ``default_pipeline``."""

    path: Path | None = None
    label: str | None = None
    threshold: float | None = None
    sandbox: bool = True

    def auto(self) -> OnnxChoice:
        """``auto`` (``guard serve``'s default): the semantic stage when it can run here, else
        no second stage, with a line on stderr saying why; ``none``: no second stage."""
        name = str(self.path) if self.path is not None else None
        if name == "none":
            return replace(self, path=None)
        if name != "auto":
            return self
        from airlock.guard.semantic.stage import unavailable

        why = unavailable(sandbox=self.sandbox)
        if why is None:
            return replace(self, path=Path("builtin"))
        import sys

        sys.stderr.write(f"airlock: semantic stage off: {why}\n")
        return replace(self, path=None)

    def resolved(self) -> tuple[Path | None, str | None, float]:
        """``builtin`` names Airlock's own second stage, with its calibrated threshold."""
        if self.path is not None and str(self.path) == "builtin":
            from airlock.guard.factory import BUILTIN_ONNX, builtin_onnx_threshold

            thr = self.threshold if self.threshold is not None else builtin_onnx_threshold()
            return BUILTIN_ONNX, self.label or "INJECTION", thr
        return self.path, self.label, 0.5 if self.threshold is None else self.threshold


@dataclass(frozen=True)
class TriggerChoice:
    """Where extra trigger patterns come from: files (trigger lists, trojan reports, advisory
    exports) and a registry's advisories for the served model."""

    files: tuple[Path, ...] = ()
    registry: str | None = None
    digest: str | None = None

    def rules(self) -> list[Rule]:
        """The file triggers (advisory exports filtered by the model digest)."""
        from airlock.errors import UsageError
        from airlock.guard.trigger_sources import load_triggers

        if self.registry and not self.digest:
            raise UsageError("--registry needs --model-digest: advisories are per model version")
        return [r for path in self.files for r in load_triggers(path, self.digest)]

    def live(self) -> LiveAdvisoryRules | None:
        """The registry's advisory triggers for the model, as a refreshable scanner."""
        import os

        from airlock.guard.trigger_sources import LiveAdvisoryRules

        if not (self.registry and self.digest):
            return None
        token = os.environ.get("AIRLOCK_REGISTRY_TOKEN")
        return LiveAdvisoryRules(self.registry, self.digest, token)


@dataclass(frozen=True)
class FieldChoice:
    """How requests' non-text parts are treated (token ids, unknown keys, unread files)."""

    id_prompts: str = "refuse"
    tokenizer: Path | None = None
    strict: bool = False
    unread_files: str = "refuse"

    def policy(self) -> Any:
        from airlock.errors import UsageError
        from airlock.guard.request import RequestPolicy

        if self.id_prompts not in ("refuse", "decode", "allow"):
            raise UsageError(f"--token-ids: refuse, decode or allow, not {self.id_prompts!r}")
        if (self.id_prompts == "decode") != (self.tokenizer is not None):
            raise UsageError("--token-ids decode and --tokenizer go together")
        if self.unread_files not in ("refuse", "allow"):
            raise UsageError(f"--unread-files: refuse or allow, not {self.unread_files!r}")
        decoder = None
        if self.tokenizer is not None:
            from airlock.guard.onnx.common import _import

            tok = _import("tokenizers").Tokenizer.from_str(
                _read(self.tokenizer).decode("utf-8", "replace")
            )

            def decoder(ids: list[int]) -> str:
                return str(tok.decode(ids, skip_special_tokens=False))

        return RequestPolicy(self.id_prompts, decoder, self.strict, self.unread_files)


def _pipeline(triggers: TriggerChoice, canaries: list[str], monitor: bool,
              threshold: float | None, fail_open: bool = False, isolation: str = "thread",
              onnx: OnnxChoice | None = None, fields: FieldChoice | None = None,
              data_field: str = "off",
              ) -> tuple[Pipeline, LiveAdvisoryRules | None]:  # fmt: skip
    from airlock.guard.factory import default_pipeline

    rules = triggers.rules()
    live = triggers.live()
    # user regexes can backtrack: keep preemptive scanner timeouts (a registry refresh may bring
    # regexes later, so a live registry source counts too)
    if live is not None or any(r.user_regex for r in rules):
        isolation = "thread"
    onnx = (onnx or OnnxChoice()).auto()
    if onnx.path is not None and not onnx.sandbox:
        import sys

        sys.stderr.write("airlock: WARNING: ONNX classifier runs in-process, unsandboxed"
                         " (--onnx-unsandboxed)\n")  # fmt: skip
    onnx_path, onnx_label, onnx_threshold = onnx.resolved()
    df: Path | None = None
    if data_field == "builtin":
        from airlock.guard.datafield import DATAFIELD_MODEL

        df = DATAFIELD_MODEL
    elif data_field != "off":
        df = Path(data_field)
    p = default_pipeline(triggers=rules, canaries=canaries, monitor=monitor,
                         threshold=threshold, fail_closed=not fail_open, isolation=isolation,
                         onnx_classifier=onnx_path, onnx_label=onnx_label,
                         onnx_threshold=onnx_threshold, onnx_sandbox=onnx.sandbox,
                         policy=(fields or FieldChoice()).policy(),
                         extra_scanners=[live.scanner] if live else [],
                         data_field=df)  # fmt: skip
    return p, live


def _write(path: Path, text: str) -> None:
    from airlock.errors import InputError

    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot write ({exc.strerror})") from None


def _read(path: Path) -> bytes:
    """The input's bytes, capped; ``-`` is standard input (a pipe is read until its writer
    closes it, as any FIFO)."""
    from airlock.fileio import read_capped

    return read_capped(Path("/dev/stdin") if str(path) == "-" else path, MAX_INPUT_BYTES, "input")


def _jsonl_items(path: Path) -> list[tuple[str, Any]]:
    """Each line: a JSON string, {"text": ...}, or an OpenAI chat/completions request body.
    Lines end at "\n" only (JSON Lines): U+2028, form feeds and other characters that
    ``str.splitlines`` breaks on are legal inside a JSON string."""
    import json

    from airlock.errors import FormatError

    items: list[tuple[str, Any]] = []
    for n, line in enumerate(_read(path).decode("utf-8", "replace").split("\n"), 1):
        if not line.strip():
            continue
        if len(items) >= MAX_JSONL_LINES:
            raise FormatError(f"{path}: more than {MAX_JSONL_LINES} lines")
        try:
            items.append((f"{path}:{n}", json.loads(line)))
        except ValueError:
            raise FormatError(f"{path}:{n}: not valid JSON") from None
    return items


_EMBEDDINGS_ONLY = frozenset({"encoding_format", "dimensions"})
_RESPONSES_ONLY = frozenset(
    {"instructions", "tools", "tool_choice", "previous_response_id", "reasoning", "text", "store",
     "stream", "max_output_tokens"}
)  # fmt: skip


def _embeddings_shape(item: dict[str, Any]) -> bool:
    """An Embeddings request, told from a Responses one by what only it holds: an ``input``
    list of strings or token ids (Responses lists hold items, objects), or ``encoding_format`` /
    ``dimensions``; a lone string input reads the same either way (judged as Responses)."""
    if "input" not in item or _RESPONSES_ONLY & item.keys():
        return False
    if _EMBEDDINGS_ONLY & item.keys():
        return True
    inp = item["input"]
    return (
        isinstance(inp, list)
        and bool(inp)
        and all(isinstance(x, (str, int, list)) and not isinstance(x, bool) for x in inp)
    )


def _check_item(p: Pipeline, item: Any, direction: str) -> Decision:
    from airlock.errors import FormatError

    if isinstance(item, str):
        return p.check_text(item, direction)
    if isinstance(item, dict) and isinstance(item.get("text"), str):
        return p.check_text(item["text"], direction)
    if isinstance(item, dict) and "messages" in item:
        return p.check_request(item, "chat")
    if isinstance(item, dict) and "prompt" in item:
        return p.check_request(item, "completions")
    if isinstance(item, dict) and _embeddings_shape(item):
        return p.check_request(item, "embeddings")
    if isinstance(item, dict) and ("input" in item or "instructions" in item):
        return p.check_request(item, "responses")
    raise FormatError("each JSONL line must be a string, {'text': ...} or an OpenAI request")


def _render(results: list[tuple[str, Decision]], fmt: OutputFormat, totals: bool) -> None:
    """One block per item (with the redacted text when the guard redacted), then, for a JSONL
    file, one totals line."""
    if fmt is OutputFormat.json:
        _common.print_json([{"source": s, **d.to_json(),
                             **({"redacted_text": d.text} if d.text is not None else {})}
                            for s, d in results])  # fmt: skip
        return
    out = _common.console()
    for src, d in results:
        out.print(f"{d.action.upper():6} {src}  ({d.id}, {d.elapsed_ms:.2f} ms)", markup=False)
        for f in d.findings:
            extra = f" score={f.score:.3f}" if f.score is not None else ""
            where = f" [{f.where}]" if f.where else ""
            out.print(f"  {f.rule_id} {f.severity} {f.action}: {f.message}{where}{extra}"
                      + (f"  «{f.evidence}»" if f.evidence else ""), markup=False)  # fmt: skip
        if d.text is not None:
            out.print(f"  redacted: {d.text}", markup=False)
    if totals:
        counts = {a: sum(d.action == a for _, d in results)
                  for a in ("allow", "warn", "redact", "block")}  # fmt: skip
        out.print(f"{len(results)} item(s): {counts['allow']} allowed, {counts['warn']} warned,"
                  f" {counts['redact']} redacted, {counts['block']} blocked",
                  markup=False)  # fmt: skip


def register(app: typer.Typer) -> None:
    guard = typer.Typer(help="Input/output guard for model endpoints.", no_args_is_help=True)
    sandbox = typer.Typer(help="Run untrusted model code in isolation.", no_args_is_help=True)
    policy = typer.Typer(help="Generate network policies for inference endpoints.",
                         no_args_is_help=True)  # fmt: skip
    app.add_typer(guard, name="guard")
    app.add_typer(sandbox, name="sandbox")
    app.add_typer(policy, name="policy")

    @guard.command("check")
    def check_cmd(
        text: str | None = typer.Argument(None, help="Text to check."),
        file: Path | None = typer.Option(
            None, "--file", help="Check the whole file as one text ('-': standard input)."
        ),
        jsonl: Path | None = typer.Option(
            None, "--jsonl", help="Check one item per line ('-': standard input)."
        ),
        output: bool = typer.Option(False, "--output", help="Judge as model output, not input."),
        triggers: list[Path] = TRIGGERS_OPTION,
        registry: str | None = REGISTRY_OPTION,
        model_digest: str | None = DIGEST_OPTION,
        canary: list[str] = CANARY_OPTION,
        monitor: bool = MONITOR_OPTION,
        threshold: float | None = THRESHOLD_OPTION,
        onnx_classifier: Path | None = ONNX_OPTION,
        onnx_label: str | None = ONNX_LABEL_OPTION,
        onnx_threshold: float | None = ONNX_THRESHOLD_OPTION,
        onnx_unsandboxed: bool = ONNX_UNSANDBOXED_OPTION,
        token_ids: str = ID_PROMPTS_OPTION,
        tokenizer: Path | None = TOKENIZER_OPTION,
        strict_fields: bool = STRICT_OPTION,
        unread_files: str = UNREAD_FILES_OPTION,
        data_field: str = DATA_FIELD_OPTION,
        fmt: OutputFormat = _common.FORMAT_OPTION,
    ) -> None:
        """Check text for prompt injection, hidden text, triggers, secrets and canary leaks.

        Exit 0 if everything is allowed, 1 if anything was flagged, 2 on error.
        """
        from airlock.errors import UsageError

        def run() -> int:
            if sum(x is not None for x in (text, file, jsonl)) != 1:
                raise UsageError("give exactly one of TEXT, --file or --jsonl")
            onnx = OnnxChoice(onnx_classifier, onnx_label, onnx_threshold, not onnx_unsandboxed)
            trig = TriggerChoice(tuple(triggers), registry, model_digest)
            fields = FieldChoice(token_ids, tokenizer, strict_fields, unread_files)
            p, _live = _pipeline(trig, canary, monitor, threshold, onnx=onnx, fields=fields,
                                 data_field=data_field)  # fmt: skip
            direction = "output" if output else "input"
            if text is not None:
                results = [("<argument>", p.check_text(text, direction))]
            elif file is not None:
                body = _read(file).decode("utf-8", "replace")
                results = [(str(file), p.check_text(body, direction))]
            else:
                assert jsonl is not None
                results = [(src, _check_item(p, it, direction)) for src, it in _jsonl_items(jsonl)]
            _render(results, fmt, totals=jsonl is not None)
            return EXIT_FINDINGS if any(d.findings for _, d in results) else EXIT_OK

        raise typer.Exit(_common.guarded(run))

    @guard.command("serve")
    def serve_cmd(
        upstream: str = typer.Option(..., "--upstream", help="Base URL of the model server."),
        host: str = typer.Option("127.0.0.1", "--host", help="Listen address."),
        port: int = typer.Option(8080, "--port", help="Listen port."),
        triggers: list[Path] = TRIGGERS_OPTION,
        registry: str | None = REGISTRY_OPTION,
        model_digest: str | None = DIGEST_OPTION,
        canary: list[str] = CANARY_OPTION,
        inject_canary: bool = typer.Option(
            False, "--inject-canary", help="Plant a fresh canary in every system prompt."
        ),
        monitor: bool = MONITOR_OPTION,
        threshold: float | None = THRESHOLD_OPTION,
        fail_open: bool = typer.Option(
            False, "--fail-open", help="Forward when the guard itself fails (default: refuse)."
        ),
        guard_timeout: float = typer.Option(2.0, "--guard-timeout", help="Seconds per check."),
        upstream_timeout: float = typer.Option(
            120.0,
            "--upstream-timeout",
            min=0.1,
            help="Seconds the upstream may stay silent (a stalled stream ends with an error).",
        ),
        body_timeout: float = typer.Option(
            30.0,
            "--body-timeout",
            min=0.1,
            help="Seconds a client may take to send its whole request body (then 408, closed).",
        ),
        onnx_classifier: Path | None = SERVE_ONNX_OPTION,
        onnx_label: str | None = ONNX_LABEL_OPTION,
        onnx_threshold: float | None = ONNX_THRESHOLD_OPTION,
        onnx_unsandboxed: bool = ONNX_UNSANDBOXED_OPTION,
        token_ids: str = ID_PROMPTS_OPTION,
        tokenizer: Path | None = TOKENIZER_OPTION,
        strict_fields: bool = STRICT_OPTION,
        unread_files: str = UNREAD_FILES_OPTION,
        data_field: str = DATA_FIELD_OPTION,
        advisory_refresh: float = typer.Option(
            60.0,
            "--advisory-refresh",
            min=0.0,
            help="Seconds between re-reading --registry advisories (0: only at start-up).",
        ),
    ) -> None:
        """OpenAI-compatible guard proxy: /v1/chat/completions, /v1/completions, /v1/responses,
        /v1/embeddings."""
        from airlock.errors import DependencyError, UsageError

        def run() -> None:
            import logging
            import sys

            if not upstream.startswith(("http://", "https://")):
                raise UsageError(f"--upstream {upstream!r} must be an http(s) URL")
            _common.require_listen(host, port)  # before the classifier's seconds of start-up
            try:
                import uvicorn

                from airlock.guard.proxy import ProxyConfig, create_app, startup_line
            except ImportError as exc:
                raise DependencyError(
                    f"guard serve needs {exc.name!r} from the 'guard' extra: "
                    "pip install 'model-airlock[guard]'"
                ) from None
            from airlock.guard.pipeline import make_canary

            token = make_canary() if inject_canary else None
            # inline scanners: the proxy's own per-request deadline bounds them hard
            onnx = OnnxChoice(onnx_classifier or Path("auto"), onnx_label, onnx_threshold,
                              not onnx_unsandboxed)  # fmt: skip
            trig = TriggerChoice(tuple(triggers), registry, model_digest)
            fields = FieldChoice(token_ids, tokenizer, strict_fields, unread_files)
            p, live = _pipeline(trig, [*canary, *([token] if token else [])], monitor,
                                threshold, fail_open, isolation="inline", onnx=onnx,
                                fields=fields, data_field=data_field)  # fmt: skip
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(logging.Formatter("%(message)s"))
            log = logging.getLogger("airlock.guard.proxy")
            log.addHandler(handler)
            log.setLevel(logging.INFO)
            if not 0 < guard_timeout < 1e6:  # nan/inf/<=0: every check would time out or never
                raise UsageError(f"--guard-timeout {guard_timeout}: give seconds above 0")
            cfg = ProxyConfig(upstream=upstream, guard_timeout_s=guard_timeout,
                              upstream_timeout_s=upstream_timeout, body_timeout_s=body_timeout,
                              fail_closed=not fail_open, inject_canary=token,
                              refresh_s=advisory_refresh)  # fmt: skip
            app = create_app(cfg, p, refresh=live.refresh if live else None)
            shown = f"[{host}]" if ":" in host else host
            sys.stderr.write(startup_line(cfg, p, f"http://{shown}:{port}") + "\n")
            sys.stderr.flush()
            uvicorn.run(app, host=host, port=port, log_level="warning",
                        http=_common.uvicorn_http(body_timeout))  # fmt: skip

        _common.guarded(run)

    @sandbox.command("run", context_settings={"allow_interspersed_args": False})
    def sandbox_run(
        cmd: list[str] = typer.Argument(..., help="Command to run (after --)."),
        allow_net: bool = typer.Option(
            False,
            "--allow-net",
            help="Outbound network through slirp4netns (never the host's loopback or addresses).",
        ),
        ro: list[Path] = typer.Option([], "--ro", help="Path to expose read-only; repeatable."),
        rw: list[Path] = typer.Option([], "--rw", help="Path to expose read-write; repeatable."),
        rw_quota_mb: int = typer.Option(
            1024,
            "--rw-quota-mb",
            help="All --rw paths together may grow by at most this (0: unbounded).",
        ),
        memory_mb: int = typer.Option(4096, "--memory-mb", help="Address-space limit."),
        cpu_seconds: int = typer.Option(300, "--cpu-seconds", help="CPU-time limit."),
        timeout: float = typer.Option(600.0, "--timeout", help="Wall-clock limit in seconds."),
        allow_unsandboxed: bool = typer.Option(
            False, "--allow-unsandboxed", help="Run even if no sandbox works (DANGEROUS)."
        ),
        allow_exec: bool = typer.Option(
            False, "--allow-exec", help="Let CMD start other programs (default: exec denied)."
        ),
        max_procs: int = typer.Option(
            256, "--max-procs", help="Processes and threads the whole tree may have."
        ),
        tmpfs_mb: int = typer.Option(
            0,
            "--tmpfs-mb",
            help="Private /tmp + /dev/shm size (default: half of --memory-mb, at most 512).",
        ),
        allow_unix_sockets: bool = typer.Option(
            False,
            "--allow-unix-sockets",
            help="Let CMD create unix sockets (forkserver,"
            " multiprocessing managers); binds holding a socket file are refused.",
        ),
    ) -> None:
        """Run CMD under bubblewrap + seccomp with limits; exits with CMD's exit code.

        CMD itself is the only program started unless --allow-exec (a shell script needs it)."""
        from airlock.sandbox.runner import SandboxPolicy, run

        def go() -> int:
            import sys

            pol = SandboxPolicy(tuple(ro), tuple(rw), allow_net, memory_mb, cpu_seconds, timeout,
                                allow_unsandboxed=allow_unsandboxed, max_procs=max_procs,
                                allow_exec=allow_exec, tmpfs_mb=tmpfs_mb,
                                allow_unix_sockets=allow_unix_sockets,
                                rw_quota_mb=rw_quota_mb)  # fmt: skip
            res = run(list(cmd), pol)
            sys.stdout.buffer.write(res.stdout)
            sys.stderr.buffer.write(res.stderr)
            if res.over_quota:
                over = f"wrote more than {rw_quota_mb} MB into its --rw paths (--rw-quota-mb)"
                sys.stderr.write(f"airlock: sandboxed command killed: {over}\n")
            if res.timed_out:
                sys.stderr.write(f"airlock: sandboxed command killed after {timeout}s\n")
                return 124
            if res.out_of_memory():
                sys.stderr.write(f"airlock: sandboxed command {res.oom_message(memory_mb)}\n")
            return res.returncode if res.returncode >= 0 else 128 - res.returncode

        raise typer.Exit(_common.guarded(go))

    @sandbox.command("probe")
    def sandbox_probe(fmt: OutputFormat = _common.FORMAT_OPTION) -> None:
        """Which isolation backends work on this machine (exit 1 if none is usable)."""

        def go() -> int:
            from airlock.sandbox.probe import probe

            info = probe()
            if fmt is OutputFormat.json:
                _common.print_json(info)
            else:
                out = _common.console()
                bw = info["bubblewrap"]
                out.print(f"bubblewrap: {bw['version'] or 'missing'} "
                          f"(namespaces {'ok' if bw['namespaces_work'] else 'unavailable'})",
                          markup=False)  # fmt: skip
                seccomp = "found" if info["seccomp"]["libseccomp"] else "missing"
                out.print(f"seccomp: libseccomp {seccomp}", markup=False)
                out.print(f"landlock ABI: {info['landlock']['abi'] or 'unavailable'}", markup=False)
                has_slirp = info["network"]["slirp4netns"]
                net = "slirp4netns" if has_slirp else "refused (no slirp4netns)"
                out.print(f"--allow-net: {net}", markup=False)
                usable = "yes" if info["usable"] else "no: untrusted code cannot be isolated here"
                out.print(f"usable: {usable}", markup=False)
                if info.get("hint"):
                    out.print(f"hint: {info['hint']}", markup=False)
            return EXIT_OK if info["usable"] else EXIT_FINDINGS

        raise typer.Exit(_common.guarded(go))

    @policy.command("k8s")
    def policy_k8s(
        name: str | None = typer.Option(None, "--name", help="Endpoint (Deployment) name."),
        namespace: str | None = typer.Option(None, "--namespace", help="Namespace to use."),
        port: int | None = typer.Option(None, "--port", help="Serving port."),
        gateway_selector: str | None = GW_SELECTOR_OPTION,
        gateway_namespace: str | None = GW_NAMESPACE_OPTION,
        egress: list[str] = EGRESS_OPTION,
        pod_selector: str | None = POD_SELECTOR_OPTION,
        cilium: bool = typer.Option(False, "--cilium", help="Also emit a CiliumNetworkPolicy."),
        istio: bool = typer.Option(False, "--istio", help="Also emit Istio mTLS + authz policy."),
        gateway_principal: str | None = GW_PRINCIPAL_OPTION,
        allow_gateway_namespace: bool = typer.Option(
            False,
            "--allow-gateway-namespace",
            help="Istio without --gateway-principal: let every workload in the gateway's "
            "namespace call the endpoint.",
        ),
        container: list[str] = typer.Option(
            [], "--container", help="Container of the Deployment to harden; repeatable."
        ),
        patch_output: Path | None = typer.Option(
            None,
            "--patch-output",
            help="Write the Deployment hardening patch here (needs --container).",
        ),
        output: Path | None = typer.Option(None, "--output", "-o", help="Write YAML here."),
        admission: bool = typer.Option(
            False, "--admission", help="Instead: the admission webhook's manifests."
        ),
        admission_registry: str | None = typer.Option(
            None, "--registry", help="--admission: the registry service URL."
        ),
        generate_ca: bool = typer.Option(
            False, "--generate-ca", help="--admission: generate the CA here, not cert-manager."
        ),
        mutating: bool = typer.Option(
            False, "--mutating", help="--admission: also the init-container mutating webhook."
        ),
        fail_open: bool = typer.Option(
            False, "--fail-open", help="--admission: audit-only rollout (failurePolicy Ignore)."
        ),
        image: str | None = typer.Option(None, "--image", help="--admission: Airlock image."),
    ) -> None:
        """Default-deny NetworkPolicy, optional Cilium/Istio policies (YAML for kubectl apply),
        and a hardened securityContext patch for the Deployment (--patch-output); with
        --admission, the admission webhook's manifests instead."""

        def go() -> None:
            import sys

            from airlock.errors import UsageError
            from airlock.policy import k8s
            from airlock.policy.yamlout import dump_all

            if admission:
                from airlock.policy.admission import write_manifests

                write_manifests(
                    admission_registry, namespace, image, output,
                    cert_manager=not generate_ca, mutating=mutating, fail_open=fail_open,
                )  # fmt: skip
                return
            if name is None or namespace is None or port is None or gateway_selector is None:
                raise UsageError("give --name, --namespace, --port and --gateway-selector")

            spec = k8s.EndpointSpec(
                name=name, namespace=namespace, port=port,
                gateway_labels=k8s.parse_labels(gateway_selector, "--gateway-selector"),
                gateway_namespace=gateway_namespace,
                egress=tuple(k8s.parse_egress(e) for e in egress),
                pod_labels=k8s.parse_labels(pod_selector, "--pod-selector") if pod_selector else {},
            )  # fmt: skip
            if container and patch_output is None:
                raise UsageError("--container is for the Deployment patch: add --patch-output FILE")
            if patch_output is not None and not container:
                raise UsageError("--patch-output needs --container NAME (the container to harden)")
            p = k8s.plan(spec, cilium=cilium, istio=istio, gateway_principal=gateway_principal,
                         allow_gateway_namespace=allow_gateway_namespace,
                         containers=tuple(container))  # fmt: skip
            docs, notes = p.docs, p.comments
            if p.patch is not None and patch_output is not None:
                head = (f"# Strategic-merge patch for Deployment {name}; apply it alone:\n"
                        f"#   kubectl patch deployment {name} -n {namespace} --type strategic "
                        f"--patch-file {patch_output}\n")  # fmt: skip
                _write(patch_output, head + dump_all([p.patch]))
                what = f"Deployment patch in {patch_output}"
            else:
                what = "no Deployment patch: add --container NAME --patch-output FILE"
            header = f"# airlock policy k8s for {namespace}/{name}: kubectl apply -f; {what}\n"
            for warning in p.warnings:
                sys.stderr.write(f"airlock: WARNING: {warning}\n")
            text = header + dump_all(docs, notes)
            if output is None:
                sys.stdout.write(text)
            else:
                _write(output, text)

        _common.guarded(go)
