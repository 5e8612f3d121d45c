"""What every search backend does, whatever engine is behind it.

`BackendBehaviour` is subclassed once per backend (test_search_embedded.py,
test_search_elasticsearch_live.py); a subclass provides the `backend` fixture.
Rows are built with the project's factories and indexed from the database
through the index definitions, as the sync tasks do.
"""
import pytest

from enterprises.models import Challenge
from experts.models import Skill
from experts.taxonomy.loader import load_taxonomy
from jianglian.choices import Category, Honour, Province
from search import sync
from search.errors import UnknownFilter
from search.index import document_fingerprint, get_definition
from search.query import read_query
from tests import factories


def index_all(backend, *names):
    for name in names or ("expert", "studio", "challenge"):
        definition = get_definition(name)
        backend.rebuild(definition, definition.iter_documents())


@pytest.mark.django_db
class BackendBehaviour:
    @pytest.fixture
    def backend(self):
        raise NotImplementedError("a subclass provides the backend under test")

    @pytest.fixture
    def experts(self, backend):
        distillation = factories.make_skill(code="distillation", name="精馏节能", synonyms=["蒸馏节能"])
        sealing = factories.make_skill(code="sealing", name="机泵密封", category=Category.MANAGEMENT)
        wang = factories.make_expert(name="王建国", bio="主持精馏塔节能改造，蒸汽单耗下降三成。",
                                     skills=[distillation], honours=[Honour.GREAT_CRAFTSMAN],
                                     province=Province.SICHUAN, city="成都")
        li = factories.make_expert(name="李明", bio="负责离心泵机械密封检修，熟悉PLC/DCS控制。",
                                   skills=[sealing], province=Province.JIANGSU, city="南京",
                                   employer="扬子石化", phone="13912345678", email="li.ming@example.com")
        zhao = factories.make_expert(name="赵精馏", bio="从事安全生产管理。", skills=[],
                                     province=Province.JIANGSU, city="苏州")
        index_all(backend, "expert")
        return {"wang": wang, "li": li, "zhao": zhao}

    # --- finding ---------------------------------------------------------------

    @pytest.mark.parametrize("query", ["精馏", "节能", "精馏塔", "精餾塔", "蒸汽单耗"])
    def test_a_compound_phrase_is_found_by_each_of_its_words(self, backend, experts, query):
        assert experts["wang"].pk in backend.search("expert", query).ids

    @pytest.mark.parametrize("query", ["PLC", "dcs", "plc/dcs", "机械密封"])
    def test_technical_terms_find_their_expert(self, backend, experts, query):
        assert backend.search("expert", query).ids == [experts["li"].pk]

    def test_a_synonym_of_a_skill_finds_its_experts(self, backend, experts):
        assert experts["wang"].pk in backend.search("expert", "蒸馏节能").ids

    def test_a_match_in_the_name_outranks_a_match_in_the_bio(self, backend, experts):
        hits = backend.search("expert", "精馏").ids

        assert hits[0] == experts["zhao"].pk
        assert set(hits) == {experts["zhao"].pk, experts["wang"].pk}

    def test_scores_decrease_down_the_list(self, backend, experts):
        scores = [hit.score for hit in backend.search("expert", "精馏 密封 节能").hits]

        assert scores == sorted(scores, reverse=True) and scores[-1] > 0

    def test_weighted_tokens_rank_by_their_weights(self, backend, experts):
        heavy_sealing = backend.search("expert", {"密封": 10.0, "精馏": 0.1}).ids
        heavy_distillation = backend.search("expert", {"密封": 0.1, "精馏": 10.0}).ids

        assert heavy_sealing[0] == experts["li"].pk
        assert heavy_distillation[0] != experts["li"].pk

    def test_nothing_matches_a_word_no_document_has(self, backend, experts):
        result = backend.search("expert", "航天发动机")

        assert result.total == 0 and result.hits == []

    # --- private fields --------------------------------------------------------

    @pytest.mark.parametrize("private", ["13912345678", "li.ming@example.com", "li.ming", "example.com"])
    def test_contact_details_are_never_searchable(self, backend, experts, private):
        assert backend.search("expert", private).ids == []

    # --- filters and facets ------------------------------------------------------

    def test_a_filter_keeps_only_matching_documents(self, backend, experts):
        result = backend.search("expert", "", filters={"province": "jiangsu"})

        assert result.ids == sorted([experts["li"].pk, experts["zhao"].pk])
        assert result.total == 2

    def test_values_of_one_filter_are_alternatives_and_filters_combine(self, backend, experts):
        either = backend.search("expert", "", filters={"city": ["成都", "南京"]}).ids
        both = backend.search("expert", "", filters={"province": "jiangsu", "city": ["成都", "南京"]}).ids

        assert set(either) == {experts["wang"].pk, experts["li"].pk}
        assert both == [experts["li"].pk]

    def test_filters_do_not_change_scores(self, backend, experts):
        unfiltered = {h.id: h.score for h in backend.search("expert", "精馏").hits}
        filtered = backend.search("expert", "精馏", filters={"honour": Honour.GREAT_CRAFTSMAN}).hits

        assert [h.id for h in filtered] == [experts["wang"].pk]
        assert filtered[0].score == pytest.approx(unfiltered[experts["wang"].pk])

    def test_facets_count_values_over_all_matches(self, backend, experts):
        facets = backend.search("expert", "", facets=["province", "category"]).facets

        assert dict(facets["province"]) == {"jiangsu": 2, "sichuan": 1}
        assert dict(facets["category"]) == {"technology": 1, "management": 1}

    def test_facets_respect_the_query_and_filters(self, backend, experts):
        facets = backend.search("expert", "精馏", filters={"province": "sichuan"}, facets=["city"]).facets

        assert facets["city"] == [("成都", 1)]

    def test_an_unknown_filter_is_refused(self, backend, experts):
        with pytest.raises(UnknownFilter):
            backend.search("expert", "精馏", filters={"phone": "13912345678"})

    # --- highlights, paging, input -----------------------------------------------

    def test_highlights_mark_the_matched_words_in_the_original_text(self, backend, experts):
        hits = {hit.id: hit for hit in backend.search("expert", "精馏塔", highlight=True).hits}

        assert hits[experts["wang"].pk].highlights["bio"] == "主持<em>精馏塔</em>节能改造，蒸汽单耗下降三成。"
        assert hits[experts["zhao"].pk].highlights["name"] == "赵<em>精馏</em>"

    def test_highlights_are_only_given_when_asked(self, backend, experts):
        assert all(hit.highlights == {} for hit in backend.search("expert", "精馏").hits)

    def test_offset_and_limit_page_through_the_results(self, backend, experts):
        everything = backend.search("expert", "精馏 密封 节能", limit=10).ids

        page = backend.search("expert", "精馏 密封 节能", limit=1, offset=1)

        assert page.ids == everything[1:2]
        assert page.total == len(everything)

    def test_an_empty_query_lists_everything_in_id_order(self, backend, experts):
        assert backend.search("expert", "   ").ids == sorted(e.pk for e in experts.values())

    @pytest.mark.parametrize("hostile", ['"', "(((", "a:b", "精馏 AND", "*", "~^2", "\\", "[1 TO 2]", "/.*/",
                                         "field:value", "-", "&&||!", "\x00", "精馏" * 500])
    def test_no_input_makes_a_query_fail(self, backend, experts, hostile):
        backend.search("expert", hostile, facets=["province"], highlight=True)

    def test_limits_are_capped(self, backend, experts):
        assert len(backend.search("expert", "", limit=10**9, offset=-5).hits) == 3

    # --- writes ------------------------------------------------------------------

    def test_reindexing_a_row_replaces_its_document(self, backend, experts):
        wang = experts["wang"]
        wang.bio = "专注催化剂再生。"
        wang.save()

        sync.apply_update("expert", [wang.pk], backends=[backend])

        assert wang.pk not in backend.search("expert", "蒸汽单耗").ids
        assert backend.search("expert", "催化剂").ids == [wang.pk]
        assert backend.count("expert") == 3

    def test_a_deleted_row_leaves_the_index(self, backend, experts):
        pk = experts["li"].pk
        experts["li"].delete()

        sync.apply_update("expert", [pk], backends=[backend])

        assert backend.search("expert", "密封").ids == []

    def test_updates_are_idempotent(self, backend, experts):
        for _ in range(3):
            sync.apply_update("expert", [experts["wang"].pk], backends=[backend])

        assert backend.count("expert") == 3

    def test_fingerprints_tell_what_is_indexed(self, backend, experts):
        definition = get_definition("expert")

        expected = {doc["id"]: document_fingerprint(doc) for doc in definition.iter_documents()}

        assert backend.fingerprints(definition) == expected

    def test_a_rebuild_replaces_the_whole_index(self, backend, experts):
        experts["zhao"].delete()

        index_all(backend, "expert")

        assert backend.count("expert") == 2
        assert experts["zhao"].pk not in backend.search("expert", "精馏").ids

    # --- catalog queries (search.query.read_query): needs met first, the taxonomy's words below the user's ----

    def test_a_document_meeting_every_need_ranks_above_those_meeting_one_however_often(self, backend):
        both = factories.make_expert(name="甲工", bio="处理过离心机振动大的故障。")
        one = [factories.make_expert(name=f"乙工{n}", bio="离心机检修、离心机选型、离心机安装，熟悉各类离心机。")
               for n in range(3)]
        other = [factories.make_expert(name=f"丙工{n}", bio="振动分析、振动监测、振动诊断，长期做振动治理。")
                 for n in range(3)]
        index_all(backend, "expert")

        hits = backend.search("expert", read_query("离心机 振动")).hits

        assert hits[0].id == both.pk and hits[0].score > hits[1].score
        assert {hit.id for hit in hits[1:]} == {e.pk for e in one + other}

    def test_coverage_orders_the_hits_and_never_adds_or_drops_one(self, backend, experts):
        for query in ("精馏 密封", "我们厂精馏塔怎么节能", "PLC 机械密封 安全"):
            read = backend.search("expert", read_query(query), limit=50)
            plain = backend.search("expert", query, limit=50)

            assert read.total == plain.total and sorted(read.ids) == sorted(plain.ids)

    @pytest.mark.parametrize("query, area, decoy_area, decoy_words", [
        ("机封泄漏", "pumps-seals", "vocs", "LDAR泄漏检测与修复，泄漏点消缺"),
        ("出水超标", "wastewater", "vocs", "尾气排放超标整改，超标排口销号"),
    ], ids=["seal-leak", "effluent-over-limit"])
    def test_a_plants_plain_words_for_a_problem_find_the_experts_of_its_area(self, backend, query, area,
                                                                                decoy_area, decoy_words):
        load_taxonomy()
        skills = {s.code: s for s in Skill.objects.filter(code__in=[area, decoy_area])}
        # The area's experts write as experts do (the skill, not the plant's symptom); the others share a word.
        area_experts = [factories.make_expert(name=f"甲工{n}", bio="负责本专业设备的检修和技术改造。",
                                              skills=[skills[area]]) for n in range(10)]
        for n in range(10):
            factories.make_expert(name=f"乙工{n}", bio=f"{decoy_words}。", skill_tags=[decoy_words],
                                  skills=[skills[decoy_area]])
        index_all(backend, "expert")

        top = backend.search("expert", read_query(query), limit=10).ids

        assert set(top) == {e.pk for e in area_experts}

    def test_the_users_own_word_outranks_what_it_stands_for(self, backend):
        load_taxonomy()
        wastewater = Skill.objects.get(code="wastewater")
        says_it = factories.make_expert(name="甲工", bio="出水COD稳定达标。")
        area_only = [factories.make_expert(name=f"乙工{n}", bio="生化系统运行。", skills=[wastewater]) for n in range(3)]
        index_all(backend, "expert")

        hits = backend.search("expert", read_query("COD"), highlight=True).hits

        assert [hit.id for hit in hits][0] == says_it.pk
        assert {hit.id for hit in hits[1:]} == {e.pk for e in area_only}
        assert hits[0].highlights["bio"] == "出水<em>COD</em>稳定达标。"

    # --- studios and challenges --------------------------------------------------

    def test_studios_are_found_by_name_focus_and_lead(self, backend):
        lead = factories.make_expert(name="周工匠")
        studio = factories.make_studio(name="周工匠精馏创新工作室", focus=["VOCs治理"], lead=lead)
        index_all(backend, "studio")

        for query in ("精馏", "vocs", "周工匠"):
            assert backend.search("studio", query).ids == [studio.pk]

    def test_draft_and_closed_challenges_are_never_found(self, backend):
        enterprise = factories.make_enterprise(name="泸州化工")
        draft = factories.make_challenge(enterprise=enterprise, status=Challenge.Status.DRAFT, title="草稿：反应釜结焦")
        closed = factories.make_challenge(enterprise=enterprise, status=Challenge.Status.CLOSED, title="已关闭：反应釜结焦")
        public = factories.make_challenge(enterprise=enterprise, status=Challenge.Status.OPEN, title="反应釜结焦")
        index_all(backend, "challenge")

        everything = backend.search("challenge", "", facets=["status"])
        found = backend.search("challenge", "反应釜 结焦 草稿 关闭").ids

        assert found == [public.pk] and everything.ids == [public.pk]
        assert dict(everything.facets["status"]) == {"open": 1}
        assert draft.pk not in backend.search("challenge", "", filters={"status": "draft"}).ids + found
        assert closed.pk not in found

    def test_a_challenge_that_goes_back_out_of_public_view_is_removed(self, backend):
        challenge = factories.make_challenge(status=Challenge.Status.OPEN, title="污水站VOCs治理")
        index_all(backend, "challenge")
        Challenge.objects.filter(pk=challenge.pk).update(status=Challenge.Status.CLOSED)

        sync.apply_update("challenge", [challenge.pk], backends=[backend])

        assert backend.search("challenge", "vocs").ids == []
