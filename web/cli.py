"""The `gongkai` command: ingest, search, reindex, serve."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from archive import Archive, Search, Settings
from archive.index import FACETS

DEMO_SKIP = {"README.md", "manifest.csv"}


def samples_dir() -> Path:
    """The bundled sample documents shipped with the package."""
    import ingest

    return Path(ingest.__file__).parent / "samples"


@click.group()
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
              envvar="GONGKAI_DATA", default=None,
              help="Data directory (default: $GONGKAI_DATA or ~/.local/share/gongkai).")
@click.pass_context
def main(ctx: click.Context, data_dir: Path | None):
    """gongkai: full-text search and archive for disclosed government documents."""
    settings = Settings(data_dir=data_dir) if data_dir else Settings()
    ctx.obj = settings


def _archive(ctx: click.Context) -> Archive:
    archive = Archive(ctx.obj)
    ctx.call_on_close(archive.close)
    return archive


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--quiet", is_flag=True, help="Only print the summary.")
@click.pass_context
def ingest(ctx, paths, quiet):
    """Ingest files and folders (recursively); print a summary with every failure."""
    from ingest.pipeline import ingest as run

    archive = _archive(ctx)

    def progress(path, status, reason):
        if not quiet:
            click.echo(f"{status:9} {path}" + (f"  ({reason})" if reason else ""), err=True)

    s = run(archive, paths, on_file=progress)
    _print_summary(s)
    if s.failed:
        ctx.exit(1)


def _print_summary(s) -> None:
    click.echo(f"run {s.run_id}: seen {s.seen}, ingested {s.ingested}, "
               f"skipped (already present) {s.skipped}, failed {len(s.failed)} "
               f"in {s.seconds:.1f}s")
    for path, stage, reason in s.failed:
        click.echo(f"  FAILED {path}: {stage}: {reason}")
    if s.not_indexed:
        click.echo(f"  {s.not_indexed} documents archived but not indexed"
                   f"{': ' + s.index_error if s.index_error else ''}; run `gongkai reindex --pending`.")


@main.command()
@click.argument("query", default="")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--limit", default=10, show_default=True, type=int)
@click.option("--offset", default=0, show_default=True, type=int)
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance")
@click.option("--agency", multiple=True, help="Filter by issuing agency (repeatable).")
@click.option("--doc-type", "doc_type", multiple=True, help="Filter by document type.")
@click.option("--year", multiple=True, help="Filter by year.")
@click.pass_context
def search(ctx, query, as_json, limit, offset, sort, agency, doc_type, year):
    """Search the archive; ranked hits with highlighted snippets."""
    filters = {"agency": list(agency), "doc_type": list(doc_type), "year": list(year)}
    r = _archive(ctx).search(Search(q=query, filters=filters, sort=sort, offset=offset, limit=limit))
    if as_json:
        hits = [{k: h[k] for k in ("id", "title", "doc_number", "agency", "written_date",
                                    "doc_type", "source", "score", "snippet")} for h in r["hits"]]
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


@main.command()
@click.option("--pending", is_flag=True, help="Only index documents not yet indexed.")
@click.pass_context
def reindex(ctx, pending):
    """Rebuild the search index from the archive alone."""
    results = _archive(ctx).reindex(pending_only=pending)
    failed = [(i, e) for i, e in results if e]
    click.echo(f"indexed {len(results) - len(failed)} documents, {len(failed)} failed")
    for doc_id, err in failed:
        click.echo(f"  FAILED {doc_id}: {err}")
    if failed:
        ctx.exit(1)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int)
@click.option("--demo", is_flag=True, help="First ingest the bundled sample documents.")
@click.pass_context
def serve(ctx, host, port, threads, demo):
    """Serve the web app with waitress (a production WSGI server)."""
    import waitress

    from web import create_app

    archive = _archive(ctx)
    if demo:
        from ingest.pipeline import ingest as run

        files = [p for p in sorted(samples_dir().rglob("*")) if p.is_file() and p.name not in DEMO_SKIP]
        _print_summary(run(archive, files))
    app = create_app(archive=archive)
    archive.search(Search(q="预热"))  # load jieba's dictionary before the first visitor
    click.echo(f"gongkai: {archive.catalog.count_documents()} documents in {archive.settings.data_dir}")
    click.echo(f"gongkai: open http://{host}:{port}/")
    waitress.serve(app, host=host, port=port, threads=threads, ident="gongkai")


if __name__ == "__main__":
    main()
