"""Enumerations shared by every app, each label in zh-hans with its English form.

Labels are gettext_lazy strings written in Chinese (the source language);
the English translations live in locale/en.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    TECHNOLOGY = "technology", _("科技创新")
    MANAGEMENT = "management", _("管理创新")
    GREEN = "green", _("绿色发展")


class Industry(models.TextChoices):
    CHEMICAL = "chemical", _("化工")
    PHARMACEUTICAL = "pharmaceutical", _("医药")


class Honour(models.TextChoices):
    NATIONAL_MODEL_WORKER = "national_model_worker", _("全国劳动模范")
    NATIONAL_MAY_DAY_MEDAL = "national_may_day_medal", _("全国五一劳动奖章")
    GREAT_CRAFTSMAN = "great_craftsman", _("大国工匠")
    NATIONAL_TECHNICAL_EXPERT = "national_technical_expert", _("全国技术能手")
    PROVINCIAL_MODEL_WORKER = "provincial_model_worker", _("省部级劳动模范")
    PROVINCIAL_MAY_DAY_MEDAL = "provincial_may_day_medal", _("省五一劳动奖章")
    PROVINCIAL_CRAFTSMAN = "provincial_craftsman", _("省级工匠")
    INDUSTRY_CRAFTSMAN = "industry_craftsman", _("行业工匠")
    CHINA_SKILLS_AWARD = "china_skills_award", _("中华技能大奖")


class Province(models.TextChoices):
    BEIJING = "beijing", _("北京")
    TIANJIN = "tianjin", _("天津")
    HEBEI = "hebei", _("河北")
    SHANXI = "shanxi", _("山西")
    INNER_MONGOLIA = "inner_mongolia", _("内蒙古")
    LIAONING = "liaoning", _("辽宁")
    JILIN = "jilin", _("吉林")
    HEILONGJIANG = "heilongjiang", _("黑龙江")
    SHANGHAI = "shanghai", _("上海")
    JIANGSU = "jiangsu", _("江苏")
    ZHEJIANG = "zhejiang", _("浙江")
    ANHUI = "anhui", _("安徽")
    FUJIAN = "fujian", _("福建")
    JIANGXI = "jiangxi", _("江西")
    SHANDONG = "shandong", _("山东")
    HENAN = "henan", _("河南")
    HUBEI = "hubei", _("湖北")
    HUNAN = "hunan", _("湖南")
    GUANGDONG = "guangdong", _("广东")
    GUANGXI = "guangxi", _("广西")
    HAINAN = "hainan", _("海南")
    CHONGQING = "chongqing", _("重庆")
    SICHUAN = "sichuan", _("四川")
    GUIZHOU = "guizhou", _("贵州")
    YUNNAN = "yunnan", _("云南")
    TIBET = "tibet", _("西藏")
    SHAANXI = "shaanxi", _("陕西")
    GANSU = "gansu", _("甘肃")
    QINGHAI = "qinghai", _("青海")
    NINGXIA = "ningxia", _("宁夏")
    XINJIANG = "xinjiang", _("新疆")
    HONG_KONG = "hong_kong", _("香港")
    MACAO = "macao", _("澳门")
    TAIWAN = "taiwan", _("台湾")

    @classmethod
    def from_chinese(cls, text):
        """The province whose Chinese name starts `text` (四川省 → SICHUAN), or None."""
        text = (text or "").strip()
        for member in cls:
            if text.startswith(str(member.label)):
                return member
        return None


PROVINCE_ENGLISH = {
    "beijing": "Beijing", "tianjin": "Tianjin", "hebei": "Hebei", "shanxi": "Shanxi",
    "inner_mongolia": "Inner Mongolia", "liaoning": "Liaoning", "jilin": "Jilin",
    "heilongjiang": "Heilongjiang", "shanghai": "Shanghai", "jiangsu": "Jiangsu",
    "zhejiang": "Zhejiang", "anhui": "Anhui", "fujian": "Fujian", "jiangxi": "Jiangxi",
    "shandong": "Shandong", "henan": "Henan", "hubei": "Hubei", "hunan": "Hunan",
    "guangdong": "Guangdong", "guangxi": "Guangxi", "hainan": "Hainan", "chongqing": "Chongqing",
    "sichuan": "Sichuan", "guizhou": "Guizhou", "yunnan": "Yunnan", "tibet": "Tibet",
    "shaanxi": "Shaanxi", "gansu": "Gansu", "qinghai": "Qinghai", "ningxia": "Ningxia",
    "xinjiang": "Xinjiang", "hong_kong": "Hong Kong", "macao": "Macao", "taiwan": "Taiwan",
}
