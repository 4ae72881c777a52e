"""`gofer pipeline object ...` and `gofer run object ...`: bytes kept for a pipeline or a run."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, BinaryIO

import typer

from gofer.cli.common import NamespaceOption, Output, OutputOption, cli_errors, client, out, print_json
from gofer.cli.render import ago, table
from gofer_sdk.models import ObjectPublic

pipeline_objects = typer.Typer(help="Objects kept across a pipeline's runs.", no_args_is_help=True)
run_objects = typer.Typer(help="Objects of one run (they expire some runs later).", no_args_is_help=True)

PipelineArg = Annotated[str, typer.Argument(help="Pipeline id.")]
RunArg = Annotated[int, typer.Argument(help="Run number.")]
KeyArg = Annotated[str, typer.Argument(help="Object key: letters, digits, '_', '.', '-'.")]
SourceArg = Annotated[Path | None, typer.Argument(help="File to upload (default: standard input).")]
TargetOption = Annotated[
    Path | None, typer.Option("--output-file", help="Write here (default: standard output).")
]


def _source(path: Path | None) -> BinaryIO:
    return path.open("rb") if path else sys.stdin.buffer


def _save(chunks: Iterator[bytes], target: Path | None) -> None:
    sink = target.open("wb") if target else sys.stdout.buffer
    try:
        for chunk in chunks:
            sink.write(chunk)
    finally:
        if target:
            sink.close()
        else:
            sink.flush()


def _show(objects: list[ObjectPublic], output: Output) -> None:
    if output == Output.JSON:
        return print_json(objects)
    grid = table("KEY", "SIZE", "STORED")
    for item in objects:
        grid.add_row(item.key, f"{item.size:,} B", ago(item.created))
    out.print(grid)


@pipeline_objects.command("put")
@cli_errors
def pipeline_put(
    pipeline_id: PipelineArg, key: KeyArg, source: SourceArg = None, namespace: NamespaceOption = None
) -> None:
    """Store a file (or stdin) as a pipeline object.

    Example: gofer pipeline object put build cache.tar.gz ./cache.tar.gz
    """
    with client(namespace) as gofer, _source(source) as data:
        stored = gofer.put_object(pipeline_id, key, data)
    out.print(f"stored {key} ({stored.size:,} bytes) for {pipeline_id}")


@pipeline_objects.command("get")
@cli_errors
def pipeline_get(
    pipeline_id: PipelineArg, key: KeyArg, output_file: TargetOption = None, namespace: NamespaceOption = None
) -> None:
    """Write a pipeline object to stdout or a file.

    Example: gofer pipeline object get build cache.tar.gz --output-file cache.tar.gz
    """
    with client(namespace) as gofer:
        _save(gofer.get_object(pipeline_id, key), output_file)


@pipeline_objects.command("list")
@cli_errors
def pipeline_list(
    pipeline_id: PipelineArg, namespace: NamespaceOption = None, output: OutputOption = Output.TABLE
) -> None:
    """List a pipeline's objects.

    Example: gofer pipeline object list build
    """
    with client(namespace) as gofer:
        _show(gofer.list_objects(pipeline_id), output)


@pipeline_objects.command("delete")
@cli_errors
def pipeline_delete(pipeline_id: PipelineArg, key: KeyArg, namespace: NamespaceOption = None) -> None:
    """Delete a pipeline object.

    Example: gofer pipeline object delete build cache.tar.gz
    """
    with client(namespace) as gofer:
        gofer.delete_object(pipeline_id, key)
    out.print(f"deleted {key}")


@run_objects.command("put")
@cli_errors
def run_put(
    pipeline_id: PipelineArg,
    run_id: RunArg,
    key: KeyArg,
    source: SourceArg = None,
    namespace: NamespaceOption = None,
) -> None:
    """Store a file (or stdin) as an object of a run (from a task: $GOFER_PIPELINE_ID $GOFER_RUN_ID).

    Example: gofer run object put build 7 report.json ./report.json
    """
    with client(namespace) as gofer, _source(source) as data:
        stored = gofer.put_object(pipeline_id, key, data, run_id=run_id)
    out.print(f"stored {key} ({stored.size:,} bytes) for run {run_id} of {pipeline_id}")


@run_objects.command("get")
@cli_errors
def run_get(
    pipeline_id: PipelineArg,
    run_id: RunArg,
    key: KeyArg,
    output_file: TargetOption = None,
    namespace: NamespaceOption = None,
) -> None:
    """Write a run object to stdout or a file.

    Example: gofer run object get build 7 report.json
    """
    with client(namespace) as gofer:
        _save(gofer.get_object(pipeline_id, key, run_id=run_id), output_file)


@run_objects.command("list")
@cli_errors
def run_list(
    pipeline_id: PipelineArg,
    run_id: RunArg,
    namespace: NamespaceOption = None,
    output: OutputOption = Output.TABLE,
) -> None:
    """List a run's objects.

    Example: gofer run object list build 7
    """
    with client(namespace) as gofer:
        _show(gofer.list_objects(pipeline_id, run_id=run_id), output)


@run_objects.command("delete")
@cli_errors
def run_delete(
    pipeline_id: PipelineArg, run_id: RunArg, key: KeyArg, namespace: NamespaceOption = None
) -> None:
    """Delete a run object.

    Example: gofer run object delete build 7 report.json
    """
    with client(namespace) as gofer:
        gofer.delete_object(pipeline_id, key, run_id=run_id)
    out.print(f"deleted {key}")
