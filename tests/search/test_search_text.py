"""The text pipeline: what a document is cut into, what a query is cut into, and how hits are marked."""
import pytest

from search import text


@pytest.mark.parametrize("query", ["精馏", "节能", "精馏塔"])
def test_a_compound_title_is_found_by_each_of_its_words(query):
    indexed = set(text.tokenize_for_index("精馏塔节能改造"))

    assert set(text.tokenize_query(query)) <= indexed


@pytest.mark.parametrize(
    "written, token",
    [("C++", "c++"), ("O&M", "o&m"), ("pH", "ph"), ("VOCs", "vocs"), ("PLC/DCS", "plc/dcs"),
     ("4-nitrophenol", "4-nitrophenol"), ("C#", "c#"), ("CO₂", "co2")],
)
def test_technical_terms_stay_whole(written, token):
    assert token in text.tokenize_for_index(f"负责{written}相关工作")


def test_joined_terms_are_also_found_by_their_parts():
    tokens = text.tokenize_for_index("PLC/DCS 控制")

    assert {"plc/dcs", "plc", "dcs"} <= set(tokens)


def test_normalize_folds_width_case_and_traditional_characters_one_for_one():
    original = "ＰＬＣ精餾塔節能ＡＢｃ"

    normalized = text.normalize(original)

    assert normalized == "plc精馏塔节能abc"
    assert len(normalized) == len(original)


def test_traditional_and_full_width_queries_match_simplified_documents():
    indexed = set(text.tokenize_for_index("精馏塔节能改造，PLC 升级"))

    assert set(text.tokenize_query("精餾塔 ＰＬＣ")) <= indexed


def test_punctuation_and_stopwords_are_dropped():
    tokens = text.tokenize_for_index("精馏、节能！和 the 改造……（）")

    assert tokens == ["精馏", "节能", "改造"]


def test_english_and_digits_are_tokens():
    assert text.tokenize_query("Distillation column 2024") == ["distillation", "column", "2024"]


def test_query_tokens_are_unique_and_bounded():
    tokens = text.tokenize_query("精馏 " * 1000 + " ".join(f"w{i}" for i in range(500)))

    assert tokens.count("精馏") == 1
    assert len(tokens) <= text.MAX_QUERY_TOKENS


@pytest.mark.parametrize("hostile", ["", "   ", "(((", 'a:"b', "*?~^", "\x00\ud800", "AND OR NOT", "精馏 -"])
def test_any_input_tokenizes_without_error(hostile):
    text.tokenize_query(hostile)
    text.tokenize_for_index(hostile)


@pytest.mark.parametrize("sample", [
    "某石化公司的精馏塔节能改造项目，蒸汽单耗下降20%，主持PLC/DCS控制系统升级。pH值 4-硝基苯酚",
    "王建国长期从事催化裂化装置腐蚀防护工作，先后培养徒弟35人",
    "中华人民共和国全国劳动模范，牵头完成挥发性有机物治理攻关，年节约成本120万元",
    "熟练掌握离心式压缩机喘振控制；解决换热器结垢难题，获2019年度技术革新奖",
    "GMP洁净区验证与无菌制剂灌装线改造，编写SOP操作规程12项",
])
def test_index_and_offset_paths_cut_alike(sample):
    assert sorted(text.tokenize_for_index(sample)) == sorted(t.text for t in text.tokens_with_offsets(sample))


def test_offsets_point_into_the_original_text():
    original = "ＰＬＣ改造与精餾塔"

    spans = {original[t.start:t.end] for t in text.tokens_with_offsets(original)}

    assert {"ＰＬＣ", "精餾塔"} <= spans


def test_highlight_marks_matches_in_the_original_and_escapes_html():
    snippet = text.highlight("<b>精餾塔</b>节能改造", text.tokenize_query("精馏塔"))

    assert snippet == "&lt;b&gt;<em>精餾塔</em>&lt;/b&gt;节能改造"


@pytest.mark.parametrize("written, token, marked", [
    ("高盐废水MVR蒸发处理", "mvr", "高盐废水<em>MVR</em>蒸发处理"),
    ("出水COD超标", "cod", "出水<em>COD</em>超标"),
    ("熟悉PLC/DCS系统", "dcs", "熟悉PLC/<em>DCS</em>系统"),
    ("ＤＣＳ组态", "dcs", "<em>ＤＣＳ</em>组态"),
])
def test_latin_tokens_are_highlighted_where_chinese_text_touches_them(written, token, marked):
    assert text.highlight(written, [token]) == marked


@pytest.mark.parametrize("written, token", [("CODEX改造", "cod"), ("MVRS蒸发", "mvr"), ("2MVR", "mvr")])
def test_a_latin_token_is_not_highlighted_inside_a_longer_latin_word(written, token):
    assert text.highlight(written, [token]) == ""


def test_highlight_is_empty_when_nothing_matches():
    assert text.highlight("精馏塔节能改造", ["离心泵"]) == ""


def test_highlight_keeps_a_window_around_the_matches():
    body = "无关内容。" * 100 + "离心泵密封改造" + "无关内容。" * 100

    snippet = text.highlight(body, ["离心泵"], max_chars=40)

    assert "<em>离心泵</em>" in snippet
    assert snippet.startswith("…") and snippet.endswith("…")
    assert len(snippet) < 80


@pytest.mark.django_db
def test_skill_names_and_synonyms_become_whole_words():
    from experts.models import Skill

    Skill.objects.create(code="xgzd", name="蒸汽单耗优化", synonyms=["汽耗偏高治理"])
    try:
        text.reload_user_dictionary()

        assert "蒸汽单耗优化" in text.tokenize_for_index("开展蒸汽单耗优化工作")
        assert "汽耗偏高治理" in text.tokenize_query("汽耗偏高治理")
    finally:
        Skill.objects.all().delete()
        text.reload_user_dictionary()


@pytest.fixture
def curated_skill(db):
    """A skill whose words only the database knows; the dictionary is rebuilt without it afterwards."""
    from experts.models import Skill

    yield Skill.objects.create(code="qhzl", name="蒸汽单耗优化", synonyms=["汽耗偏高治理"])
    Skill.objects.filter(code="qhzl").delete()
    text.reload_user_dictionary()


def test_a_skill_saved_elsewhere_becomes_a_word_after_the_check_interval(db, settings):
    from experts.models import Skill

    text.reload_user_dictionary()
    before = text.dictionary_version()
    Skill.objects.create(code="qhzl", name="蒸汽单耗优化", synonyms=["汽耗偏高治理"])
    try:
        settings.SEARCH_TAXONOMY_CHECK_SECONDS = 3600
        assert "汽耗偏高治理" not in text.tokenize_for_index("开展汽耗偏高治理")

        settings.SEARCH_TAXONOMY_CHECK_SECONDS = 0
        assert "汽耗偏高治理" in text.tokenize_for_index("开展汽耗偏高治理")
        assert text.dictionary_version() != before
    finally:
        Skill.objects.filter(code="qhzl").delete()
        text.reload_user_dictionary()


def test_a_committed_skill_change_reaches_this_processs_dictionary_at_once(db, django_capture_on_commit_callbacks):
    """experts sends search.signals.taxonomy_changed; the engine rereads its registered words after the commit
    (a rolled-back change is never read)."""
    from django.db import transaction

    from experts.models import Skill

    text.reload_user_dictionary()
    with pytest.raises(RuntimeError), transaction.atomic():
        Skill.objects.create(code="qhzl", name="蒸汽单耗优化", synonyms=["汽耗偏高治理"])
        raise RuntimeError("rolled back")
    assert "汽耗偏高治理" not in text.tokenize_for_index("开展汽耗偏高治理")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            Skill.objects.create(code="qhzl", name="蒸汽单耗优化", synonyms=["汽耗偏高治理"])

        assert "汽耗偏高治理" in text.tokenize_for_index("开展汽耗偏高治理")
    finally:
        Skill.objects.filter(code="qhzl").delete()
        text.reload_user_dictionary()


def test_the_segmenter_keeps_whole_the_words_of_every_registered_source(db, monkeypatch):
    """The engine imports no app: apps register where their words come from (experts: the taxonomy)."""
    monkeypatch.setitem(text._word_sources, "tests.glossary", text.WordSource("tests.glossary", lambda: ["塔釜结焦治理"]))
    try:
        text.reload_user_dictionary()

        assert "塔釜结焦治理" in text.tokenize_for_index("开展塔釜结焦治理")
        assert {"experts.curated_taxonomy", "experts.skills"} <= set(text._word_sources)
    finally:
        monkeypatch.undo()
        text.reload_user_dictionary()


def test_an_unreadable_database_keeps_the_curated_words(curated_skill, settings, django_db_blocker):
    text.reload_user_dictionary()
    version = text.dictionary_version()
    settings.SEARCH_TAXONOMY_CHECK_SECONDS = 0

    with django_db_blocker.block():
        tokens = text.tokenize_for_index("开展汽耗偏高治理")

    assert "汽耗偏高治理" in tokens
    assert text.dictionary_version() == version


def test_extra_terms_survive_a_reload_from_the_taxonomy(db):
    text.reload_user_dictionary(extra_terms=["塔节能改造"])
    try:
        text.reload_user_dictionary()

        assert "塔节能改造" in text.tokenize_for_index("精馏塔节能改造")
    finally:
        text.reload_user_dictionary(extra_terms=[])
