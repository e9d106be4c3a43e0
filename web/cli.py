"""The `gongkai` command: ingest, verify, search, reindex, serve, user.

Flask is imported only by `serve`: ingesting or searching from the command line never loads the
web side. Global options (--data, --backend, --es-url, --es-index) are accepted before or after
the subcommand.
"""
from __future__ import annotations

import json
import logging
import os
import sys
from importlib import metadata
from pathlib import Path

import click

from analyzers.fields import FACETS as FACET_FIELDS
from archive import Archive, Search, Settings
from archive.index import FACETS, BackendUnavailable
from archive.settings import SettingsError

DEMO_SKIP = {"README.md", "manifest.csv"}


class Fail(click.ClickException):
    """A one-line error, `gongkai: <message>`, and a non-zero exit status."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file=None) -> None:
        click.echo(f"gongkai: {self.format_message()}", err=True)


def samples_dir() -> Path:
    """The bundled sample documents shipped with the package."""
    import ingest

    return Path(ingest.__file__).parent / "samples"


def _version() -> str:
    try:
        return metadata.version("gongkai")
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"


def _set_global(ctx: click.Context, param: click.Parameter, value):
    """A global option given after the subcommand: it overrides (or, for --setting, adds to) the group's."""
    if value is not None and value != ():
        obj = ctx.find_root().obj
        obj[param.name] = obj.get(param.name, ()) + tuple(value) if param.name == "setting" else value
    return value


_GLOBAL_HELP = {
    "data_dir": "Data directory (default: $GONGKAI_DATA or ~/.local/share/gongkai).",
    "backend": "Search engine: the embedded index, or an Elasticsearch 8 cluster ($GONGKAI_BACKEND).",
    "es_url": "Elasticsearch URL, with --backend elasticsearch ($GONGKAI_ES_URL).",
    "es_index": "Elasticsearch alias prefix ($GONGKAI_ES_INDEX).",
    "setting": "Set any setting, e.g. --setting file_timeout_s=60 (repeatable; `gongkai settings` lists them).",
}


def _global_options(group: bool):
    """--data, --backend, --es-url, --es-index, --setting: on the group and on each subcommand (so that
    `gongkai search --data DIR …` works as well as `gongkai --data DIR search …`). Values not given come
    from <data>/settings.toml and GONGKAI_* variables (archive.settings)."""
    def kw(name: str, **more) -> dict:
        if group:
            return dict(default=None, help=_GLOBAL_HELP[name], **more)
        return dict(default=None, expose_value=False, callback=_set_global, help=_GLOBAL_HELP[name], **more)

    options = [
        click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
                     **({"envvar": "GONGKAI_DATA"} if group else {}), **kw("data_dir")),
        click.option("--backend", type=click.Choice(["embedded", "elasticsearch"]), **kw("backend")),
        click.option("--es-url", **kw("es_url")),
        click.option("--es-index", **kw("es_index")),
        click.option("--setting", "setting", multiple=True, metavar="NAME=VALUE", **kw("setting")),
    ]

    def decorate(f):
        for option in reversed(options):
            f = option(f)
        return f

    return decorate


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@_global_options(group=True)
@click.version_option(_version(), "--version", "-V", prog_name="gongkai", message="%(prog)s %(version)s")
@click.pass_context
def main(ctx: click.Context, data_dir: Path | None, backend: str | None, es_url: str | None,
         es_index: str | None, setting: tuple[str, ...]):
    """gongkai: full-text search and archive for disclosed government documents."""
    ctx.obj = {"data_dir": data_dir, "backend": backend, "es_url": es_url, "es_index": es_index, "setting": setting}


def _command(**kwargs):
    """A subcommand of `gongkai` that also takes the global options."""
    def decorate(f):
        return main.command(**kwargs)(_global_options(group=False)(f))
    return decorate


def _settings(ctx: click.Context, **given) -> Settings:
    """The settings in force: defaults < <data>/settings.toml < GONGKAI_* < --setting < options given."""
    o = ctx.find_root().obj
    pairs = {}
    for item in o.get("setting", ()):
        name, sep, value = item.partition("=")
        if not sep:
            raise Fail(f"--setting {item!r}: write it as name=value", exit_code=2)
        pairs[name.strip()] = value.strip()
    try:
        return Settings.load(Path(o["data_dir"]).expanduser() if o["data_dir"] else None, overrides=pairs,
                             backend=o["backend"], es_url=o["es_url"], es_index=o["es_index"], **given)
    except SettingsError as e:
        raise Fail(f"configuration: {e}", exit_code=2) from None


def _archive(ctx: click.Context, create: bool = False, settings: Settings | None = None) -> Archive:
    """The archive of the data directory; unless `create`, a missing one is a one-line error."""
    settings = settings or _settings(ctx)
    if not create and not Archive.exists(settings.data_dir):
        raise Fail(f"no archive at {settings.data_dir} (ingest documents first: gongkai ingest --data "
                   f"{settings.data_dir} FILES…, or try `gongkai serve --demo`)")
    archive = Archive(settings)
    ctx.call_on_close(archive.close)
    return archive


@_command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--quiet", is_flag=True, help="Only print the summary (no per-file lines, no progress).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Extraction processes (default: one per core).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=None,
              help="Per-file extraction time limit in seconds (default from settings).")
@click.option("--memory-mb", type=click.IntRange(min=64), default=None,
              help="Per-worker memory cap in MiB (default from settings).")
@click.option("--retry-failed", is_flag=True,
              help="Extract again files that failed in an earlier run (default: keep them failed).")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Failure report (JSON lines) path; default <data>/reports/run-N-failures.jsonl.")
@click.option("--ocr/--no-ocr", default=None,
              help="OCR pages without a usable text layer (slow); default from settings.")
@click.pass_context
def ingest(ctx, paths, quiet, workers, timeout, memory_mb, retry_failed, report, ocr):
    """Ingest files, folders (recursively) and ZIP bundles; resumable; print a summary with every failure."""
    from ingest.pipeline import IngestBusy
    from ingest.pipeline import ingest as run
    from ingest.progress import LineProgress, TerminalProgress, failure_line
    from ingest.sources import count_files

    if count_files(paths) == 0:
        raise Fail(f"nothing to ingest in {', '.join(map(str, paths))} (no files found)")
    settings = _settings(ctx, file_timeout_s=timeout, ocr=ocr,
                         file_memory_bytes=memory_mb * 1024 * 1024 if memory_mb else None)
    archive = _archive(ctx, create=True, settings=settings)
    tty = sys.stderr.isatty()
    if quiet:
        progress = None
    else:
        progress = TerminalProgress() if tty else LineProgress(interval=settings.progress_interval_s)

    def on_file(path, status, reason):
        if not quiet and not tty:
            click.echo(f"{status:9} {path}" + (f"  ({reason})" if reason else ""), err=True)

    try:
        s = run(archive, paths, on_file=on_file, workers=workers, retry_failed=retry_failed,
                report=report, progress=progress)
    except IngestBusy as e:
        raise Fail(str(e), exit_code=2) from None
    finally:
        if progress:
            progress.close()
    _print_summary(s, failure_line)
    if s.failed:
        ctx.exit(1)


def _print_summary(s, failure_line) -> None:
    click.echo(f"run {s.run_id}: seen {s.seen}, ingested {s.ingested}, "
               f"skipped (already present) {s.skipped}, failed {len(s.failed)} "
               f"in {s.seconds:.1f}s")
    pages_s = s.pages / s.seconds if s.seconds else 0.0
    click.echo(f"  {s.pages} pages ({pages_s:.0f} pages/s), {s.merged} merged into an existing document"
               f" (same text), {s.bundles} zip bundles")
    if s.interrupted_runs or s.caught_up or s.temps_removed:
        click.echo(f"  resumed after interrupted run(s) {s.interrupted_runs or '-'}: {s.caught_up} documents"
                   f" indexed that were waiting, {s.temps_removed} unfinished temp files removed")
    if s.failed_before:
        click.echo(f"  {s.failed_before} failed in an earlier run and were not retried (--retry-failed)")
    for f in s.failed:
        click.echo(f"  {failure_line(f)}")
    problems = {}
    for f in s.problems:
        problems[f.reason] = problems.get(f.reason, 0) + 1
    for reason, n in problems.items():
        click.echo(f"  not the files' fault: {reason} ({n} file{'s' if n > 1 else ''};"
                   " fix it and run again: they are retried without --retry-failed)")
    for path, doc_id, why in s.flagged:
        click.echo(f"  FLAGGED {path}: {why} (kept as document {doc_id}; see the staff attention list)")
    for path, doc_id, disclosure in s.conflicts:
        click.echo(f"  NOTE {path}: already archived as {disclosure} document {doc_id}; its disclosure is unchanged")
    if s.not_indexed:
        click.echo(f"  {s.not_indexed} documents archived but not indexed"
                   f"{': ' + s.index_error if s.index_error else ''}; run `gongkai reindex --pending`.")
    if s.report:
        click.echo(f"  failure report: {s.report}")


@_command()
@click.option("--repair", is_flag=True, help="Bring the indexes back in line with the catalog where they disagree.")
@click.pass_context
def verify(ctx, repair):
    """Fixity check: re-hash every stored original; report changed, missing and untracked files; compare
    each index with the catalog (what it holds, at which version and visibility, what waits)."""
    from archive import consistency
    from archive.fixity import verify as check

    archive = _archive(ctx)
    r = check(archive.blobs, archive.catalog)
    for sha, actual in r.changed:
        click.echo(f"CHANGED   {archive.blobs.path(sha)} (now hashes to {actual})")
    for sha, kind in r.missing:
        click.echo(f"MISSING   {archive.blobs.path(sha)} ({kind})")
    for path, why in r.untracked:
        click.echo(f"UNTRACKED {path} ({why})")
    for path, err in r.unreadable:
        click.echo(f"UNREADABLE {path} ({err})")
    states = archive.catalog.count_index_states()
    click.echo(f"verified {r.checked} stored files: {len(r.changed)} changed, {len(r.missing)} missing, "
               f"{len(r.untracked)} untracked, {len(r.unreadable)} unreadable")
    if states.get("pending") or states.get("failed"):
        click.echo(f"note: {states.get('pending', 0)} documents wait for indexing, {states.get('failed', 0)}"
                   " failed to index (`gongkai reindex --pending`)")
    reports = consistency.check(archive)
    for rep in reports:
        click.echo(f"index {rep.name}: {rep.documents} documents, {len(rep.missing)} missing, {len(rep.extra)}"
                   f" that must not be there, {len(rep.stale)} stale, {rep.backlog} changes waiting"
                   + (", statistics of deleted documents to purge" if rep.purge else ""))
        for label, ids in (("MISSING", rep.missing), ("MUST GO", rep.extra), ("STALE", rep.stale)):
            for doc_id in ids[:20]:
                click.echo(f"  {label} {doc_id}")
    indexes_ok = all(rep.ok for rep in reports)
    if repair and not indexes_ok:
        done = consistency.repair(archive, reports)
        indexes_ok = not done.error and not done.busy and all(rep.ok for rep in consistency.check(archive))
        click.echo(f"repaired: {done.documents} documents written to the indexes"
                   + ("" if indexes_ok else f"; still disagreeing ({done.error or 'index lock busy'})"))
    if not r.ok or not indexes_ok:
        ctx.exit(1)


def _facet_options(f):
    """--agency, --doc-type, --year … : one filter option per public facet (analyzers.fields)."""
    for facet in reversed([x for x in FACET_FIELDS if not x.staff_only]):
        f = click.option(f"--{facet.name.replace('_', '-')}", facet.name, multiple=True,
                         help=f"Filter by {facet.label_en.lower()} ({facet.label}; repeatable).")(f)
    return f


@_command()
@click.argument("query", default="")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(min=1))
@click.option("--offset", default=0, show_default=True, type=click.IntRange(min=0))
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance")
@_facet_options
@click.pass_context
def search(ctx, query, as_json, limit, offset, sort, **facets):
    """Search the archive as the public sees it; ranked hits with highlighted snippets."""
    archive = _archive(ctx)
    archive.sync.catch_up(wait_s=archive.settings.edit_index_wait_s)
    filters = {name: list(values) for name, values in facets.items()}
    r = archive.search(Search(q=query, filters=filters, sort=sort, offset=offset, limit=limit))
    if as_json:
        sources = archive.catalog.documents([h["id"] for h in r["hits"]])  # the operator may see paths
        hits = [{**{k: h[k] for k in ("id", "title", "doc_number", "agency", "written_date",
                                       "doc_type", "score", "snippet")},
                 "source": sources[h["id"]]["source"] if h["id"] in sources else ""} for h in r["hits"]]
        click.echo(json.dumps({"total": r["total"], "hits": hits, "facets": r["facets"]},
                              ensure_ascii=False, indent=1))
        return
    for n in r["notices"]:
        click.echo(n)
    click.echo(f"{r['total']} hits ({r['took_ms']} ms)")
    for i, h in enumerate(r["hits"], start=r["offset"] + 1):
        meta = " · ".join(x for x in (h["doc_number"], h["agency"], h["written_date"]) if x)
        click.echo(f"\n{i}. {h['title']}\n   {meta}\n   {_terminal(h['snippet'])}")
    for f in FACETS:
        if r["facets"][f]:
            click.echo(f"\n{f}: " + ", ".join(f"{b['value']} ({b['count']})" for b in r["facets"][f]))


def _terminal(snippet_html: str) -> str:
    """A marked HTML snippet as terminal text: marks in bold/yellow, entities decoded."""
    import html

    on, off = ("\x1b[1;33m", "\x1b[0m") if sys.stdout.isatty() else ("【", "】")
    return html.unescape(snippet_html.replace("<mark>", on).replace("</mark>", off))


@_command()
@click.option("--pending", is_flag=True, help="Only index documents not yet indexed.")
@click.pass_context
def reindex(ctx, pending):
    """Rebuild the search indexes from the archive alone (edits made meanwhile are replayed, not lost)."""
    done = _archive(ctx).reindex(pending_only=pending)
    click.echo(f"indexed {done.documents - len(done.failed)} documents, {len(done.failed)} failed")
    for doc_id, err in done.failed:
        click.echo(f"  FAILED {doc_id}: {err}")
    if done.error or done.busy:
        raise Fail(f"the indexes could not be written: {done.error or 'the index lock stayed busy'}")
    if done.failed:
        ctx.exit(1)


@_command()
@click.pass_context
def compact(ctx):
    """Give the catalog's free space back to the disk (after an upgrade or mass deletions); needs as much
    free disk as the catalog's size and blocks writers while it runs."""
    from archive.catalog.migrations import compact as vacuum

    before, after = vacuum(_archive(ctx).catalog.path)
    click.echo(f"catalog {before / 2**20:.1f} MiB → {after / 2**20:.1f} MiB")


@_command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535))
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 256))
@click.option("--demo", is_flag=True, help="First ingest the bundled sample documents.")
@click.pass_context
def serve(ctx, host, port, threads, demo):
    """Serve the web app with waitress (a production WSGI server)."""
    from web import create_app
    from web.serving import make_server

    archive = _archive(ctx, create=demo)
    app = create_app(archive=archive, upkeep=True)
    try:  # listen first: a port in use is said at once, before any work
        server = make_server(app, host, port, threads)
    except OSError as e:
        raise Fail(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
    if demo:
        from ingest.pipeline import ingest as run
        from ingest.progress import failure_line

        files = [p for p in sorted(samples_dir().rglob("*")) if p.is_file() and p.name not in DEMO_SKIP]
        _print_summary(run(archive, files), failure_line)
    _before_serving(archive)
    archive.search(Search(q="预热"))  # load jieba's dictionary before the first visitor
    click.echo(f"gongkai: {archive.catalog.count_documents()} documents in {archive.settings.data_dir}")
    click.echo(f"gongkai: open http://{host}:{port}/")
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


def _before_serving(archive: Archive) -> None:
    """Runs a killed server left unfinished are marked interrupted, and the indexes are brought up to
    date with the catalog (missing ones built), before the first request is answered."""
    if not archive.ingest_lock().held_elsewhere():
        interrupted = archive.catalog.mark_interrupted_runs()
        if interrupted:
            click.echo(f"gongkai: ingest run(s) {', '.join(map(str, interrupted))} were interrupted;"
                       " their files can be resumed from the staff pages")
    done = archive.sync.catch_up(wait_s=archive.settings.index_lock_wait_s)
    if done.rebuilt or done.documents:
        click.echo(f"gongkai: indexes brought up to date ({done.documents} documents"
                   f"{', rebuilt: ' + ', '.join(done.rebuilt) if done.rebuilt else ''})")
    if done.error or done.busy:
        click.echo(f"gongkai: the indexes could not be updated now ({done.error or 'index lock busy'});"
                   " waiting changes are applied as soon as they can be (restrictions hold meanwhile)", err=True)


@_command(name="settings")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object: name -> value.")
@click.pass_context
def settings_command(ctx, as_json):
    """Every setting: its value in force (after <data>/settings.toml, GONGKAI_* and --setting), default,
    bounds and meaning."""
    st = _settings(ctx)
    rows = st.table()
    if as_json:
        click.echo(json.dumps({r["name"]: str(r["value"]) if isinstance(r["value"], Path) else r["value"]
                               for r in rows}, ensure_ascii=False, indent=1))
        return
    # Valid TOML: saved as <data>/settings.toml, it sets what it shows.
    group = None
    for r in rows:
        if r["group"] != group:
            group = r["group"]
            click.echo(f"\n[{group}]")
        bounds = (f" One of {'/'.join(r['choices'])}." if r["choices"] else
                  f" {r['lo']:,}..{r['hi']:,}." if r["lo"] is not None else "")
        changed = "" if r["value"] == r["default"] else f" (default {_toml(r['default'])})"
        line = f"{r['name']} = {_toml(r['value'])}"
        click.echo(f"# {r['help']}.{bounds}{changed}\n{'# ' + line if r['name'] == 'data_dir' else line}")


def _toml(value) -> str:
    return json.dumps(str(value) if isinstance(value, Path) else value, ensure_ascii=False)


@main.group()
def user():
    """Staff accounts: add, list, change role (roles: viewer < editor < admin)."""


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@user.command("add")
@_global_options(group=False)
@click.argument("name")
@click.option("--role", type=click.Choice(["viewer", "editor", "admin"]), default="viewer", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
@click.pass_context
def user_add(ctx, name, role, password_stdin):
    """Create a staff account; the password is prompted for (twice) or read from stdin."""
    from archive.accounts import AccountError

    archive = _archive(ctx, create=True)  # the first admin may come before the first document
    try:
        archive.accounts.add(name, _read_password(password_stdin), role)
    except AccountError as e:
        raise Fail(str(e)) from None
    archive.audit.record("cli", "user", user=name, change="add", role=role)
    click.echo(f"added {name} ({role})")


@user.command("list")
@_global_options(group=False)
@click.pass_context
def user_list(ctx):
    """Every account: name, role, disabled or not, created."""
    import time

    for u in _archive(ctx).accounts.all():
        created = time.strftime("%Y-%m-%d %H:%M", time.localtime(u["created_at"]))
        click.echo(f"{u['username']:24} {u['role']:7} {'disabled' if u['disabled'] else 'active':9} {created}")


@user.command("set-role")
@_global_options(group=False)
@click.argument("name")
@click.argument("role", type=click.Choice(["viewer", "editor", "admin"]))
@click.option("--disable/--enable", default=False, help="Disable the account (it can no longer sign in).")
@click.pass_context
def user_set_role(ctx, name, role, disable):
    """Change an account's role, or disable / enable it."""
    archive = _archive(ctx)
    before = next((u for u in archive.accounts.all() if u["username"] == name), None)
    if before is None:
        raise Fail(f"no user {name}")
    archive.accounts.set_role(name, role, disabled=disable)
    archive.audit.record("cli", "user", user=name, change="update", role=[before["role"], role],
                         disabled=[bool(before["disabled"]), disable])
    click.echo(f"{name}: {role}{' (disabled)' if disable else ''}")


@user.command("set-password")
@_global_options(group=False)
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
@click.pass_context
def user_set_password(ctx, name, password_stdin):
    """Set a new password (signs the user out of every session)."""
    from archive.accounts import AccountError

    archive = _archive(ctx)
    if not any(u["username"] == name for u in archive.accounts.all()):
        raise Fail(f"no user {name}")
    try:
        archive.accounts.set_password(name, _read_password(password_stdin))
    except AccountError as e:
        raise Fail(str(e)) from None
    archive.audit.record("cli", "user", user=name, change="password")
    click.echo(f"{name}: password changed")


def run() -> None:
    """Entry point: a search engine that cannot be reached is a one-line error, not a trace."""
    logging.basicConfig(level=os.environ.get("GONGKAI_LOG_LEVEL", "WARNING").upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        main(standalone_mode=True)
    except BackendUnavailable as e:
        click.echo(f"gongkai: {e}", err=True)
        sys.exit(3)


if __name__ == "__main__":
    run()
