"""`newsprism brief`: exit codes, messages, --out and --force."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from newsprism.cli import cli

ARTICLE = (
    "Harbour bridge reopens in Vellmar\n\n"
    "The harbour bridge in Vellmar reopened on Monday after a month of repairs, the city council said.\n\n"
    '"The bridge is safe again," Mayor Ilse Varga told reporters at the opening.\n'
)


def test_cli_brief_help_lists_exit_codes() -> None:
    result = CliRunner().invoke(cli, ["brief", "--help"])
    assert result.exit_code == 0
    assert "Exit codes" in result.output


def test_cli_brief_without_inputs_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["brief"])
    assert result.exit_code == 2


def test_cli_brief_bad_format_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE)
    result = CliRunner().invoke(cli, ["brief", str(tmp_path), "--format", "pdf"])
    assert result.exit_code == 2


def test_cli_brief_only_missing_input_fails_with_reason(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    result = CliRunner().invoke(cli, ["brief", str(missing)])
    assert result.exit_code == 1
    assert "nope.txt" in result.output
    assert "[E" in result.output


def test_cli_brief_some_inputs_fail_rest_goes_on(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "empty.txt").write_text("")
    out = tmp_path / "brief.md"
    result = CliRunner().invoke(cli, ["brief", str(tmp_path), "--format", "md", "--out", str(out)])
    assert result.exit_code == 1
    assert "empty.txt" in result.stderr
    assert "Vellmar" in out.read_text()


def test_cli_brief_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE)
    out = tmp_path / "out.json"
    out.write_text("keep me")
    result = CliRunner().invoke(cli, ["brief", str(tmp_path / "a.txt"), "--out", str(out)])
    assert result.exit_code == 2
    assert out.read_text() == "keep me"
    result = CliRunner().invoke(
        cli, ["brief", str(tmp_path / "a.txt"), "--out", str(out), "--force", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert '"newsprism/brief@1"' in out.read_text()


def test_cli_every_command_has_help() -> None:
    from newsprism.cli import COMMANDS
    from newsprism.cli.evaluate import EVAL_TASKS

    runner = CliRunner()
    for name in COMMANDS:
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, (name, result.output)
        assert len(result.output) > 100
    for task in EVAL_TASKS:
        result = runner.invoke(cli, ["eval", task, "--help"])
        assert result.exit_code == 0, (task, result.output)


def test_cli_readme_documents_every_command() -> None:
    from newsprism.cli import COMMANDS

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    for name in COMMANDS:
        assert f"newsprism {name}" in readme, name
