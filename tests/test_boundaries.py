"""The one hard architectural rule: the core never imports the web stack."""

import subprocess
import sys


def test_prescribe_imports_no_web_stack():
    code = (
        "import sys, prescribe, prescribe.cli, prescribe.assessment, prescribe.vocabulary\n"
        "import pkgutil, importlib\n"
        "for m in pkgutil.walk_packages(prescribe.__path__, 'prescribe.'):\n"
        "    if not m.name.endswith('__main__'): importlib.import_module(m.name)\n"
        "bad = [m for m in ('flask', 'wtforms', 'sqlalchemy', 'web', 'flask_babel') if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_cli_help_runs_without_web_config():
    out = subprocess.run([sys.executable, "-m", "prescribe", "--help"], capture_output=True, text=True)
    assert out.returncode == 0
    assert "prescribe" in out.stdout
