/* What the projects' page files share (pages.c, write.c): the project form, read back from a
 * post, and the parts of the project page a frozen submitted version shows too. */
#ifndef PROJECTS_VIEWS_H
#define PROJECTS_VIEWS_H
#include "projects/projects.h"

/* proj_form: the fields of one section (NULL: identification, description and the partners we
 * look for; created: the new project's form, identification only). */
void proj_form(req_t *r, const char *action, json_t *o, json_t *errors, bool created, const proj_section_t *sec);
/* proj_form_doc: the posted fields of proj_form as the document's input (caller owns it). */
json_t *proj_form_doc(req_t *r, json_t *base);
/* proj_application_html: the application as read (identification, partners, description, work
 * plan, indicators, budget) of the document o, its totals t (NULL: the rate is missing for
 * missing) and checklist c (NULL: not shown). */
void proj_application_html(req_t *r, json_t *o, json_t *t, const char *missing, json_t *c);
const char *proj_title_of(req_t *r, json_t *o);
/* proj_over: a copy of base with in's members over it (in is taken over; arena-owned): an edit
 * form's input, so the form shown again after an error has the whole document. */
json_t *proj_over(req_t *r, json_t *base, json_t *in);
/* proj_history_html: a list of doc_history's versions (who, when, which fields). */
void proj_history_html(req_t *r, json_t *h);
/* proj_field_error: the error of a field (if any) as a paragraph; proj_fieldset_end the same,
 * then the fieldset closed. */
void proj_field_error(req_t *r, json_t *errors, const char *field);
void proj_fieldset_end(req_t *r, json_t *errors, const char *field);
/* proj_period_label: "Period 2 (2027-03 – 2027-08)" (dates from the planned start), or
 * "Preparation" / "Closure" for those strings; proj_periods_html: the project's reporting
 * periods as a table (months and dates), in a div with the id given. */
const char *proj_period_label(req_t *r, json_t *o, json_t *period);
void proj_periods_html(req_t *r, json_t *o, const char *id);
/* proj_day_text: a date (YYYY-MM-DD) or a UTC time as the day written in the user's language. */
const char *proj_day_text(req_t *r, const char *s);
#endif
