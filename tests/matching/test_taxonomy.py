"""The curated taxonomy: well-formed, loaded idempotently, and read the way enterprises write."""
import pytest

from experts.models import Skill
from experts.taxonomy import AREAS
from experts.taxonomy.data import MERGED
from experts.taxonomy.loader import load_taxonomy
from matching.engine.needs import challenge_needs
from matching.engine.taxonomy import forget_taxonomy, get_taxonomy


def test_areas_are_well_formed():
    codes = [a["code"] for a in AREAS]
    assert 36 <= len(codes) <= 60 and len(set(codes)) == len(codes)
    assert len({a["name"] for a in AREAS}) == len(AREAS)
    for area in AREAS:
        assert area["category"] in {"technology", "management", "green"}
        assert area["synonyms"] and area["problems"], area["code"]
        assert set(area["related"]) <= set(codes) - {area["code"]}, area["code"]
    assert not set(MERGED) & set(codes)


@pytest.mark.django_db
def test_loading_twice_changes_nothing_the_second_time():
    first = load_taxonomy()
    second = load_taxonomy()
    assert first["created"] == len(AREAS)
    assert second == {"areas": len(AREAS), "created": 0, "updated": 0, "words_added": 0}
    distillation = Skill.objects.get(code="distillation")
    assert set(distillation.related.values_list("code", flat=True)) == set(
        next(a for a in AREAS if a["code"] == "distillation")["related"])


@pytest.mark.django_db
def test_a_retired_area_becomes_a_child_of_the_area_it_joined():
    Skill.objects.create(code="validation", name="验证与确认", synonyms=["清洁验证"])
    load_taxonomy()
    forget_taxonomy()
    taxonomy = get_taxonomy()
    retired = Skill.objects.get(code="validation")
    assert retired.parent.code == "gmp-compliance"
    assert taxonomy.area_of(retired.pk) == taxonomy.by_code["gmp-compliance"]


# Written for these specifications in the words of a small plant (not taken from any corpus).
PLAIN_POSTINGS = [
    ("装置蒸汽用量太大", "每生产一吨产品要烧掉将近两吨蒸汽，锅炉都快供不上了。", "distillation"),
    ("管道老是烂穿", "厂里的管子用不了两年就锈穿了，到处打补丁。", "corrosion"),
    ("厂界有异味", "一到晚上厂区周边就有刺鼻的气味，居民经常投诉。", "vocs"),
    ("车间太乱", "车间东西乱摆乱放，找个工具要半天。", "lean"),
    ("釜里温度控不住", "加料快了温度就往上冲，有两次差点冲料。", "reaction-safety"),
    ("冷却器换热越来越差", "夏天一到，冷却器出来的料温度就降不下来，拆开一看管子里全是泥和水垢。", "heat-exchange"),
    ("压缩机老跳车", "氢气压缩机最近一个月停了四次，每次都说是排气温度高，修完没几天又停。", "compressors"),
    ("提纯提不上去", "溶剂回收那套装置出来的溶剂总是含水超标，回用不了只能当废液卖。", "distillation"),
    ("阀门动作不灵", "好几个调节阀开关不到位，操作室里给了开度现场没反应。", "instrumentation"),
    ("罐区管理", "储罐区夏天经常闻到味道，呼吸阀老是冒气，不知道怎么管。", "hazmat-storage"),
    ("污水站出水不稳定", "厂里污水站出水时好时坏，COD一高环保就找上门。", "wastewater"),
    ("产品颜色发黄", "成品放一段时间就发黄，客户说杂质多，我们查不出来是哪一步带进来的。", "api-synthesis"),
    ("粉料包装太慢", "每天几十吨粉料全靠人工装袋、封口、码垛，工人累还招不到人。", "packaging-automation"),
    ("发酵老是倒罐", "这半年发酵罐隔三差五就被杂菌污染，只能整罐倒掉。", "fermentation"),
    ("中药提取得率低", "同样的药材，我们提出来的浸膏比别人少一截，还一批一个样。", "tcm-extraction"),
    ("检验数据对不上", "同一个样品两个化验员测出来差得很远，客户也质疑我们的检测报告。", "qc-analysis"),
    ("年轻人留不住", "新招的操作工干不了半年就走，老师傅快退休了没人接班。", "skills-training"),
    ("设备坏了才修", "我们的设备都是坏了再修，一停就是好几天，备件也常常没有。", "equipment-management"),
    ("想知道碳排放", "欧洲客户要求我们提供产品的碳排放数据，我们不知道怎么算。", "carbon"),
    ("废盐堆积", "每年副产几千吨含有机物的废盐，只能当危废花钱处置。", "solid-waste"),
    ("电解槽电耗高", "烧碱装置槽电压一直偏高，直流电耗比设计值高不少。", "chlor-alkali"),
    ("聚合釜清釜频繁", "聚合釜内壁结一层料，每几釜就要停下来人工铲。", "polymerization"),
    ("晶体太细过滤慢", "结晶出来的颗粒很细，离心机甩不干，过滤要一整天。", "crystallization"),
    ("干燥后还是湿", "烘出来的产品水分时高时低，有时候还有焦糊的。", "drying-powder"),
    ("车间到处漏", "管线法兰、阀门到处滴滴答答，地上常年湿。", "pumps-seals"),
    ("冷却塔用水太多", "循环水补水量大，水费一年好几百万，排污也多。", "water-systems"),
    ("动火作业管理乱", "检修期间动火、进罐作业多，票证管理混乱，上次差点出事。", "safety-management"),
    ("药品检查怕过不了", "下个月要迎接GMP符合性检查，偏差记录和验证文件都不齐。", "gmp-compliance"),
    ("无菌灌装线污染", "灌装间沉降菌经常超标，培养基模拟灌装失败过一次。", "sterile-manufacturing"),
    ("反应太危险想改连续", "硝化反应釜一次投料几吨，风险太大，想改成管式连续反应。", "continuous-flow"),
    ("余热没用上", "焚烧炉出来的烟气三百多度直接排了，太可惜。", "waste-heat"),
    ("电费太高", "全厂一年电费上亿，大电机很多还是工频运行。", "energy-management"),
    ("报警太多操作工麻木", "DCS上一天几千条报警，操作工都不看了。", "process-control"),
    ("新项目安全审查", "新建装置要做危险与可操作性分析和保护层分析，找不到懂行的人。", "process-safety"),
    ("催化剂用得太快", "加氢触媒半年就没活性了，换一次几百万。", "catalysis"),
    ("焊口老是漏", "蒸汽管道焊口运行一段时间就开裂漏汽，补了又裂。", "welding"),
    ("储罐底板穿孔", "酸罐底板用了三年就穿孔了，外壁也锈得厉害。", "corrosion"),
    ("车间现场脏乱差", "工具到处扔，地面油污，客户来参观很没面子。", "lean"),
    ("数据都在纸上", "生产记录全是手写，月底统计要好几天，领导看不到实时数据。", "digitalization"),
    ("产品质量忽好忽坏", "同一产品不同批次指标波动大，客户投诉不断，想系统改进质量管理。", "quality-systems"),
    ("振动查不出原因", "风机振动越来越大，换了轴承还是振，不知道问题在哪。", "condition-monitoring"),
    ("废气异味投诉", "车间排风口味道很冲，附近小区天天打电话投诉。", "vocs"),
    ("釜温经常冲高", "滴加的时候温度控不住，已经发生过一次冲料。", "reaction-safety"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("title, description, area", PLAIN_POSTINGS)
def test_plain_words_lead_to_the_right_area(title, description, area):
    load_taxonomy()
    forget_taxonomy()
    taxonomy = get_taxonomy()
    needs = challenge_needs(taxonomy, title=title, description=description)
    assert taxonomy.areas[needs.main[0].area_id].code == area
