"""Every tunable number and word list of the matching engine, in one place.

Changing anything here changes rankings: bump ALGORITHM_VERSION so stored matches say which
version produced them.
"""

ALGORITHM_VERSION = "2026.2"

# Final score = Σ weight × value of each signal (values lie in [-1, 1]).
WEIGHTS = {
    "text": 0.25,          # BM25 relevance of the challenge text (expanded with its areas), max-normalised
    "evidence": 1.00,      # the profile repeats the posting's own words far more than the pack (specific evidence)
    "skill": 1.00,         # fit of the candidate's skill areas and depth × how sure the reading of the needs is
    "category": 0.05,      # share of the candidate's areas in the challenge's category
    "region": 0.03,        # same city > same province > elsewhere (a tie-breaker)
    "preferred_region": 1.0,  # value = change of the expected skill gain the preference causes (see scoring)
    "availability": 3.00,  # at capacity or not accepting pairings: pushed below every available candidate
    "track_record": 0.04,  # completed pairings and their ratings, a small prior
}

# A studio's document is the union of its members' profiles: standing out in it says little about one problem,
# and its areas are a broad union too, so for studios neither specific evidence nor the reading's confidence applies.
STUDIO_WEIGHTS = {name: w for name, w in WEIGHTS.items() if name != "evidence"}

# How much a taxonomy term says about its area.
TERM_KIND_WEIGHTS = {"name": 1.5, "synonym": 1.0, "problem": 0.8}
SINGLE_CHARACTER_FACTOR = 0.5
# Profiles speak in skills, postings in symptoms: a symptom word in a biography counts for less.
PROFILE_PROBLEM_FACTOR = 0.5

# --- depth (how well a candidate masters an area) ------------------------------------------
# Levels: 3 精通 (led, owns the topic), 2 熟练 (does it, took part), 1 了解 (knows of it),
# 0 mentioned in passing (a lecture heard, a visit).
# A clause's level is the first of these lists (in this order) that has a word in it.
PASSING_CUES = ("参观", "讲座", "听过", "听取", "观摩", "学习班", "培训班", "报告会", "交流会", "考察",
                "参加过", "旁听", "阅读", "关注", "浏览", "研讨会", "论坛", "展会", "参会", "座谈", "观看")
AWARENESS_CUES = ("了解", "接触过", "接触", "知道", "初步", "入门", "一般性", "略知", "涉猎", "学习", "随队")
PARTICIPATION_CUES = ("参与", "协助", "配合", "参加", "核心成员", "骨干", "辅助", "跟随", "协同")
LEAD_CUES = ("主持", "牵头", "带领", "领衔", "主导", "精通", "擅长", "专注", "长期从事", "主要从事", "从事", "专长",
             "首创", "独创", "发明", "总结出", "主编", "组织实施", "带队", "组建", "负责", "攻关", "专家",
             "主抓", "挂帅", "带头", "第一完成人", "独立完成", "首席", "领军", "能手", "公认", "行家", "高手",
             "拿手", "绝活", "组织", "编写", "制定")
PRACTICE_CUES = ("熟练", "熟悉", "掌握", "能够独立", "独立处理", "经验丰富", "积累", "多次")
# Job titles and honours: what a person is called, never evidence of a skill area or of its depth
# (blanked out of a profile before it is read; the expert's own title and position too).
TITLE_WORDS = ("首席技师", "特级技师", "高级技师", "技师", "高级工", "中级工", "首席专家", "首席员工", "首席操作师",
               "技能大师", "正高级工程师", "高级工程师", "工程师", "助理工程师", "教授级高工",
               "劳动模范", "劳模", "大国工匠", "工匠", "技术能手", "五一劳动奖章", "技能大奖", "岗位能手",
               "先进工作者", "优秀共产党员", "政府特殊津贴", "班长", "车间主任", "主任")
DEFAULT_DEPTH = 2   # an area mentioned plainly in a profile sentence
SOLVED_DEPTH = 2            # an area of a challenge the expert completed a pairing on
SOLVED_RATED_DEPTH = 3      # … that the enterprise rated SOLVED_GOOD_RATING or more
SOLVED_GOOD_RATING = 4
TAG_DEPTH = 2       # a skill tag the expert chose, or a taxonomy skill on the profile

# Value of a level when an area is needed (expected-grade model, see scoring.skill_fit).
GRADE_GAIN = {0: 0.0, 1: 1.0, 2: 3.0, 3: 7.0}   # 2^grade − 1
MAX_GAIN = 7.0

# --- challenge needs --------------------------------------------------------------------------
# Sentence roles in a posting. Words, not phrases: they mark discourse in any wording.
SECONDARY_MARKERS = ("此外", "另外", "同时", "与此相关", "还有", "其次", "再者", "加上", "另一方面", "并且还",
                     "除此之外", "除此以外", "还面临", "也存在", "另一个", "与之相关", "伴随")
INTRO_MARKERS = ("成立于", "主要生产", "主要产品", "现有员工", "年产值", "是一家", "位于", "地处", "占地",
                 "注册资本", "主营", "年产", "公司简介", "本厂是", "我厂是", "作为一家", "坐落", "始建于", "创建于",
                 "主导产品", "产品包括", "年销售", "员工总数", "职工人数")
INTRO_CLAUSES = 2            # an introduction names the company and a marker in its first clauses
INTRO_SUBJECTS = ("公司", "企业", "厂", "集团", "我们是", "单位")
HINT_MARKERS = ("对接", "熟悉", "有经验", "有实践经验", "方面的专家", "方面有", "擅长", "寻求", "懂行")
SENTENCE_WEIGHTS = {"title": 1.3, "main": 1.0, "hint": 1.2, "secondary": 0.25, "intro": 0.05, "other": 0.6}
SECONDARY_SHARE = {"secondary": 1.0, "other": 0.15}   # how much a sentence feeds the secondary need
NEED_KEEP_RATIO = 0.35       # an area stays a candidate need while its score ≥ this share of the best
NEED_MAX_AREAS = 4
MAIN_MIN_SCORE = 0.3         # below this (e.g. only a product named in the company introduction) no need is read
SECONDARY_MIN_SCORE = 0.5    # below this a "此外" sentence names no second skill need
CATEGORY_PRIOR = 1.15        # areas of the challenge's own category weigh a little more

# --- retrieval --------------------------------------------------------------------------------
TEXT_CANDIDATES = 150        # from the search backend
AREA_CANDIDATES = 150        # for the likeliest main need, deepest first
AREA_CANDIDATES_OTHER = 50   # for each other plausible need
EXPANSION_WEIGHT_MAIN = 0.6  # query weight of a main need's area terms (× its share); own words weigh 1
EXPANSION_WEIGHT_SECOND = 0.3
EXPANSION_TERMS_PER_AREA = 6 # area name and synonyms added to the query
# Query cost grows with its tokens (tantivy: ~0.3 ms per token at 100k experts).
QUERY_OWN_TOKENS = 64        # the posting's first words (title first)
QUERY_EXPANSION_TOKENS = 8   # area terms added
# Studios are few (hundreds) and each spans its members' areas: fewer are needed.
STUDIO_TEXT_CANDIDATES = 60
STUDIO_AREA_CANDIDATES = 60
STUDIO_AREA_CANDIDATES_OTHER = 20
STORED_MATCHES = 50          # Match rows kept per challenge and kind

# --- evidence and confidence (real postings name things the taxonomy has no words for) --------
# Specific evidence (evidence.py): the posting's own words, weighed by their rarity among the EVIDENCE_POOL
# profiles that repeat them most (a word most of them name says nothing about who fits best), BM25 in the
# search backend. A profile's distinct score over the EVIDENCE_PACK-th best's: no value up to EVIDENCE_FROM
# times it, growing linearly to the full value at EVIDENCE_FULL times it (twice the pack's).
EVIDENCE_POOL = 40
EVIDENCE_PACK = 3
EVIDENCE_FROM = 1.0
EVIDENCE_FULL = 2.0
EVIDENCE_WORDS_SHOWN = 6     # matched words listed in the reason
# Confidence of the reading of the needs: the main need's weight of evidence (title and problem sentences,
# see needs.py) over READING_SURE; a reading from one plain word (合成, 挥发) weighs about 1, one from several
# technical terms 3 or more. The skill signal is scaled by READING_FLOOR + (1 − READING_FLOOR) × that share.
READING_SURE = 3.0
READING_FLOOR = 0.3

# Utilities: energy and water work is done per medium. When the posting names a medium and the profile's
# evidence for a needed area names only others (节电 on rectifiers for a steam-network posting), the mastery
# counts one level lower: the same area, another plant system.
UTILITY_MEDIA = {
    "蒸汽": ("蒸汽", "疏水", "冷凝水", "凝结水", "汽耗", "用汽", "耗汽", "锅炉", "乏汽"),
    "电": ("电耗", "节电", "用电", "耗电", "电费", "整流", "配电", "变频", "电机", "千瓦时", "变压器", "供电"),
    "水": ("水耗", "节水", "用水", "新鲜水", "补水", "循环水", "排水"),
    "燃料": ("天然气", "煤耗", "燃料", "燃气", "燃煤", "燃油"),
    "压缩空气": ("压缩空气", "空压机", "仪表风"),
}

# --- region -----------------------------------------------------------------------------------
REGION_VALUES = {
    "same_city": 0.3, "same_province": 0.2, "elsewhere": 0.0,
    "preferred": 0.05,   # a tie-breaker; outside the province the gain model applies
}
