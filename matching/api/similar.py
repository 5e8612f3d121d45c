"""REST of "has this been solved before?": GET /api/v1/challenges/{id}/similar/ (like a challenge the caller
may see) and GET /api/v1/challenges/similar/?title=&description= (like the text typed on the posting form, for
signed-in users). The most similar paired and resolved challenges with their public facts, outcome and solver.
The rule lives in matching.similar."""
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from enterprises.models import Challenge
from enterprises.selectors import challenge_list
from jianglian.api.schema import summary
from jianglian.api.serializers import StrictInputSerializer

from ..similar import DEFAULT_FIRST, MAX_DESCRIPTION_CHARS, MAX_FIRST, MAX_TITLE_CHARS, similar_challenges, similar_to_text


class SolverBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class SimilarChallengeSerializer(serializers.Serializer):
    """A paired or resolved challenge: only what is public about it, its outcome and who solved it."""

    id = serializers.IntegerField(source="challenge.pk", read_only=True)
    title = serializers.CharField(source="challenge.title", read_only=True)
    category = serializers.ChoiceField(source="challenge.category", choices=Challenge._meta.get_field("category").choices,
                                       read_only=True)
    category_label = serializers.CharField(source="challenge.get_category_display", read_only=True)
    status = serializers.CharField(source="challenge.status", read_only=True, help_text="paired | resolved")
    status_label = serializers.CharField(source="challenge.get_status_display", read_only=True)
    province = serializers.CharField(source="challenge.enterprise.province", read_only=True)
    province_label = serializers.CharField(source="challenge.enterprise.get_province_display", read_only=True)
    city = serializers.CharField(source="challenge.enterprise.city", read_only=True)
    problems_solved = serializers.IntegerField(read_only=True, allow_null=True, help_text="解决问题数 / problems solved")
    savings_yuan = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True, allow_null=True,
                                            help_text="节约金额（元） / yuan saved")
    rating = serializers.IntegerField(read_only=True, allow_null=True, help_text="企业评分 1–5 / the enterprise's rating")
    expert = SolverBriefSerializer(read_only=True, allow_null=True, help_text="结对的劳模工匠 / the expert who took it on")
    studio = SolverBriefSerializer(read_only=True, allow_null=True, help_text="其所在工作室 / the expert's studio")
    score = serializers.FloatField(read_only=True, help_text="相似度（BM25） / similarity (BM25)")


class SimilarFirstSerializer(StrictInputSerializer):
    first = serializers.IntegerField(required=False, min_value=0, default=DEFAULT_FIRST,
                                     help_text=f"最多返回条数（上限 {MAX_FIRST}） / at most this many (capped at {MAX_FIRST})")


class SimilarTextSerializer(SimilarFirstSerializer):
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=MAX_TITLE_CHARS)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=MAX_DESCRIPTION_CHARS)


def _params(request, serializer_class) -> dict:
    serializer = serializer_class(data={k: v for k, v in request.query_params.items() if v != "" or k != "first"})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class ChallengeSimilarView(generics.GenericAPIView):
    serializer_class = SimilarChallengeSerializer
    permission_classes = [IsAuthenticatedOrReadOnly]
    filter_backends = []
    pagination_class = None

    @extend_schema(
        summary=summary("与本需求相似、已结对或已解决的需求", "Paired and resolved challenges like this one"),
        description="“以前解决过吗？”：最相似的已结对、已解决需求，附成果（解决问题数、节约金额、评分）和结对的劳模工匠及其工作室；"
                    "只含公开信息（标题、类别、地区、成果数字、解决者）。 / \"Has this been solved before?\": the most similar "
                    "paired and resolved challenges, with their outcome figures and the expert (and studio) who solved "
                    "them; public facts only.",
        parameters=[SimilarFirstSerializer],
        responses={200: SimilarChallengeSerializer(many=True)},
        operation_id="list_challenges_similar_to_challenge",
    )
    def get(self, request, challenge_id):
        params = _params(request, SimilarFirstSerializer)
        challenge = get_object_or_404(challenge_list(user=request.user), pk=challenge_id)
        found = similar_challenges(user=request.user, challenge=challenge, first=params["first"])
        return Response(SimilarChallengeSerializer(found, many=True).data)


class TextSimilarView(generics.GenericAPIView):
    serializer_class = SimilarChallengeSerializer
    permission_classes = [IsAuthenticated]
    filter_backends = []
    pagination_class = None

    @extend_schema(
        summary=summary("与正在填写的需求相似、已结对或已解决的需求（发布表单）",
                        "Paired and resolved challenges like the text being typed (the posting form)"),
        description="输入标题和问题描述即可查询，供发布需求的表单在填写时提示。需登录。 / For the posting form, as the title and "
                    "description are typed. Signed-in users.",
        parameters=[SimilarTextSerializer],
        responses={200: SimilarChallengeSerializer(many=True)},
        operation_id="list_challenges_similar_to_text",
    )
    def get(self, request):
        params = _params(request, SimilarTextSerializer)
        found = similar_to_text(user=request.user, **params)
        return Response(SimilarChallengeSerializer(found, many=True).data)


urlpatterns = [
    path("challenges/similar/", TextSimilarView.as_view(), name="challenges-similar"),
    path("challenges/<int:challenge_id>/similar/", ChallengeSimilarView.as_view(), name="challenge-similar"),
]
