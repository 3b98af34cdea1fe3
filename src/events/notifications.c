/* Marking notifications read (issue 11): a GET of /notifications only shows them; the page's
 * "Mark all as read" form posts here, so a link, a prefetch or an image cannot change state. */
#include "events/events.h"
#include "html/html.h"
#include "i18n/i18n.h"

static void jfree(void *p) { json_decref(p); }

/* event_notifications_read_form: the form, when some of ns are unread */
void event_notifications_read_form(req_t *r, json_t *ns, const char *csrf) {
    size_t i;
    json_t *v;
    bool unread = false;
    json_array_foreach(ns, i, v) if (!json_is_true(json_object_get(v, "read"))) unread = true;
    if (!unread) return;
    (void)csrf; /* the request's token: form_button writes it */
    form_button(r, "/notifications", NULL, 0, "secondary", T(r, "Mark all as read"));
}

/* event_notifications_read_post: POST /notifications marks every notification of the user read */
void event_notifications_read_post(req_t *r) {
    json_t *ns = event_notifications_for(db_get(), r->arena, r->user->id, r->lang, true);
    if (!ns) { resp_error(r, 500, "db", T(r, "This could not be saved. Nothing was changed.")); return; }
    arena_on_free(r->arena, jfree, ns);
    resp_redirect(r, "/notifications");
}
