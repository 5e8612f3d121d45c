"""evaluate_matching on a tiny judged corpus: isolated store, real engine, one JSON object."""
import io
import json

import pytest
from django.core.management import call_command

from experts.models import Expert


def write_corpus(path):
    experts = [
        {"expert_id": "E1", "name": "甲", "province": "四川省", "city": "自贡市", "skills": ["机械密封维修"],
         "bio": "擅长机械密封选型与改进，主持离心泵密封改造。", "studio_id": "S1", "capacity": 2, "honors": ["天府工匠"]},
        {"expert_id": "E2", "name": "乙", "province": "江苏省", "city": "南通市", "skills": ["精馏塔节能改造"],
         "bio": "主持精馏塔节能改造。", "studio_id": "S2", "capacity": 2, "honors": ["全国劳动模范"]},
        {"expert_id": "E3", "name": "丙", "province": "四川省", "city": "成都市", "skills": [],
         "bio": "参加过机械密封专题讲座。", "studio_id": None, "capacity": 1, "honors": []},
    ]
    studios = [
        {"studio_id": "S1", "name": "甲工作室", "level": "省级", "province": "四川省", "city": "自贡市",
         "leader_id": "E1", "member_ids": ["E1"], "focus": ["动设备检修"], "description": "", "capacity": 3},
        {"studio_id": "S2", "name": "乙工作室", "level": "市级", "province": "江苏省", "city": "南通市",
         "leader_id": "E2", "member_ids": ["E2"], "focus": ["精馏节能"], "description": "", "capacity": 3},
    ]
    challenges = [
        {"challenge_id": "C1", "title": "输送泵老是漏料", "description": "几台输送泵隔三差五往外滴料。",
         "category": "科技创新", "enterprise": "某化工", "province": "四川省", "city": "自贡市", "region_preference": None},
        {"challenge_id": "C2", "title": "蒸汽用量太大", "description": "每生产一吨产品要烧掉两吨蒸汽。",
         "category": "绿色发展", "enterprise": "某药业", "province": "江苏省", "city": "南通市",
         "region_preference": {"province": "江苏省", "strength": "soft"}},
    ]
    for name, rows in (("experts", experts), ("studios", studios), ("challenges", challenges)):
        (path / f"{name}.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    (path / "qrels.tsv").write_text("challenge_id\texpert_id\tgrade\nC1\tE1\t3\nC2\tE2\t3\n", encoding="utf-8")
    (path / "studio_qrels.tsv").write_text("challenge_id\tstudio_id\tgrade\nC1\tS1\t3\nC2\tS2\t3\n", encoding="utf-8")


@pytest.mark.django_db
def test_it_scores_the_real_engine_in_an_isolated_store_and_prints_one_json_object(tmp_path):
    write_corpus(tmp_path)
    out = io.StringIO()

    call_command("evaluate_matching", "--data", str(tmp_path), "--json", stdout=out)

    result = json.loads(out.getvalue())
    assert result["experts"]["ndcg@10"] == 1.0 and result["experts"]["mrr"] == 1.0
    assert set(result["experts"]) == {"ndcg@10", "recall@50", "mrr", "success@10"}
    assert set(result["segments"]["experts"]) <= {"plain", "technical", "two_needs", "region"}
    assert result["studios"]["ndcg@10"] == 1.0 and "recall@10" in result["studios"]
    assert result["availability_signal"] == "off"
    assert "baseline_bm25" in result
    assert not Expert.objects.exists()  # the test database (the "user's data") was never touched


@pytest.mark.django_db
def test_several_corpora_in_one_run_each_beside_plain_bm25(tmp_path):
    synthetic, real = tmp_path / "synthetic", tmp_path / "real"
    for path in (synthetic, real):
        path.mkdir()
        write_corpus(path)
    out = io.StringIO()

    call_command("evaluate_matching", "--data", str(synthetic), "--data", str(real), "--json", stdout=out)

    corpora = json.loads(out.getvalue())["corpora"]
    assert set(corpora) == {"synthetic", "real"}
    for result in corpora.values():
        assert result["experts"]["success@10"] == 1.0
        assert set(result["baseline_bm25"]["experts"]) == {"ndcg@10", "recall@50", "mrr", "success@10"}
