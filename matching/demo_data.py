"""The demo data set of `manage.py seed_demo`, generated from a seed: a pure function, no database.

`build_plan(seed)` returns plain dataclasses (enterprises, experts, studios, challenges, events, schools'
requests, service days …)
that the command then writes, keyed on natural keys. Everything here is invented: company and
person names are plausible combinations, not real ones; credit codes carry valid check characters.

Why it lives in matching: the demo is a whole campaign, written through every domain app's services
(experts, studios and membership batches, enterprises and challenges, outreach events) and then
matching's own (rankings, invitations, signed agreements). Only the top of the domain may import all
of them (jianglian < search < experts · enterprises · alliance < matching < interfaces), and a layer of
its own above matching would add a layer to the import contract for one command that holds no rule.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from enterprises.validators import credit_code_check_character

# --- Regions: province value, Chinese name, cities with their 6-digit administrative division code ------
REGIONS = [
    ("sichuan", "四川", [("成都", "510100"), ("泸州", "510500"), ("德阳", "510600"), ("乐山", "511100"), ("宜宾", "511500")]),
    ("jiangsu", "江苏", [("南京", "320100"), ("常州", "320400"), ("苏州", "320500"), ("连云港", "320700"), ("泰州", "321200")]),
    ("zhejiang", "浙江", [("杭州", "330100"), ("宁波", "330200"), ("绍兴", "330600"), ("台州", "331000")]),
    ("shandong", "山东", [("济南", "370100"), ("淄博", "370300"), ("东营", "370500"), ("潍坊", "370700")]),
    ("hubei", "湖北", [("武汉", "420100"), ("宜昌", "420500"), ("荆州", "421000")]),
    ("hebei", "河北", [("石家庄", "130100"), ("唐山", "130200"), ("沧州", "130900")]),
    ("shanghai", "上海", [("上海", "310100")]),
    ("guangdong", "广东", [("广州", "440100"), ("惠州", "441300"), ("湛江", "440800")]),
    ("chongqing", "重庆", [("重庆", "500100")]),
    ("tianjin", "天津", [("天津", "120100")]),
]
REGION_WEIGHTS = [16, 14, 10, 12, 8, 6, 5, 6, 5, 5]

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN_MALE = "伟强军勇杰涛明超刚平辉鹏华飞斌宇浩凯健俊帆帅旭宁龙林建国志文海波峰磊晨阳东亮成兵振春庆红卫新永德"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞秀玲燕萍红琳雪梅慧莉婷颖倩琴蓉洁佳莹英华兰凤云"

COMPANY_PREFIXES = [  # invented trade names (no real company's)
    "天盛", "华宇", "金鼎", "宏达", "恒信", "瑞丰", "鑫源", "凯盛", "永安", "众诚", "嘉禾", "明珠", "丰源", "润泽",
    "康恩", "普康", "济安", "远航", "安泰", "博源", "德润", "和兴", "泓达", "锦江", "晶诚", "九州", "蓝海", "立信",
    "隆昌", "美达", "南星", "诺信", "启明", "仁达", "盛邦", "泰和", "万通", "信达", "兴化", "亚泰", "益康", "正德",
]
CHEMICAL_SUFFIXES = ["化工有限公司", "化学股份有限公司", "石化有限公司", "精细化工有限公司", "氯碱化工有限公司", "新材料股份有限公司"]
PHARMA_SUFFIXES = ["制药有限公司", "药业股份有限公司", "生物制药有限公司", "医药化工有限公司"]

# --- Topics: what experts are good at and what plants ask for, keyed on the taxonomy's area codes -------
# Each topic: taxonomy area codes, the industry it belongs to, projects an expert leads or joins
# (with a typical result), and challenges written the way a plant writes them.


@dataclass(frozen=True)
class ChallengeTemplate:
    category: str
    title: str
    description: str
    areas: tuple[str, ...] = ()   # the skills the enterprise picks; default: the topic's first one or two


@dataclass(frozen=True)
class Topic:
    key: str
    field_name: str
    areas: tuple[str, ...]
    industry: str
    projects: tuple[tuple[str, str], ...]
    challenges: tuple[ChallengeTemplate, ...]


T, M, G = "technology", "management", "green"

TOPICS = [
    Topic("distillation", "精馏分离", ("distillation", "energy-management", "heat-exchange"), "chemical", (
        ("精馏塔节能改造", "年节约蒸汽{n1}万吨"),
        ("热泵精馏技术应用", "装置综合能耗下降{p1}%"),
        ("精馏塔板效率提升与填料更换", "产品纯度由99.5%提高到99.9%"),
    ), (
        ChallengeTemplate(G, "{unit}精馏塔蒸汽单耗偏高，求节能改造方案",
                          "我公司{unit}精馏装置设计能力{cap}万吨/年，目前每生产一吨产品要消耗将近{steam}吨蒸汽，"
                          "比同行先进水平高出三成。塔顶冷凝负荷也大，夏季循环水经常不够用。希望有经验的老师傅帮忙"
                          "诊断用能问题，给出热集成或热泵改造思路，改造尽量利用年度大修窗口，不影响正常生产。"),
        ChallengeTemplate(T, "{unit}精馏塔操作波动大，产品纯度不稳定",
                          "{unit}精馏塔进料组成经常变化，塔釜温度一波动，塔顶产品纯度就掉到指标线以下，每月返工"
                          "{batches}批次左右。操作工主要靠经验手动调节，夜班问题更突出。想请专家帮我们梳理操作规程、"
                          "优化控制方案，并给班组做一次实操培训。"),
    )),
    Topic("seals", "动设备检修", ("pumps-seals", "compressors", "condition-monitoring"), "chemical", (
        ("离心泵机械密封改进", "密封平均寿命由3个月延长到{m1}个月"),
        ("往复式压缩机振动治理", "非计划停机减少{p1}%"),
        ("关键机泵状态监测系统建设", "故障预警准确率达到90%以上"),
    ), (
        ChallengeTemplate(T, "{unit}进料泵机械密封频繁泄漏",
                          "{unit}高温进料泵（介质含少量固体颗粒，温度约{temp}℃）机械密封平均两个月就泄漏一次，"
                          "今年已经更换{batches}套，每次检修都要切换备用泵，影响装置稳定。厂家来看过几次没有根本解决。"
                          "希望请做过机封改进的工匠来现场看一看，从选型、冲洗方案到安装工艺帮我们找原因。"),
        ChallengeTemplate(T, "循环氢压缩机振动值持续升高",
                          "我厂一台往复式循环氢压缩机近半年振动值从{vib1}mm/s逐步升到{vib2}mm/s，已接近联锁值。"
                          "更换过气阀和填料，效果不明显。希望有压缩机故障诊断经验的专家协助做一次频谱分析，"
                          "判断是基础、对中还是连杆部件问题，并给出检修方案。", areas=("compressors", "condition-monitoring")),
    )),
    Topic("gmp", "药品质量与GMP", ("gmp-compliance", "quality-systems", "qc-analysis"), "pharmaceutical", (
        ("GMP 验证体系建设", "顺利通过药品GMP符合性检查"),
        ("无菌制剂灌装线工艺验证", "偏差数量同比下降{p1}%"),
        ("清洁验证方案优化", "换品种清洁时间缩短{p2}%"),
    ), (
        ChallengeTemplate(M, "迎接GMP符合性检查，验证文件体系需要梳理",
                          "公司{unit}车间明年要接受药品GMP符合性检查，现有的设备确认、工艺验证和清洁验证文件是"
                          "不同年份、不同人写的，格式不统一，有些风险评估做得比较粗。希望请熟悉GMP和验证的专家帮助我们"
                          "梳理验证主计划，指出主要缺陷，带一带我们的QA团队。"),
        ChallengeTemplate(M, "偏差调查总是找不到根本原因，CAPA效果差",
                          "近一年{unit}车间记录偏差{dev}起，调查报告大多写成“操作人员培训不到位”，同类偏差反复出现。"
                          "想请有质量管理经验的专家指导偏差调查和根本原因分析方法，帮我们建立真正有效的CAPA跟踪机制。", areas=("gmp-compliance", "quality-systems")),
    )),
    Topic("vocs", "VOCs治理", ("vocs", "hazmat-storage"), "chemical", (
        ("VOCs 治理与RTO蓄热焚烧装置优化", "非甲烷总烃排放浓度稳定在{mg}mg/m³以下"),
        ("LDAR泄漏检测与修复", "动静密封点泄漏率降至0.{p1}%"),
        ("罐区油气回收改造", "年回收溶剂{n1}百吨"),
    ), (
        ChallengeTemplate(G, "罐区和装车站VOCs无组织排放超标",
                          "环保部门检查时发现我公司溶剂罐区和装车站周边VOCs浓度偏高，要求限期整改。目前罐区只有"
                          "简单的呼吸阀，没有油气回收。希望请做过VOCs治理的专家帮忙比选方案（冷凝、吸附还是焚烧），"
                          "投资控制在{money}万元以内。"),
        ChallengeTemplate(G, "RTO装置运行不稳定，天然气消耗大",
                          "我厂RTO蓄热焚烧装置处理{unit}车间废气，废气浓度波动大，炉温忽高忽低，补燃天然气每月"
                          "{gas}万方，还发生过两次超温联锁。想请专家帮助优化进气浓度控制和运行参数，降低运行成本。"),
    )),
    Topic("wastewater", "废水治理", ("wastewater", "water-systems"), "chemical", (
        ("高盐废水MVR蒸发处理", "吨水处理成本下降{p1}%"),
        ("污水站生化系统提标改造", "出水COD稳定低于{cod}mg/L"),
        ("循环水系统节水改造", "年节水{n1}万吨"),
    ), (
        ChallengeTemplate(G, "高盐高COD废水处理成本太高",
                          "{unit}车间每天产生高盐废水约{water}吨，含盐量8%左右，COD超过两万，目前委外处置，"
                          "每吨费用很高。希望专家帮助评估预处理加蒸发结晶的可行性，提出分质分类处理方案。"),
        ChallengeTemplate(G, "污水站生化系统冬季出水氨氮超标",
                          "每年冬季水温降到12℃以下，污水站生化池硝化效果明显变差，出水氨氮多次接近排放限值。"
                          "想请有污水站运行经验的专家来现场诊断，提出工艺调控和改造建议。"),
    )),
    Topic("process-control", "仪表与自动化", ("process-control", "instrumentation", "digitalization"), "chemical", (
        ("DCS控制回路整定与先进控制", "自控投用率由60%提高到{pc}%"),
        ("SIS安全仪表系统完善", "联锁误动作次数下降{p1}%"),
        ("调节阀故障快速处理法", "仪表故障处理时间缩短一半"),
    ), (
        ChallengeTemplate(T, "{unit}装置自控投用率低，操作工习惯手动",
                          "{unit}装置DCS系统有{loops}多个控制回路，实际投自动的不到一半，关键温度回路一投自动就振荡，"
                          "操作工只好手动操作，劳动强度大。希望请仪表自控方面的工匠帮忙做回路整定，"
                          "并把经验教给我们的仪表班。"),
        ChallengeTemplate(T, "老旧装置仪表故障多，想做数字化改造",
                          "公司{unit}装置建于2005年前后，现场仪表老化，调节阀卡涩、变送器漂移时有发生，"
                          "每月仪表故障{batches}起以上。计划分步做数字化改造，希望专家帮助制定改造路线和轻重缓急。", areas=("instrumentation", "digitalization")),
    )),
    Topic("safety", "工艺安全管理", ("process-safety", "safety-management", "reaction-safety"), "chemical", (
        ("HAZOP分析与工艺安全管理体系建设", "识别并整改重大隐患{n2}项"),
        ("双重预防机制建设", "被评为省级安全生产标准化一级企业"),
        ("反应安全风险评估", "完成{n2}个重点工艺的反应安全风险评估"),
    ), (
        ChallengeTemplate(M, "双重预防机制建起来了，但流于形式",
                          "我公司按要求建立了风险分级管控和隐患排查治理双重预防机制，系统里有{risks}多条风险，"
                          "但班组排查基本是打勾，真正的问题发现不了。想请安全管理方面的劳模帮我们把制度落到班组，"
                          "培训一批能发现问题的骨干。", areas=("safety-management",)),
        ChallengeTemplate(T, "硝化工艺需要做反应安全风险评估",
                          "{unit}车间有一条间歇硝化工艺，放热量大，按照监管要求需要完成反应安全风险评估，"
                          "并根据评估结果完善自动化控制和安全联锁。希望请有反应量热和工艺安全经验的专家指导。", areas=("reaction-safety", "process-safety")),
    )),
    Topic("lean", "班组与精益管理", ("lean", "equipment-management", "skills-training"), "chemical", (
        ("班组精益管理与5S现场改善", "班组现场问题整改率达到{pc}%"),
        ("TPM全员设备维护推行", "设备综合效率OEE提高{p2}个百分点"),
        ("师带徒技能人才培养", "培养高级工以上技能人才{n2}名"),
    ), (
        ChallengeTemplate(M, "班组管理粗放，想学精益生产",
                          "公司{unit}车间有{teams}个班组，交接班信息常常遗漏，现场物料摆放乱，同样的问题反复出现。"
                          "想请在班组管理和精益生产方面有经验的劳模到车间蹲点，帮我们搭建班组标准化管理体系。"),
        ChallengeTemplate(M, "一线操作工技能断层，老师傅快退休了",
                          "车间骨干大多50岁以上，{retire}名老师傅三年内退休，年轻人留不住也顶不上。"
                          "想请技能人才培养方面的专家帮助设计师带徒方案和岗位技能矩阵，把老师傅的绝活传下来。", areas=("skills-training",)),
    )),
    Topic("catalysis", "催化与反应工程", ("catalysis", "reactor-operation", "continuous-flow"), "chemical", (
        ("加氢反应器催化剂寿命延长", "催化剂使用周期由8个月延长到{m1}个月"),
        ("间歇工艺连续化微反应改造", "收率提高{p2}个百分点"),
        ("反应釜温度控制优化", "批次合格率提高到99%以上"),
    ), (
        ChallengeTemplate(T, "加氢催化剂失活快，更换频繁",
                          "{unit}加氢装置催化剂设计寿命一年，实际五六个月活性就明显下降，每次更换停车{days}天，"
                          "费用加损失上百万元。怀疑原料中杂质和操作温度有关，希望有催化剂使用经验的专家帮助分析原因。"),
        ChallengeTemplate(T, "间歇反应收率低、批次差异大",
                          "{unit}车间一步关键反应在{vol}立方反应釜中间歇进行，收率在78%到86%之间波动，"
                          "批次之间差异大。想请专家帮助找出关键工艺参数，评估改成连续流工艺的可能性。", areas=("reactor-operation", "continuous-flow")),
    )),
    Topic("fermentation", "发酵与制药工艺", ("fermentation", "crystallization", "api-synthesis"), "pharmaceutical", (
        ("发酵罐染菌控制", "染菌率由5%降到{p3}%以下"),
        ("结晶工艺优化与晶型控制", "产品粒度分布合格率提高到98%"),
        ("原料药合成路线优化", "单位成本降低{p2}%"),
    ), (
        ChallengeTemplate(T, "发酵罐夏季染菌率高",
                          "我公司{unit}发酵车间每年六到九月染菌率明显上升，最多时一个月倒罐{batches}批，损失很大。"
                          "已经加强了灭菌和空气过滤，仍然没有根本好转。希望请有发酵生产经验的专家到现场排查染菌源。"),
        ChallengeTemplate(T, "原料药结晶粒度不稳定，过滤困难",
                          "{unit}原料药结晶工序粒度忽大忽小，细粉多的批次过滤要十几个小时，干燥后还容易结块。"
                          "希望有结晶工艺经验的专家帮助优化降温曲线和晶种添加，稳定晶型和粒度。", areas=("crystallization",)),
    )),
    Topic("sterile", "无菌制剂", ("sterile-manufacturing", "gmp-compliance", "qc-analysis"), "pharmaceutical", (
        ("冻干工艺优化", "冻干周期缩短{p2}%"),
        ("无菌灌装线改造与验证", "灌装线产能提高{p1}%"),
        ("洁净区环境监测体系建设", "环境监测超标次数降为零"),
    ), (
        ChallengeTemplate(T, "冻干周期长，产能跟不上订单",
                          "{unit}冻干粉针生产线一个冻干周期要{hours}小时，订单增加后产能明显不足。"
                          "想请有冻干工艺开发经验的专家帮助优化冻干曲线，在保证产品质量的前提下缩短周期。"),
        ChallengeTemplate(M, "洁净区环境监测数据经常出现警戒限",
                          "无菌制剂车间B级区浮游菌和沉降菌近几个月多次达到警戒限，人员更衣和消毒流程也被检查员提过问题。"
                          "希望请无菌生产管理方面的专家帮助梳理人员行为和消毒方案。", areas=("sterile-manufacturing", "gmp-compliance")),
    )),
    Topic("energy", "节能降碳", ("energy-management", "waste-heat", "carbon"), "chemical", (
        ("蒸汽系统节能改造", "年节约标煤{n1}千吨"),
        ("低温余热回收利用", "年回收余热折合蒸汽{n1}万吨"),
        ("碳排放核算与碳资产管理", "完成企业碳排放核算和碳足迹评价"),
    ), (
        ChallengeTemplate(G, "全厂蒸汽管网损耗大，凝结水回收率低",
                          "我厂蒸汽管网总长{km}公里，很多管段保温破损，疏水阀失效多，凝结水回收率只有{rec}%左右。"
                          "希望请节能方面的专家帮助做一次蒸汽系统能效诊断，列出投资少见效快的改造项目。"),
        ChallengeTemplate(G, "客户要求提供产品碳足迹，不知从何下手",
                          "出口客户要求我们明年提供主要产品的碳足迹数据，公司还没有做过碳排放核算。"
                          "想请专家指导建立碳排放核算方法和数据采集体系，并培训能源管理人员。", areas=("carbon",)),
    )),
    Topic("welding", "焊接与检修", ("welding", "corrosion", "heat-exchange"), "chemical", (
        ("压力容器焊接修复", "修复合格率100%，节约更换费用{money}万元"),
        ("换热器结垢治理与在线清洗", "换热效率恢复到设计值的95%以上"),
        ("设备腐蚀监测与防腐改造", "设备腐蚀泄漏次数下降{p1}%"),
    ), (
        ChallengeTemplate(T, "换热器结垢快，每季度都要停车清洗",
                          "{unit}装置冷却器管程走循环水，结垢非常快，换热效果两三个月就明显下降，"
                          "每季度都要停车清洗一次。希望专家帮助分析结垢原因，提出在线清洗或换型方案。", areas=("heat-exchange",)),
        ChallengeTemplate(T, "不锈钢管道焊缝腐蚀开裂",
                          "{unit}装置一段含氯介质的不锈钢管道焊缝附近多次出现裂纹泄漏，补焊后不久又裂。"
                          "希望请焊接和腐蚀方面的工匠帮助判断开裂机理，制定焊接工艺和材质升级方案。", areas=("welding", "corrosion")),
    )),
    Topic("solid-waste", "固废资源化", ("solid-waste", "drying-powder"), "chemical", (
        ("废催化剂回收利用", "年减少危废{n2}百吨"),
        ("危废减量与规范化管理", "危废产生量同比下降{p1}%"),
        ("含盐废渣干燥减量", "废渣含水率由40%降到{p3}%"),
    ), (
        ChallengeTemplate(G, "危废处置费用逐年上涨，想做减量",
                          "公司每年产生精馏残液、废活性炭等危废约{waste}吨，处置费用逐年上涨。"
                          "希望请固废资源化方面的专家帮助从源头分析减量空间，评估残液回收和废炭再生的可行性。"),
        ChallengeTemplate(G, "废渣含水率高，危废量大",
                          "{unit}车间压滤后的废渣含水率在40%以上，直接按危废处置，量大费用高。"
                          "想请专家帮助评估干燥减量方案，选择合适的干燥设备。", areas=("solid-waste", "drying-powder")),
    )),
    Topic("chlor-alkali", "氯碱电解", ("chlor-alkali", "electrical"), "chemical", (
        ("离子膜电解槽膜极距改造", "吨碱电耗下降{kwh}千瓦时"),
        ("整流与配电系统节电", "年节电{n1}百万千瓦时"),
        ("电解槽检修工艺改进", "电解槽检修周期延长一倍"),
    ), (
        ChallengeTemplate(G, "离子膜烧碱吨碱电耗偏高",
                          "我公司{cap}万吨/年离子膜烧碱装置吨碱直流电耗比同行高出{kwh}千瓦时左右，部分电解槽运行已超过"
                          "六年。希望请氯碱电解方面的专家帮助诊断，评估膜极距改造和换膜的经济性。"),
    )),
    Topic("tcm", "中药提取", ("tcm-extraction", "drying-powder", "qc-analysis"), "pharmaceutical", (
        ("中药提取浓缩工艺优化", "提取收率提高{p2}个百分点"),
        ("喷雾干燥粘壁治理", "干燥收率提高到95%"),
        ("中药质量标准提升", "指纹图谱相似度稳定在0.95以上"),
    ), (
        ChallengeTemplate(T, "中药浸膏喷雾干燥粘壁严重",
                          "{unit}车间中药浸膏喷雾干燥时塔壁粘料严重，每班都要停机清理，收率不到80%，"
                          "产品含水量也不稳定。希望请有中药提取和干燥经验的专家帮助调整工艺。", areas=("drying-powder", "tcm-extraction")),
    )),
]

HONOUR_RULES = [
    # (honour value, probability, years range)
    ("national_model_worker", 0.08, (2005, 2025)),
    ("national_may_day_medal", 0.14, (2008, 2025)),
    ("great_craftsman", 0.05, (2016, 2025)),
    ("national_technical_expert", 0.18, (2006, 2024)),
    ("china_skills_award", 0.03, (2008, 2024)),
    ("provincial_model_worker", 0.22, (2005, 2025)),
    ("provincial_may_day_medal", 0.22, (2008, 2025)),
    ("provincial_craftsman", 0.30, (2016, 2025)),
    ("industry_craftsman", 0.20, (2015, 2025)),
]
HONOUR_NAMES = {
    "national_model_worker": "全国劳动模范", "national_may_day_medal": "全国五一劳动奖章", "great_craftsman": "大国工匠",
    "national_technical_expert": "全国技术能手", "china_skills_award": "中华技能大奖",
    "provincial_model_worker": "省部级劳动模范", "provincial_may_day_medal": "省五一劳动奖章",
    "provincial_craftsman": "省级工匠", "industry_craftsman": "行业工匠",
}
NATIONAL_HONOURS = {"national_model_worker", "national_may_day_medal", "great_craftsman", "china_skills_award"}
MODEL_WORKER_HONOURS = {"national_model_worker", "provincial_model_worker", "national_may_day_medal", "provincial_may_day_medal"}

TITLES = ["高级技师", "技师", "特级技师", "首席技师", "高级工程师", "正高级工程师", "工程师"]
POSITIONS = ["班长", "技术员", "车间主任", "设备主管", "首席技师", "工艺工程师", "QA主管", "技能大师", "副总工程师", "仪表班长"]
UNITS = ["一号", "二号", "三号", "401", "502", "东区", "西区", "新区", "老区", "二期"]

SCHOOLS = [
    ("四川化工职业技术学院", "sichuan", "泸州"), ("常州工程职业技术学院", "jiangsu", "常州"),
    ("南京科技职业学院", "jiangsu", "南京"), ("徐州工业职业技术学院", "jiangsu", "徐州"),
    ("天津渤海职业技术学院", "tianjin", "天津"), ("河北化工医药职业技术学院", "hebei", "石家庄"),
    ("湖北三峡职业技术学院", "hubei", "宜昌"), ("山东化工技师学院", "shandong", "济南"),
    ("浙江工业职业技术学院", "zhejiang", "绍兴"), ("重庆化工职业学院", "chongqing", "重庆"),
    ("广东轻工职业技术大学", "guangdong", "广州"), ("四川大学化学工程学院", "sichuan", "成都"),
]
EVENT_TOPICS = [
    ("lecture", "劳模精神进校园：从一名操作工到大国工匠", "化工类专业在校学生"),
    ("workshop", "精馏操作仿真与故障处置工作坊", "化工技术专业二年级学生"),
    ("training", "机泵拆装与机械密封实操训练", "机电一体化专业学生"),
    ("mentoring", "技能大赛集训师带徒", "化工生产技术赛项集训队"),
    ("lecture", "药品GMP与质量文化", "药学、制药工程专业学生"),
    ("training", "DCS操作与控制回路整定实训", "应用化工技术专业学生"),
    ("workshop", "安全生产与HAZOP分析入门", "安全技术与管理专业学生"),
    ("lecture", "绿色低碳与化工行业的未来", "全校师生"),
]

# Schools asking for an event through the public form (进校园 requests): school, province, city, contact, topic,
# audience, format.
REQUEST_SCHOOLS = [
    ("宜宾职业技术学院", "sichuan", "宜宾", "何老师", "化工安全与应急处置", "应用化工技术专业学生", "lecture"),
    ("江苏化工技师学院", "jiangsu", "泰州", "周老师", "化工仪表维修实训指导", "化工仪表专业三年级学生", "training"),
    ("宁波职业技术学院", "zhejiang", "宁波", "陈主任", "技能大赛赛前集训", "化工生产技术赛项集训队", "mentoring"),
    ("淄博职业学院", "shandong", "淄博", "刘老师", "劳模精神与职业规划", "新生", "lecture"),
    ("武汉职业技术学院", "hubei", "武汉", "黄老师", "制药设备维护与GMP实务", "药品生产技术专业学生", "workshop"),
    ("唐山工业职业技术学院", "hebei", "唐山", "赵老师", "节能降耗从班组做起", "化工类专业学生", "lecture"),
    ("惠州城市职业学院", "guangdong", "惠州", "林老师", "石化装置开停车仿真实训", "石油化工技术专业学生", "training"),
    ("天津现代职业技术学院", "tianjin", "天津", "孙老师", "危化品仓储与运输安全", "安全技术与管理专业学生", "workshop"),
]
REQUEST_DECLINE_REASON = "希望的日期与联盟已安排的活动冲突，且当地暂无合适的劳模工匠，建议下学期再申请。"

# 劳模工匠助企行 service days: a park or plant where experts answer the enterprises' questions on the spot.
SERVICE_VENUES = [
    ("泸州化工园区服务中心", "sichuan", "泸州"), ("南京江北新材料科技园", "jiangsu", "南京"),
    ("宁波石化经济技术开发区", "zhejiang", "宁波"), ("淄博齐鲁化学工业区", "shandong", "淄博"),
    ("宜昌姚家港化工园", "hubei", "宜昌"), ("沧州临港经济技术开发区", "hebei", "沧州"),
]
# Questions plants bring to a service day: topic, what they told the experts, category.
SERVICE_QUESTIONS = [
    ("离心泵机械密封频繁泄漏", "输送泵机封平均两个月就漏，换了几个品牌都差不多，想请老师看看冲洗方案。", "technology"),
    ("精馏塔回流比偏高能耗大", "塔顶产品合格但蒸汽单耗比设计高百分之十五，不知道从哪里入手调整。", "green"),
    ("班组交接班记录流于形式", "交接班本子写得很全但问题总是漏交，想了解老师们在班组管理上的做法。", "management"),
    ("换热器结垢清洗周期短", "循环水换热器三个月就要清洗一次，影响连续生产。", "technology"),
    ("污水站出水COD偶尔超标", "生化池来水波动大时出水COD会超标，想知道怎么稳定运行。", "green"),
    ("新员工DCS操作上手慢", "新招的操作工要半年才能独立顶岗，想缩短培训周期。", "management"),
]


# --- Plan: what the data set holds ----------------------------------------------------------------


@dataclass
class EnterprisePlan:
    name: str
    credit_code: str
    province: str
    city: str
    industry: str
    size: str
    description: str
    verified: bool


@dataclass
class ExpertPlan:
    name: str
    gender: str
    birth_year: int
    role: str
    professional_title: str
    position: str
    employer: str
    province: str
    city: str
    industry: str
    areas: list[str]
    skill_tags: list[str]
    bio: str
    achievements: str
    capacity: int
    accepting_pairings: bool
    accepts_remote: bool
    phone: str
    email: str
    honours: list[tuple[str, int]]
    topic: str


@dataclass
class StudioPlan:
    name: str
    level: str
    host_enterprise: str
    lead: tuple[str, str]  # natural key of the lead expert (name, employer)
    members: list[tuple[str, str]]
    province: str
    city: str
    established_year: int
    areas: list[str]
    focus: list[str]
    description: str
    achievements: str
    capacity: int
    membership: str  # "first_batch" | "pending" | "none"
    statement: str


@dataclass
class ChallengePlan:
    enterprise_code: str
    title: str
    description: str
    category: str
    areas: list[str]
    preferred_province: str
    preferred_city: str
    status: str  # draft | open | paired | resolved | closed
    outcome: tuple = ()  # resolved ones: (summary, problems solved, savings in yuan, workers trained, ratings)


@dataclass
class EventPlan:
    title: str
    school: str
    province: str
    city: str
    days_from_now: int
    format: str
    topic: str
    audience: str
    capacity: int
    status: str  # planned | confirmed | held
    experts: list[tuple[str, str]]
    audience_count: int | None = None
    report_summary: str = ""


@dataclass
class RequestPlan:
    """A school's request for an event (the public form), and what the secretariat answered."""

    school: str
    province: str
    city: str
    contact_name: str
    phone: str
    topic: str
    audience: str
    audience_size: int
    format: str
    days_ahead: list[int]  # the preferred dates, in days from the day of seeding
    note: str
    decision: str  # pending | accepted | declined
    decline_reason: str = ""


@dataclass
class QuestionPlan:
    """A question an enterprise brought to a service day; one not solved on the spot may become a draft."""

    enterprise_code: str
    topic: str
    description: str
    category: str
    solved_on_site: bool
    workers_trained: int
    answered_by: tuple[str, str] | None  # natural key of the expert who answered
    converted: bool = False  # turned into a draft challenge of the enterprise


@dataclass
class ServiceDayPlan:
    title: str
    venue: str
    province: str
    city: str
    days_from_now: int
    description: str
    status: str  # planned | held | cancelled
    experts: list[tuple[str, str]]
    enterprise_codes: list[str]
    questions: list[QuestionPlan] = field(default_factory=list)
    summary: str = ""
    cancel_reason: str = ""


@dataclass
class Plan:
    enterprises: list[EnterprisePlan] = field(default_factory=list)
    experts: list[ExpertPlan] = field(default_factory=list)
    studios: list[StudioPlan] = field(default_factory=list)
    challenges: list[ChallengePlan] = field(default_factory=list)
    events: list[EventPlan] = field(default_factory=list)
    requests: list[RequestPlan] = field(default_factory=list)
    service_days: list[ServiceDayPlan] = field(default_factory=list)


# --- Generation ------------------------------------------------------------------------------------

GB11714_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
GB11714_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def organization_code(rng: random.Random) -> str:
    """A 9-character organization code (GB 11714): 8 digits and its check character."""
    body = "".join(rng.choice("0123456789") for _ in range(8))
    check = 11 - sum(int(c) * w for c, w in zip(body, GB11714_WEIGHTS)) % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def credit_code(division: str, rng: random.Random) -> str:
    """A 统一社会信用代码 of an enterprise (登记管理部门 9, 类别 1) with a valid check character."""
    first17 = "91" + division + organization_code(rng)
    return first17 + credit_code_check_character(first17)


def _fill(text: str, rng: random.Random, unit: str) -> str:
    values = {
        "unit": unit, "cap": rng.choice([3, 5, 8, 10, 15, 20, 30]), "steam": rng.choice(["1.8", "1.9", "2.1", "2.3"]),
        "batches": rng.randint(3, 9), "temp": rng.choice([180, 220, 260, 280]), "vib1": rng.choice([4.5, 5.2, 6.0]),
        "vib2": rng.choice([9.8, 10.5, 11.2]), "dev": rng.randint(40, 120), "money": rng.choice([50, 80, 120, 200, 300]),
        "gas": rng.choice([6, 8, 12, 15]), "water": rng.choice([30, 50, 80, 120]), "loops": rng.choice([80, 120, 200, 300]),
        "risks": rng.choice([800, 1200, 2000]), "teams": rng.randint(4, 12), "retire": rng.randint(3, 8),
        "days": rng.randint(5, 12), "vol": rng.choice([3, 5, 6.3, 10]), "hours": rng.choice([56, 62, 72, 80]),
        "km": rng.choice([8, 12, 15, 20]), "rec": rng.choice([30, 35, 40, 45]), "waste": rng.choice([800, 1500, 3000]),
        "kwh": rng.choice([60, 80, 100, 120]), "n1": rng.randint(2, 9), "n2": rng.randint(5, 30), "p1": rng.randint(20, 60),
        "p2": rng.randint(3, 15), "p3": rng.randint(1, 3), "m1": rng.randint(12, 24), "mg": rng.choice([20, 30, 50]),
        "cod": rng.choice([50, 60, 80]), "pc": rng.randint(85, 98),
    }
    return text.format(**values)


def _unique_names(rng: random.Random, count: int) -> list[tuple[str, str]]:
    names, seen = [], set()
    while len(names) < count:
        gender = "female" if rng.random() < 0.28 else "male"
        pool = GIVEN_FEMALE if gender == "female" else GIVEN_MALE
        given = rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.65 else "")
        name = rng.choice(SURNAMES) + given
        if name not in seen:
            seen.add(name)
            names.append((name, gender))
    return names


def _region(rng: random.Random):
    province, province_zh, cities = rng.choices(REGIONS, weights=REGION_WEIGHTS)[0]
    city, division = rng.choice(cities)
    return province, province_zh, city, division


def _enterprises(rng: random.Random, count: int) -> list[EnterprisePlan]:
    plans, names = [], set()
    while len(plans) < count:
        province, province_zh, city, division = _region(rng)
        industry = "pharmaceutical" if rng.random() < 0.3 else "chemical"
        suffix = rng.choice(PHARMA_SUFFIXES if industry == "pharmaceutical" else CHEMICAL_SUFFIXES)
        prefix = rng.choice(COMPANY_PREFIXES)
        name = f"{city}{prefix}{suffix}" if rng.random() < 0.7 else f"{province_zh}{prefix}{suffix}"
        if name in names:
            continue
        names.add(name)
        size = rng.choices(["small", "medium", "large"], weights=[3, 5, 3])[0]
        product = rng.choice(
            ["原料药及中间体", "冻干粉针和注射剂", "中成药"] if industry == "pharmaceutical"
            else ["烧碱、PVC", "有机溶剂", "农药中间体", "精细化学品", "合成氨、尿素", "环氧树脂"]
        )
        description = (
            f"{name}位于{province_zh}{city}化工园区，主要生产{product}，员工{rng.randint(3, 30) * 100}余人。"
            "公司重视安全环保和技术改造，希望借助劳模工匠的经验解决生产一线的难题。"
        )
        plans.append(EnterprisePlan(
            name=name, credit_code=credit_code(division, rng), province=province, city=city, industry=industry,
            size=size, description=description, verified=len(plans) % 12 != 5,  # one in twelve awaits verification
        ))
    return plans


def _honours(rng: random.Random) -> list[tuple[str, int]]:
    honours = [(h, rng.randint(*years)) for h, p, years in HONOUR_RULES if rng.random() < p]
    return sorted(honours, key=lambda item: item[1])


def _expert(rng: random.Random, name: str, gender: str, employer: EnterprisePlan, n: int) -> ExpertPlan:
    topic = rng.choice([t for t in TOPICS if t.industry == employer.industry] or TOPICS)
    second = rng.choice(TOPICS) if rng.random() < 0.35 else None
    areas = list(dict.fromkeys(rng.sample(topic.areas, k=min(len(topic.areas), rng.randint(1, 3)))
                               + (list(second.areas[:1]) if second else [])))
    honours = _honours(rng)
    held = {h for h, _ in honours}
    role = ("both" if held & MODEL_WORKER_HONOURS and held - MODEL_WORKER_HONOURS
            else "model_worker" if held & MODEL_WORKER_HONOURS else "craftsman")
    birth_year = rng.randint(1965, 1992)
    years = min(2025 - birth_year - 19, rng.randint(12, 35))
    title = rng.choice(TITLES)
    position = rng.choice(POSITIONS)
    led = rng.sample(topic.projects, k=2)
    extra = rng.choice((second or topic).projects)
    skill_tags = [p for p, _ in led][:2]
    honour_text = "、".join(f"{HONOUR_NAMES[h]}（{y}年）" for h, y in honours)
    bio = (
        f"{name}，{'女' if gender == 'female' else '男'}，{birth_year}年生，{title}，现任{employer.name}{position}。"
        f"扎根{topic.field_name}一线{years}年，擅长{'、'.join(p for p, _ in led)}，"
        f"{'善于把复杂问题讲明白，带出了一批技术骨干。' if rng.random() < 0.5 else '多次在装置开停车和事故处理中担当主力。'}"
        + (f"曾获{honour_text}。" if honours else "")
    )
    patents = rng.randint(0, 12)
    achievements = "；".join([
        f"主持{led[0][0]}，{_fill(led[0][1], rng, '')}",
        f"主持{led[1][0]}，{_fill(led[1][1], rng, '')}",
        f"参与{extra[0]}，{_fill(extra[1], rng, '')}",
    ]) + (f"；获国家发明专利{patents // 3}项、实用新型专利{patents}项。" if patents else "。")
    return ExpertPlan(
        name=name, gender=gender, birth_year=birth_year, role=role, professional_title=title, position=position,
        employer=employer.name, province=employer.province, city=employer.city, industry=employer.industry,
        areas=areas, skill_tags=skill_tags, bio=bio, achievements=achievements,
        capacity=rng.choice([1, 2, 2, 2, 3, 3, 4]), accepting_pairings=rng.random() < 0.86,
        accepts_remote=rng.random() < 0.7, phone=f"139{n:08d}", email=f"expert{n:04d}@demo.jianglian.local",
        honours=honours, topic=topic.key,
    )


def _studios(rng: random.Random, experts: list[ExpertPlan], count: int) -> list[StudioPlan]:
    by_employer: dict[str, list[ExpertPlan]] = {}
    for expert in experts:
        by_employer.setdefault(expert.employer, []).append(expert)
    # Leads: the most decorated expert of each of the best-staffed employers.
    employers = sorted(by_employer, key=lambda e: (-len(by_employer[e]), e))[:count]
    # Of every 24 studios: 3 national, 7 provincial, 7 municipal, 7 enterprise-level (the best-staffed first).
    shares = [("national", 3), ("provincial", 7), ("municipal", 7), ("enterprise", 7)]
    levels = [level for level, share in shares for _ in range(round(share * count / 24))]
    plans, taken = [], set()
    for i, employer in enumerate(employers):
        staff = sorted(by_employer[employer], key=lambda e: (-len(e.honours), e.name))
        lead = staff[0]
        taken.add((lead.name, lead.employer))
        members = [(e.name, e.employer) for e in staff[1:rng.randint(3, 8)]]
        level = levels[i] if i < len(levels) else "enterprise"
        topic = next(t for t in TOPICS if t.key == lead.topic)
        kind = "劳模创新工作室" if lead.role != "craftsman" else rng.choice(["技能大师工作室", "工匠创新工作室"])
        name = f"{lead.name}{kind}"
        focus = [p for p, _ in topic.projects]
        membership = "first_batch" if i % 2 == 0 and i < 48 else ("pending" if i % 5 in (1, 3) else "none")
        plans.append(StudioPlan(
            name=name, level=level, host_enterprise=employer, lead=(lead.name, lead.employer), members=members,
            province=lead.province, city=lead.city, established_year=rng.randint(2010, 2023),
            areas=list(topic.areas), focus=focus,
            description=(f"{name}依托{employer}设立，由{lead.name}领衔，现有成员{len(members) + 1}人，"
                         f"围绕{topic.field_name}开展技术攻关、成果推广和技能人才培养。"),
            achievements=(f"近三年完成技术攻关项目{rng.randint(6, 30)}项，{focus[0]}等成果在行业内推广，"
                          f"累计创造经济效益{rng.randint(5, 90) * 100}万元，培养技师、高级技师{rng.randint(8, 40)}名。"),
            capacity=rng.randint(2, 5), membership=membership,
            statement=(f"本工作室长期从事{topic.field_name}攻关，愿意加入联盟，参与劳模工匠助企行和进校园活动，"
                       "为中小化工医药企业解决生产难题。"),
        ))
    return plans


def build_plan(seed: int = 2024, *, scale: float = 1.0) -> Plan:
    """The demo data set; `scale` shrinks or grows every part (1.0: 60 enterprises, 360 experts, 48 studios …)."""
    enterprises, experts, studios = round(60 * scale), round(360 * scale), round(48 * scale)
    challenges, events = round(96 * scale), max(4, round(10 * scale))
    rng = random.Random(seed)
    plan = Plan()
    plan.enterprises = _enterprises(rng, enterprises)
    # Experts work mostly at the larger plants (host enterprises of studios), some at the demo enterprises.
    hosts = _enterprises(random.Random(seed + 1), 70)
    hosts = [h for h in hosts if h.name not in {e.name for e in plan.enterprises}]
    host_weights = [rng.choice([1, 2, 3, 6, 8]) for _ in hosts]
    for n, (name, gender) in enumerate(_unique_names(rng, experts), start=1):
        employer = rng.choices(hosts, weights=host_weights)[0]
        plan.experts.append(_expert(rng, name, gender, employer, n))
    plan.studios = _studios(rng, plan.experts, studios)

    # Challenges: each enterprise writes one or two, every category, draft / open / paired.
    templates = [(topic, template) for topic in TOPICS for template in topic.challenges]
    by_category = {c: [item for item in templates if item[1].category == c] for c in (T, M, G)}
    categories = [T, M, G]
    seen = set()
    i = 0
    while len(plan.challenges) < challenges:
        enterprise = plan.enterprises[i % len(plan.enterprises)]
        category = categories[i % 3]
        i += 1
        candidates = [item for item in by_category[category]
                      if item[0].industry == enterprise.industry] or by_category[category]
        topic, template = rng.choice(candidates)
        unit = rng.choice(UNITS)
        title = _fill(template.title, rng, unit)
        if (enterprise.credit_code, title) in seen:
            continue
        seen.add((enterprise.credit_code, title))
        status = ("draft" if not enterprise.verified
                  else rng.choices(["draft", "open", "paired", "resolved"], weights=[2, 7, 2, 1])[0])
        prefers_region = rng.random() < 0.45
        outcome = ()
        if status == "resolved":
            outcome = (
                f"专家现场诊断{rng.randint(2, 6)}次，找出主要原因并制定整改方案，已在装置上实施并稳定运行三个月，"
                f"编写操作要点{rng.randint(1, 4)}份，带出骨干{rng.randint(2, 8)}名。",
                rng.randint(1, 5), rng.randint(5, 200) * 10000, rng.randint(8, 60), (rng.choice([4, 5]), rng.choice([4, 5])),
            )
        plan.challenges.append(ChallengePlan(
            enterprise_code=enterprise.credit_code, title=title, description=_fill(template.description, rng, unit),
            category=category, areas=list((template.areas or topic.areas)[:rng.randint(1, 2)]),
            preferred_province=enterprise.province if prefers_region else "",
            preferred_city=enterprise.city if prefers_region and rng.random() < 0.4 else "",
            status=status, outcome=outcome,
        ))

    _give_the_demo_enterprise_every_state(plan)

    # Campus outreach events with experts from the same province where possible.
    for k in range(events):
        school, province, city = SCHOOLS[k % len(SCHOOLS)]
        fmt, topic, audience = EVENT_TOPICS[k % len(EVENT_TOPICS)]
        local = [e for e in plan.experts if e.province == province and e.honours] or plan.experts
        speakers = rng.sample(local, k=min(len(local), rng.randint(1, 3)))
        days = [-60, 21, -30, 10, -12, 45][k % 6]  # past ones were held, future ones are planned or confirmed
        held = days < 0
        plan.events.append(EventPlan(
            title=f"劳模工匠进校园·{school}站", school=school, province=province, city=city, days_from_now=days,
            format=fmt, topic=topic, audience=audience, capacity=rng.choice([40, 60, 120, 300]),
            status="held" if held else ("confirmed" if k % 4 == 1 else "planned"),
            experts=[(e.name, e.employer) for e in speakers],
            audience_count=rng.randint(35, 280) if held else None,
            report_summary=(f"{'、'.join(e.name for e in speakers)}为同学们讲授了一线经验，现场互动热烈，"
                            "学院计划将相关内容纳入实训课程。") if held else "",
        ))
    # Their own generator: the parts above stay as they were before these were added.
    plan.requests = _requests(random.Random(seed + 2), max(3, round(6 * scale)))
    plan.service_days = _service_days(random.Random(seed + 3), plan, max(3, round(5 * scale)))
    return plan


REQUEST_DECISIONS = ("pending", "accepted", "declined", "pending", "accepted", "pending", "declined", "pending")


def _requests(rng: random.Random, count: int) -> list[RequestPlan]:
    """Schools' requests: some pending in the secretariat's queue, some accepted (an event), some declined."""
    requests = []
    for k in range(count):
        school, province, city, contact, topic, audience, fmt = REQUEST_SCHOOLS[k % len(REQUEST_SCHOOLS)]
        first = rng.randint(20, 60)
        requests.append(RequestPlan(
            school=school, province=province, city=city, contact_name=contact, phone=f"137{k + 1:08d}",
            topic=topic, audience=audience, audience_size=rng.choice([40, 60, 80, 150]), format=fmt,
            days_ahead=[first, first + 7], note=rng.choice(["", "学校可提供实训车间和多媒体教室。", "希望能安排实操环节。"]),
            decision=REQUEST_DECISIONS[k % len(REQUEST_DECISIONS)],
        ))
        if requests[-1].decision == "declined":
            requests[-1].decline_reason = REQUEST_DECLINE_REASON
    return requests


SERVICE_DAY_STATES = (("held", -20), ("held", -50), ("planned", 14), ("planned", 35), ("cancelled", 8))


def _service_days(rng: random.Random, plan: Plan, count: int) -> list[ServiceDayPlan]:
    """Service days at chemical parks: held ones with the questions the plants brought (most answered on the spot,
    one of the first day's turned into a draft challenge of the demo enterprise), planned ones, a cancelled one."""
    verified = [e for e in plan.enterprises if e.verified]
    demo = verified[0]
    days = []
    for k in range(count):
        venue, province, city = SERVICE_VENUES[k % len(SERVICE_VENUES)]
        status, offset = SERVICE_DAY_STATES[k % len(SERVICE_DAY_STATES)]
        local = [e for e in plan.experts if e.province == province and e.honours] or plan.experts
        experts = rng.sample(local, k=min(len(local), rng.randint(2, 3)))
        nearby = [e for e in verified if e.province == province and e is not demo] or verified[1:]
        enterprises = ([demo] if k == 0 else []) + rng.sample(nearby, k=min(len(nearby), 2))
        day = ServiceDayPlan(
            title=f"劳模工匠助企行·{venue}专场", venue=venue, province=province, city=city, days_from_now=offset,
            description="劳模工匠走进园区，与企业技术人员面对面，现场诊断生产难题、解答技术问题。",
            status=status, experts=[(e.name, e.employer) for e in experts],
            enterprise_codes=[e.credit_code for e in enterprises],
        )
        if status == "held":
            for n, enterprise in enumerate(enterprises):
                topic, description, category = SERVICE_QUESTIONS[(k * 3 + n) % len(SERVICE_QUESTIONS)]
                solved = n > 0 or k > 0  # the demo enterprise's question of the first day needs more than a day
                day.questions.append(QuestionPlan(
                    enterprise_code=enterprise.credit_code, topic=topic, description=description, category=category,
                    solved_on_site=solved, workers_trained=rng.randint(5, 30) if solved else 0,
                    answered_by=day.experts[n % len(day.experts)] if solved else None,
                    converted=not solved and k == 0,
                ))
            day.summary = (f"{len(experts)}位劳模工匠为{len(enterprises)}家企业现场解答问题{len(day.questions)}个，"
                           "现场解决的问题已形成处置要点发给企业，未解决的转为企业需求继续跟进。")
        if status == "cancelled":
            day.cancel_reason = "园区安排停车大检修，活动顺延，另行通知。"
        days.append(day)
    return days


# The states the demo `enterprise` account's own challenges show, one at least of each (README: "challenges in
# every state"); closed ones are published, then closed by their enterprise.
DEMO_ENTERPRISE_STATES = ("draft", "open", "paired", "resolved", "closed")


def _give_the_demo_enterprise_every_state(plan: Plan) -> None:
    """The demo enterprise (seed_demo signs the `enterprise` account in as the first verified one) takes over,
    for each state it lacks, the first other verified enterprise's challenge planned in that state; a closed one
    is the first open one it takes over. Totals per state stay as generated, but for that one closed."""
    demo = next(e for e in plan.enterprises if e.verified)
    verified = {e.credit_code for e in plan.enterprises if e.verified}
    mine = [c for c in plan.challenges if c.enterprise_code == demo.credit_code]
    for state in DEMO_ENTERPRISE_STATES:
        if any(c.status == state for c in mine):
            continue
        wanted = "open" if state == "closed" else state
        taken = next(c for c in plan.challenges if c.status == wanted and c.enterprise_code != demo.credit_code
                     and c.enterprise_code in verified
                     and all(c.title != m.title for m in mine))
        taken.enterprise_code, taken.status = demo.credit_code, state
        mine.append(taken)
