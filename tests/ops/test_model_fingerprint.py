"""The model is retrained only when one of its inputs changes."""

import bot.language.build as build
from bot.ops import PROJECT_ROOT
from bot.ops.model import fingerprint, model_inputs, spacy_inputs


def test_every_training_input_is_fingerprinted():
    inputs = {p.relative_to(PROJECT_ROOT).as_posix() for p in model_inputs()}
    for required in [
        "config.yml",
        "domain.yml",
        "bot/data/rules.yml",
        "bot/knowledge/careers.yml",
        "bot/language/build.py",
        "bot/language/entities.py",
        "requirements.txt",
    ]:
        assert required in inputs
    assert any(path.startswith("bot/data/nlu/") for path in inputs)
    assert set(spacy_inputs()) <= set(model_inputs())


def test_the_spacy_pipeline_is_rebuilt_when_a_module_its_builder_imports_changes():
    spacy = {p.relative_to(PROJECT_ROOT).as_posix() for p in spacy_inputs()}
    imported = {
        f"bot/language/{name.split('.')[-1]}.py"
        for name in (getattr(value, "__module__", "") for value in vars(build).values())
        if name.startswith("bot.language.") and name != "bot.language.build"
    }
    assert imported and imported <= spacy


def test_fingerprint_changes_with_content_not_with_timestamps(tmp_path, monkeypatch):
    monkeypatch.setattr("bot.ops.model.PROJECT_ROOT", tmp_path)
    first = tmp_path / "config.yml"
    first.write_text("a: 1\n")
    before = fingerprint([first])
    first.touch()
    assert fingerprint([first]) == before
    first.write_text("a: 2\n")
    assert fingerprint([first]) != before
