"""The web pages. Registered last in jianglian/urls.py with path("", include("frontend_stub.urls"))."""
from django.urls import path

from .views import accounts, enterprise, expert, imports, notifications, pairings, public, reports, secretariat, taxonomy

app_name = "web"

urlpatterns = [
    # public
    path("", public.home, name="home"),
    path("batches/", public.batches, name="batches"),
    path("experts/", public.experts, name="experts"),
    path("experts/<int:pk>/", public.expert_detail, name="expert"),
    path("studios/", public.studios, name="studios"),
    path("studios/<int:pk>/", public.studio_detail, name="studio"),
    path("skills/suggest/", public.skill_suggestions, name="skill_suggestions"),
    # accounts
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", accounts.LogoutView.as_view(), name="logout"),
    path("accounts/password/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/signup/enterprise/", accounts.signup_enterprise, name="signup_enterprise"),
    path("accounts/signup/expert/", accounts.signup_expert, name="signup_expert"),
    path("me/", accounts.my_home, name="my_home"),
    # the inbox, notification settings, the short links SMS carry
    path("me/notifications/", notifications.notification_list, name="notifications"),
    path("me/notifications/read/", notifications.notifications_mark_read, name="notifications_mark_read"),
    path("me/notifications/settings/", notifications.notification_settings, name="notification_settings"),
    path("me/notifications/<int:pk>/", notifications.notification_open, name="notification_open"),
    path("s/<str:code>/", notifications.short_link, name="short_link"),
    # enterprise
    path("me/challenges/", enterprise.my_challenges, name="my_challenges"),
    path("challenges/new/", enterprise.challenge_new, name="challenge_new"),
    path("challenges/<int:pk>/", enterprise.challenge_detail, name="challenge"),
    path("challenges/<int:pk>/edit/", enterprise.challenge_edit, name="challenge_edit"),
    path("challenges/<int:pk>/publish/", enterprise.challenge_publish_view, name="challenge_publish"),
    path("challenges/<int:pk>/close/", enterprise.challenge_close_view, name="challenge_close"),
    path("challenges/<int:pk>/matches/refresh/", enterprise.challenge_matches_refresh,
         name="challenge_matches_refresh"),
    path("challenges/<int:pk>/invite/<int:expert_pk>/", pairings.invite, name="invite"),
    # pairings (both sides)
    path("me/agreements/", pairings.my_agreements, name="my_agreements"),
    path("pairings/<int:pk>/", pairings.pairing_detail, name="pairing"),
    path("pairings/<int:pk>/print/", pairings.pairing_print, name="pairing_print"),
    path("pairings/<int:pk>/pdf/", pairings.pairing_pdf, name="pairing_pdf"),
    path("pairings/<int:pk>/complete/", pairings.pairing_complete, name="pairing_complete"),
    path("pairings/<int:pk>/<slug:action>/", pairings.pairing_action, name="pairing_action"),
    # expert
    path("me/invitations/", pairings.my_invitations, name="my_invitations"),
    path("me/open-challenges/", expert.open_challenges, name="expert_open_challenges"),
    path("me/events/", expert.my_events, name="my_events"),
    path("me/events/<int:pk>/<str:answer>/", expert.event_respond_view, name="event_respond"),
    path("me/profile/", expert.profile, name="expert_profile"),
    # secretariat
    path("secretariat/", secretariat.dashboard, name="secretariat"),
    path("secretariat/applications/<int:pk>/<str:decision>/", secretariat.review_application,
         name="review_application"),
    path("secretariat/batches/publish/", secretariat.publish_batch, name="publish_batch"),
    path("secretariat/enterprises/<int:pk>/verify/", secretariat.verify_enterprise, name="verify_enterprise"),
    path("secretariat/enterprises/<int:pk>/verify-group/", secretariat.verify_enterprise_group,
         name="verify_enterprise_group"),
    path("secretariat/experts/<int:pk>/claim-link/", secretariat.expert_claim_link, name="expert_claim_link"),
    path("secretariat/report/", reports.report_page, name="campaign_report"),
    path("secretariat/imports/", imports.imports, name="roster_imports"),
    path("secretariat/imports/<uuid:token>/", imports.import_detail, name="roster_import"),
    path("secretariat/imports/<uuid:token>/progress/", imports.import_progress, name="roster_import_progress"),
    path("secretariat/imports/<uuid:token>/confirm/", imports.import_confirm, name="roster_import_confirm"),
    path("secretariat/imports/<slug:kind>/template/", imports.import_template, name="roster_import_template"),
    path("secretariat/taxonomy/", taxonomy.taxonomy, name="taxonomy"),
    path("secretariat/taxonomy/<int:pk>/", taxonomy.taxonomy_skill, name="taxonomy_skill"),
]
