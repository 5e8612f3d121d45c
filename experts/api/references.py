"""How the other REST features show and take the 劳模工匠库's objects: brief serializers (a skill, an expert
in a list of another feature) and the skill reference field of every input that takes skills. Here, next to
the features that own them, so the ground's REST plumbing imports no app."""
from rest_framework import serializers

from ..models import Skill


class SkillBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    category = serializers.CharField(read_only=True)


class ExpertBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class SkillReferenceField(serializers.PrimaryKeyRelatedField):
    """A skill given by id; used by every input that takes skills."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Skill.objects.all())
        super().__init__(**kwargs)
