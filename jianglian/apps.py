from django.apps import AppConfig


class JianglianConfig(AppConfig):
    name = "jianglian"
    verbose_name = "匠联 Jianglian"
