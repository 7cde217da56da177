"""``prescribe recommend``: JSON or text out, exit 2 with every problem named on bad input."""

from __future__ import annotations

import json
import shutil

import pytest

from prescribe.cli import main


def _write(tmp_path, data, name="a.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False),
                    encoding="utf-8")
    return str(path)


def test_chinese_synonyms_give_the_same_plan_as_codes(tmp_path, capsys):
    zh = {"sex": "男", "age_years": 58, "sbp_mmhg": 134, "dbp_mmhg": 84, "resting_hr_bpm": 62,
          "conditions": "高血压，2型糖尿病", "medications": ["美托洛尔", "二甲双胍"],
          "regularly_active": "是", "glucose_mmol_l": 7.1, "test_date": "2025-03-01"}
    coded = {**zh, "sex": "M", "conditions": ["I10", "E11.9"], "medications": ["C07AB02", "A10BA02"],
             "regularly_active": True}
    assert main(["recommend", _write(tmp_path, zh, "zh.json")]) == 0
    out_zh = json.loads(capsys.readouterr().out)
    assert main(["recommend", _write(tmp_path, coded, "coded.json")]) == 0
    out_coded = json.loads(capsys.readouterr().out)
    for key in ("outcome", "intensity_cap", "clearance", "excluded", "fired", "retest_date"):
        assert out_zh[key] == out_coded[key], key
    assert out_zh["facts"]["conditions"] == ["hypertension", "type2_diabetes"]
    aerobic = next(c for c in out_zh["components"] if c["type"] == "aerobic")
    assert aerobic["target_hr_bpm"] is None                       # beta blocker: RPE only
    assert "med-beta-blocker-rpe" in out_zh["fired"]
    assert out_zh["retest_date"] == "2025-04-26"


def test_text_output_in_chinese_and_english(tmp_path, capsys):
    path = _write(tmp_path, {"sex": "F", "age_years": 66, "conditions": ["骨质疏松"],
                             "regularly_active": True, "test_date": "2025-05-01"})
    assert main(["recommend", path, "--format", "text"]) == 0
    zh = capsys.readouterr().out
    assert "避免:" in zh
    assert "负重或反复弯腰" in zh
    assert "出现以下情况立即停止运动" in zh
    assert main(["recommend", path, "--format", "text", "--lang", "en"]) == 0
    en = capsys.readouterr().out
    assert "Avoid:" in en
    assert "twisting the spine under load" in en
    assert "Re-test date: 2025-06-26" in en


def test_invalid_input_exits_2_naming_every_field(tmp_path, capsys):
    path = _write(tmp_path, {"age_years": 190, "sbp_mmhg": "高", "dbp_mmHg": 80, "conditions": ["高血圧"],
                             "regularly_active": "sometimes"})
    assert main(["recommend", path]) == 2
    err = capsys.readouterr().err
    for field in ("age_years=", "sbp_mmhg=", "dbp_mmHg=", "conditions=", "regularly_active="):
        assert field in err
    assert "did you mean `dbp_mmhg`" in err
    assert "'高血压'" in err.split("conditions=")[1].splitlines()[0]


@pytest.mark.parametrize(("text", "message"), [
    ('{"age_years": 40,,}', "not valid JSON at line 1"),
    ('[{"age_years": 40}]', "expected one JSON object"),
])
def test_unreadable_files_exit_2(tmp_path, capsys, text, message):
    assert main(["recommend", _write(tmp_path, text)]) == 2
    assert message in capsys.readouterr().err


def test_missing_file_exits_2(tmp_path, capsys):
    assert main(["recommend", str(tmp_path / "nope.json")]) == 2
    assert "cannot read the file" in capsys.readouterr().err


def test_rules_option_uses_another_rule_set(tmp_path, capsys, rules_dir):
    copy = tmp_path / "rules"
    shutil.copytree(rules_dir, copy)
    header = (copy / "ruleset.yaml").read_text(encoding="utf-8")
    (copy / "ruleset.yaml").write_text(header.replace("screening_profile: CN2025",
                                                      "screening_profile: ACSM2015"), encoding="utf-8")
    path = _write(tmp_path, {"sex": "M", "age_years": 54, "conditions": ["高血压"],
                             "regularly_active": False})
    assert main(["recommend", path]) == 0
    assert json.loads(capsys.readouterr().out)["outcome"] == "prescription_pending_clearance"
    assert main(["recommend", path, "--rules", str(copy)]) == 0
    assert json.loads(capsys.readouterr().out)["outcome"] == "prescription"


def test_readme_examples_run(rules_dir, capsys):
    examples = sorted((rules_dir / "examples").glob("*.json"))
    assert len(examples) >= 3
    for path in examples:
        assert main(["recommend", str(path), "--format", "text"]) == 0, path.name
        assert capsys.readouterr().out.strip()
