/* The route table: every URL the platform answers, in one place.
 * {id} matches a positive integer (r->id[n]); {x} any one path segment (r->arg[n]).
 * Flags: R_LOGIN needs a user, R_ADMIN a platform admin, R_CSRF a form's CSRF token,
 * R_API JSON errors and bearer-token auth, R_CACHE visitors' page cache (see http/http.h). */
#include "account/account.h"
#include "admin/admin.h"
#include "events/events.h"
#include "http/http.h"
#include "obstacles/obstacles.h"
#include "org/org.h"
#include "roundtables/roundtables.h"
#include "site/site.h"

const route_t routes[] = {
    {"GET", "/", org_home_page, R_CACHE},
    {"GET", "/healthz", site_healthz, 0},
    {"GET", "/metrics", site_metrics, 0},
    {"GET", "/static/{file}", site_static, 0},
    {"GET", "/about/data", site_about_data, 0},
    {"GET", "/about", site_about, R_CACHE},
    {"GET", "/privacy", site_privacy, R_CACHE},
    {"GET", "/cookies", site_cookies, R_CACHE},
    {"GET", "/accessibility", site_accessibility, R_CACHE},
    {"GET", "/lang/{code}", lang_switch, 0},

    /* accounts */
    {"GET", "/register", account_register_page, 0},
    {"POST", "/register", account_register_post, R_CSRF},
    {"GET", "/login", account_login_page, 0},
    {"POST", "/login", account_login_post, R_CSRF},
    {"POST", "/logout", account_logout_post, R_LOGIN | R_CSRF},
    {"GET", "/account", account_page, R_LOGIN},
    {"POST", "/account", account_post, R_LOGIN | R_CSRF},
    {"POST", "/account/password", account_password_post, R_LOGIN | R_CSRF},
    {"GET", "/account/export", account_export, R_LOGIN},
    {"POST", "/account/delete", account_delete_post, R_LOGIN | R_CSRF},
    {"GET", "/register/sent", account_register_sent_page, 0},
    {"GET", "/register/confirm", account_register_confirm_page, 0},
    {"POST", "/register/confirm", account_register_confirm_post, R_CSRF},
    {"GET", "/password/forgot", account_forgot_page, 0},
    {"POST", "/password/forgot", account_forgot_post, R_CSRF},
    {"GET", "/password/reset", account_reset_page, 0},
    {"POST", "/password/reset", account_reset_post, R_CSRF},
    {"POST", "/account/email", account_email_post, R_LOGIN | R_CSRF},
    {"GET", "/account/email/confirm", account_email_confirm_page, 0},
    {"POST", "/account/email/confirm", account_email_confirm_post, R_CSRF},
    {"POST", "/account/tokens", account_token_create_post, R_LOGIN | R_CSRF},
    {"POST", "/account/tokens/{id}/revoke", account_token_revoke_post, R_LOGIN | R_CSRF},
    {"POST", "/account/sessions/{id}/end", account_session_end_post, R_LOGIN | R_CSRF},
    {"GET", "/api/v1/account/tokens", account_api_tokens, R_API | R_LOGIN},
    {"DELETE", "/api/v1/account/tokens/{id}", account_api_token_revoke, R_API | R_LOGIN},

    /* organisations */
    {"GET", "/search", search_page, R_CACHE},
    {"GET", "/organisations", org_directory_page, R_CACHE},
    {"GET", "/welcome", org_welcome_page, R_LOGIN}, /* a new account's first step: find, claim or join, or add the organisation */
    {"GET", "/organisations/new", org_new_page, R_LOGIN},
    {"POST", "/organisations/new", org_create_post, R_LOGIN | R_CSRF},
    {"GET", "/organisations/{id}", org_profile_page, R_CACHE},
    {"GET", "/organisations/{id}/partners", org_partners_page, R_CACHE},
    {"GET", "/partners", partners_page, R_CACHE},
    {"GET", "/organisations/{id}/edit", org_edit_page, R_LOGIN},
    {"POST", "/organisations/{id}/edit", org_edit_post, R_LOGIN | R_CSRF},
    {"GET", "/organisations/{id}/history", org_history_page, R_LOGIN},
    {"POST", "/organisations/{id}/revert", org_revert_post, R_LOGIN | R_CSRF},
    {"POST", "/organisations/{id}/join", org_join_post, R_LOGIN | R_CSRF},
    {"GET", "/organisations/{id}/members", org_members_page, R_LOGIN},
    {"POST", "/organisations/{id}/members", org_members_post, R_LOGIN | R_CSRF},
    {"POST", "/organisations/{id}/claim", org_claim_post, R_LOGIN | R_CSRF},        /* issue 12: nobody administers it yet */
    {"GET", "/organisations/{id}/contact", org_contact_page, R_LOGIN},
    {"POST", "/organisations/{id}/contact", org_contact_post, R_LOGIN | R_CSRF},
    {"POST", "/organisations/{id}/networks", org_networks_answer_post, R_LOGIN | R_CSRF}, /* a cluster accepts or refuses a claimed member */

    /* border obstacles (src/obstacles/) */
    {"GET", "/obstacles", obs_list_page, R_CACHE},
    {"GET", "/obstacles.atom", obs_feed, 0}, /* not cached: its links name the Host asked for */
    {"GET", "/obstacles/new", obs_new_page, R_LOGIN},
    {"POST", "/obstacles/new", obs_create_post, R_LOGIN | R_CSRF},
    {"GET", "/obstacles/{id}", obs_page, R_CACHE},
    {"GET", "/obstacles/{id}/status.atom", obs_status_feed, 0},
    {"GET", "/obstacles/{id}/edit", obs_edit_page, R_LOGIN},
    {"POST", "/obstacles/{id}/edit", obs_edit_post, R_LOGIN | R_CSRF},
    {"GET", "/obstacles/{id}/status", obs_status_page, R_LOGIN},
    {"POST", "/obstacles/{id}/status", obs_status_post, R_LOGIN | R_CSRF},
    {"POST", "/obstacles/{id}/affected", obs_affected_post, R_LOGIN | R_CSRF},
    {"POST", "/admin/obstacle-desk", obs_desk_post, R_ADMIN | R_CSRF},
    {"GET", "/api/v1/obstacles", obs_api_list, R_API},
    {"POST", "/api/v1/obstacles", obs_api_create, R_API | R_LOGIN},
    {"GET", "/api/v1/obstacles/{id}", obs_api_get, R_API},
    {"PATCH", "/api/v1/obstacles/{id}", obs_api_patch, R_API | R_LOGIN},
    {"POST", "/api/v1/obstacles/{id}/status", obs_api_status, R_API | R_LOGIN},
    {"POST", "/api/v1/obstacles/{id}/affected", obs_api_affected_add, R_API | R_LOGIN},
    {"DELETE", "/api/v1/obstacles/{id}/affected", obs_api_affected_remove, R_API | R_LOGIN},
    /* events: the shared calendar, the coordination board, registration, invitations, feeds */
    {"GET", "/events", event_calendar_page, 0},
    {"GET", "/events/board", event_board_page, 0},
    {"GET", "/events/new", event_new_page, R_LOGIN},
    {"GET", "/events/import", event_import_page, R_LOGIN},
    {"POST", "/events/import", event_import_post, R_LOGIN | R_CSRF},
    {"POST", "/events/new", event_create_post, R_LOGIN | R_CSRF},
    {"GET", "/events/{id}", event_page, 0},
    {"GET", "/events/{id}/edit", event_edit_page, R_LOGIN},
    {"POST", "/events/{id}/edit", event_edit_post, R_LOGIN | R_CSRF},
    {"POST", "/events/{id}/cancel", event_cancel_post, R_LOGIN | R_CSRF},
    {"POST", "/events/{id}/register", event_register_post, R_LOGIN | R_CSRF},
    {"POST", "/events/{id}/unregister", event_unregister_post, R_LOGIN | R_CSRF},
    {"GET", "/events/{id}/participants.csv", event_participants_csv_get, R_LOGIN},
    {"POST", "/events/{id}/invite", event_invite_post, R_LOGIN | R_CSRF},
    {"POST", "/events/{id}/organisers", event_organiser_answer_post, R_LOGIN | R_CSRF}, /* a named organisation confirms or declines */
    {"GET", "/events/{id}/meetings", event_meetings_page, R_LOGIN},
    {"POST", "/events/{id}/meetings/setup", event_meetings_setup_post, R_LOGIN | R_CSRF},
    {"POST", "/events/{id}/meetings/profile", event_meetings_profile_post, R_LOGIN | R_CSRF},
    {"POST", "/events/{id}/meetings/request", event_meetings_request_post, R_LOGIN | R_CSRF},
    {"POST", "/events/{id}/meetings/schedule", event_meetings_schedule_post, R_LOGIN | R_CSRF},
    {"POST", "/meetings/{id}/answer", event_meeting_answer_post, R_LOGIN | R_CSRF},
    {"GET", "/events/{id}/agenda", event_agenda_page, R_LOGIN},
    {"GET", "/events/{id}/agenda.ics", event_agenda_ics, R_LOGIN},
    /* roundtables, the report and the action plan (src/roundtables/) */
    {"GET", "/events/{id}/roundtables", rt_event_page, 0},
    {"POST", "/events/{id}/roundtables", rt_event_post, R_LOGIN | R_CSRF},
    {"POST", "/events/{id}/roundtables/new", rt_table_new_post, R_LOGIN | R_CSRF},
    {"GET", "/events/{id}/report", rt_report_page, 0},
    {"GET", "/events/{id}/report.md", rt_report_md, 0},
    {"GET", "/roundtables/{id}", rt_table_page, 0},
    {"POST", "/roundtables/{id}/bullets", rt_table_bullet_post, R_LOGIN | R_CSRF},
    {"GET", "/roundtables/{id}/qr.svg", rt_table_qr, R_LOGIN},
    {"POST", "/bullets/{id}", rt_bullet_post, R_LOGIN | R_CSRF},
    {"GET", "/t/{x}", rt_link_page, 0},
    {"POST", "/t/{x}", rt_link_post, R_CSRF},
    {"GET", "/actions/{id}", rt_action_page, 0},
    {"POST", "/actions/{id}", rt_action_post, R_LOGIN | R_CSRF},
    {"POST", "/roundtables/{id}/hosts", rt_hosts_answer_post, R_LOGIN | R_CSRF},  /* a named host organisation confirms or declines */
    {"POST", "/actions/{id}/owners", rt_owners_answer_post, R_LOGIN | R_CSRF},    /* a named owner confirms or declines */
    {"GET", "/series/{id}/followup", rt_followup_page, 0},
    {"GET", "/events/{x}", event_file_get, 0},                 /* /events/N.ics */
    {"POST", "/invitations/{id}/answer", event_answer_post, R_LOGIN | R_CSRF},
    {"GET", "/notifications", event_notifications_page, R_LOGIN},
    {"POST", "/notifications", event_notifications_read_post, R_LOGIN | R_CSRF}, /* mark all read: never on GET */
    {"GET", "/calendar.ics", event_calendar_ics, 0},
    {"GET", "/events.atom", event_atom, 0},

    /* administration */
    {"GET", "/admin", admin_page, R_ADMIN},
    {"POST", "/admin/themes", admin_theme_post, R_ADMIN | R_CSRF},
    {"POST", "/admin/claims", org_claim_decide_post, R_ADMIN | R_CSRF}, /* the moderators' queue of claims */

    /* JSON API */
    {"GET", "/api/v1/search", search_api, R_API},
    {"GET", "/api/v1/lookup/organisations", org_lookup_api, R_API}, /* the type-ahead */
    {"GET", "/api/v1/lookup/industries", org_industry_lookup_api, R_API},
    {"GET", "/api/v1/organisations", org_api_list, R_API},
    {"POST", "/api/v1/organisations", org_api_create, R_API | R_LOGIN},
    {"GET", "/api/v1/organisations/{id}", org_api_get, R_API},
    {"PATCH", "/api/v1/organisations/{id}", org_api_patch, R_API | R_LOGIN},
    {"GET", "/api/v1/organisations/{id}/history", org_api_history, R_API | R_LOGIN},
    {"POST", "/api/v1/organisations/{id}/revert", org_api_revert, R_API | R_LOGIN},
    {"GET", "/api/v1/organisations/{id}/matches", org_api_matches, R_API},
    {"GET", "/api/v1/matches", org_api_matches, R_API},
    /* events API */
    {"GET", "/api/v1/events", event_api_list, R_API},
    {"POST", "/api/v1/events", event_api_create, R_API | R_LOGIN},
    {"GET", "/api/v1/events/clashes", event_api_clashes, R_API},
    {"GET", "/api/v1/events/{id}", event_api_get, R_API},
    {"PATCH", "/api/v1/events/{id}", event_api_patch, R_API | R_LOGIN},
    {"POST", "/api/v1/events/{id}/cancel", event_api_cancel, R_API | R_LOGIN},
    {"GET", "/api/v1/events/{id}/history", event_api_history, R_API | R_LOGIN},
    {"POST", "/api/v1/events/{id}/registrations", event_api_register, R_API | R_LOGIN},
    {"DELETE", "/api/v1/events/{id}/registrations", event_api_unregister, R_API | R_LOGIN},
    {"GET", "/api/v1/events/{id}/registrations", event_api_participants, R_API | R_LOGIN},
    {"POST", "/api/v1/events/{id}/invitations", event_api_invite, R_API | R_LOGIN},
    {"GET", "/api/v1/events/{id}/invitations", event_api_invitations, R_API | R_LOGIN},
    {"POST", "/api/v1/events/{id}/organisers", event_api_organiser_answer, R_API | R_LOGIN},
    {"POST", "/api/v1/invitations/{id}", event_api_answer, R_API | R_LOGIN},
    {"GET", "/api/v1/notifications", event_api_notifications, R_API | R_LOGIN},
    {"POST", "/api/v1/events/{id}/meetings/setup", event_api_meetings_setup, R_API | R_LOGIN},
    {"POST", "/api/v1/events/{id}/meetings/profile", event_api_meetings_profile, R_API | R_LOGIN},
    {"GET", "/api/v1/events/{id}/meetings/profiles", event_api_meetings_profiles, R_API | R_LOGIN},
    {"POST", "/api/v1/events/{id}/meetings", event_api_meetings_request, R_API | R_LOGIN},
    {"POST", "/api/v1/events/{id}/meetings/schedule", event_api_meetings_schedule, R_API | R_LOGIN},
    {"POST", "/api/v1/meetings/{id}", event_api_meeting_answer, R_API | R_LOGIN},
    {"GET", "/api/v1/events/{id}/agenda", event_api_agenda, R_API | R_LOGIN},
    /* roundtables API (src/roundtables/api.c) */
    {"GET", "/api/v1/events/{id}/roundtables", rt_api_event_get, R_API},
    {"PATCH", "/api/v1/events/{id}/roundtables", rt_api_event_patch, R_API | R_LOGIN},
    {"POST", "/api/v1/events/{id}/roundtables", rt_api_table_create, R_API | R_LOGIN},
    {"GET", "/api/v1/events/{id}/report", rt_api_report, R_API},
    {"GET", "/api/v1/events/{id}/report.md", rt_api_report_md, R_API},
    {"GET", "/api/v1/roundtables/{id}", rt_api_table_get, R_API},
    {"PATCH", "/api/v1/roundtables/{id}", rt_api_table_patch, R_API | R_LOGIN},
    {"DELETE", "/api/v1/roundtables/{id}", rt_api_table_delete, R_API | R_LOGIN},
    {"POST", "/api/v1/roundtables/{id}/bullets", rt_api_bullet_create, R_API},  /* hosts, or the short link's token */
    {"GET", "/api/v1/bullets/{id}", rt_api_bullet_get, R_API},
    {"PATCH", "/api/v1/bullets/{id}", rt_api_bullet_patch, R_API | R_LOGIN},
    {"POST", "/api/v1/bullets/{id}/merge", rt_api_bullet_merge, R_API | R_LOGIN},
    {"POST", "/api/v1/bullets/{id}/action", rt_api_action_create, R_API | R_LOGIN},
    {"POST", "/api/v1/questions/{id}/order", rt_api_question_order, R_API | R_LOGIN},
    {"GET", "/api/v1/actions/{id}", rt_api_action_get, R_API},
    {"PATCH", "/api/v1/actions/{id}", rt_api_action_patch, R_API | R_LOGIN},
    {"GET", "/api/v1/series/{id}/followup", rt_api_followup, R_API},
    {"POST", "/api/v1/roundtables/{id}/hosts", rt_api_hosts_answer, R_API | R_LOGIN},
    {"POST", "/api/v1/actions/{id}/owners", rt_api_owners_answer, R_API | R_LOGIN},
    {0, 0, 0, 0},
};
