"""How the other REST features show a studio: its brief serializer (an expert's studio, a batch's member
studios, an application's studio). Here, next to the features that own it, so the ground's REST plumbing
imports no app (and experts' and alliance's features, which show each other, import no feature module of
the other)."""
from rest_framework import serializers


class StudioBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
