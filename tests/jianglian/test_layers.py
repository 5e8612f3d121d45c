"""The layers (README, "Layout"): jianglian < search engine < experts · enterprises · alliance < matching <
interfaces. An import never climbs; `lint-imports` checks the contract in pyproject.toml, and this spec runs it
so that `./dev test` and CI do."""
import pkgutil
import subprocess
import sys
import tomllib
from importlib import import_module
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def layered_modules() -> set[str]:
    contract = next(c for c in CONFIG["contracts"] if c["id"] == "layers")
    return {name.strip() for layer in contract["layers"] for name in layer.replace("|", ":").split(":")}


def test_no_import_climbs_a_layer():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True)

    assert result.returncode == 0, result.stdout + result.stderr


def test_every_module_of_every_package_sits_in_a_layer():
    """A layer lists its packages' modules, so a new module must join one (else the contract would not see it)."""
    layered = layered_modules()
    unlayered = []
    for package in CONFIG["root_packages"]:
        for module in pkgutil.iter_modules(import_module(package).__path__):
            name = f"{package}.{module.name}"
            if name not in layered and package not in layered:
                unlayered.append(name)

    assert unlayered == [], f"add these modules to a layer of the contract in pyproject.toml: {unlayered}"
