/* Page chrome and form helpers shared by every module's views.
 * All output goes to r->out; user text always through %h (see core/buf.h). */
#ifndef HTML_HTML_H
#define HTML_HTML_H
#include <jansson.h>
#include "http/http.h"

/* page_begin: doctype, head, header (brand, navigation, language switch), skip link, <main>. */
void page_begin(req_t *r, const char *title);
/* html_unread: the bell's unread count for a user, a hook set by main (notify/ sits above html/,
 * so html does not call it by name); NULL shows 0 */
extern int (*html_unread)(int64_t user_id);
void page_end(req_t *r);
/* page_lead: page_begin(title), then the title as <h1> and the lead paragraph (both text). */
void page_lead(req_t *r, const char *title, const char *lead);
/* list_open: for a JSON array shown as a list: "<p>empty</p>" and false when it has no items,
 * else "<ul class=…>" and true (the caller writes the items and "</ul>"). */
bool list_open(req_t *r, json_t *items, const char *ul_class, const char *empty);
void html_error_page(req_t *r, int status, const char *message);
/* flash: a notice shown at the top of the next page (cookie, one shot). */
void flash_set(req_t *r, const char *key);  /* key from the table in html.c */

/* Forms. `errors` is a JSON object {field: message} (may be NULL); a field with an error gets
 * aria-invalid and its message tied with aria-describedby. */
void form_open(req_t *r, const char *action);                /* POST + hidden csrf */
void form_close(req_t *r, const char *submit_label);
/* form_strings: every posted value of the field name, as a JSON array of strings (a new
 * reference); form_ids the same with each value that is a row id (a whole number from 1) as an
 * integer, the rest left as strings for the validation to refuse with its own message. */
json_t *form_strings(req_t *r, const char *name);
json_t *form_ids(req_t *r, const char *name);
/* form_label: name a field drawn by hand, for the error summary. */
void form_label(req_t *r, const char *name, const char *label);
void form_errors_summary(req_t *r, json_t *errors);
void field_text(req_t *r, const char *name, const char *label, const char *value, json_t *errors,
                const char *type, const char *hint, bool required);
/* field_input: field_text with an explicit autocomplete token ("email", "new-password", "name"...; NULL: none). */
void field_input(req_t *r, const char *name, const char *label, const char *value, json_t *errors,
                 const char *type, const char *hint, bool required, const char *autocomplete);
void field_textarea(req_t *r, const char *name, const char *label, const char *value, json_t *errors,
                    const char *hint);
typedef struct html_option { const char *value, *label; } option_t;
void field_select(req_t *r, const char *name, const char *label, const option_t *opts, int n, const char *value,
                  json_t *errors, bool allow_empty);
void field_checks(req_t *r, const char *name, const char *legend, const option_t *opts, int n,
                  const char *const *checked, int nchecked, json_t *errors);
/* form_button: a one-button POST form (class "inline") with its CSRF field and hidden fields
 * {name, value}; cls is the button's class (may be ""). */
void form_button(req_t *r, const char *action, const char *const (*hidden)[2], int nhidden, const char *cls, const char *label);
/* field_municipality: the municipality select, grouped by country and county (app.js shows the
 * chosen country's); required, or with a "none (online, or not decided)" choice. */
void field_municipality(req_t *r, const char *country, const char *value, json_t *errors, bool required);
/* pager: links to other pages of a list, keeping the current query string. */
void html_pager(req_t *r, long long total, int page, int per_page);
/* html_facet: a fieldset of checkboxes for one facet ([{"value","label","count"}] under key):
 * the thirty largest values and every chosen one, each with its count; current lists the chosen
 * values separated by commas (several choices: OR within the facet, AND across facets — the
 * handler's query). "SE-1780"-style municipality values submit the code alone. */
void html_facet(req_t *r, json_t *facets, const char *key, const char *legend, const char *current);
/* html_query_without: the request's query string as plain text for a URL, without `page` and
 * without parameter `name` (every value when value is NULL, else that one value; a value listing
 * several with commas becomes one parameter per value). name NULL: everything but the page. */
const char *html_query_without(req_t *r, const char *name, const char *value);
/* html_facet_chips: each chosen value of the facets named in keys (NULL-terminated; labels from
 * facets) as a chip — a link to this page without that one value. Returns how many. */
int html_facet_chips(req_t *r, json_t *facets, const char *const *keys);
/* facets_open/facets_close: the facets folded in a <details> ("Filters, N chosen"), open when a
 * filter is chosen (app.js also opens it on wide screens, where there is room). When no facet
 * between them had a value (a search that finds nothing) facets_close takes the box away. */
void facets_open(req_t *r, int chosen);
void facets_close(req_t *r);
/* field_pick: the one type-ahead (issue 12). A text input `name` where a name (or a number) is
 * typed, and a hidden `<name>_id`. With JavaScript app.js makes it an ARIA combobox fed by the
 * JSON endpoint `lookup` (GET ?q= answering {"items": [{id, name, label}]}) and sets the id;
 * without, the handler resolves the text (org_pick_resolve) and, when several match, shows the
 * form again with `choices` ([{id, name, label}]) as radio buttons named `<name>_id` — the
 * search-and-pick step — and the text kept. An empty `choices` with text: nothing matched. */
void field_pick(req_t *r, const char *name, const char *label, const char *lookup, const char *text, int64_t id,
                json_t *choices, json_t *errors, const char *hint, bool required);
/* field_pick_names: the same type-ahead for a list of names separated with commas (no id: the
 * handler resolves each name; a pick replaces the name being typed). */
void field_pick_names(req_t *r, const char *name, const char *label, const char *lookup, const char *text, json_t *errors,
                      const char *hint, bool required);
/* Content in another language than the page (WCAG 3.1.2): html_lang_note writes " (in Swedish)"
 * as a small note in the page's language, nothing when lang is the page's (or NULL);
 * html_lang_attr gives ` lang="sv"` markup for the content's element, "" when it is the page's. */
void html_lang_note(req_t *r, const char *lang);
const char *html_lang_attr(req_t *r, const char *lang);
/* error_text: the message for a field, or NULL. */
const char *error_text(json_t *errors, const char *field);
#endif
