/* The pages a visitor expects of a public service, linked from every page's footer: who runs
 * it and how to reach them (/about), the privacy notice (/privacy), the cookie note (/cookies)
 * and the accessibility statement that Swedish and Norwegian public bodies must publish
 * (/accessibility: tillgänglighetsredogörelse, tilgjengelighetserklæring).
 *
 * Who runs an installation is a setting of that installation, read from the environment when
 * the server starts: GRANSLOS_OPERATOR (a name) and GRANSLOS_CONTACT (an e-mail address). Where
 * they are not set the pages say so plainly instead of inventing an operator. */
#include <stdlib.h>
#include <string.h>
#include "core/buf.h"
#include "core/util.h"
#include "html/html.h"
#include "i18n/i18n.h"
#include "site/site.h"

/* the operator and contact of this installation; static strings from the environment, read once,
 * never freed (they live as long as the process) */
static const char *operator_name(void) {
    const char *o = getenv("GRANSLOS_OPERATOR");
    return o && *o && utf8_valid(o, strlen(o)) ? o : NULL;
}
static const char *contact_address(void) {
    const char *c = getenv("GRANSLOS_CONTACT");
    if (!c || !*c || strlen(c) > 254 || !strchr(c, '@')) return NULL;
    for (const char *p = c; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == '"' || *p == '<' || *p == '>' || *p == '\\') return NULL;
    return c;
}

/* one section: a heading and its paragraphs (msgids, NULL-terminated); CONTACT in place of a
 * paragraph draws who runs the installation and how to reach them (contact_block) */
typedef struct {
    const char *heading;
    const char *paras[6];
} info_section_t;
static const char CONTACT[] = "";

static void contact_block(req_t *r);
static void info_nav(req_t *r, const char *here);

/* info_page: a whole page of this file: its title, its sections, and the links between the pages */
static void info_page(req_t *r, const char *title, const char *here, const info_section_t *s, size_t n) {
    page_begin(r, title);
    bprintf(&r->out, "<div class=\"narrow\"><h1>%h</h1>", title);
    for (size_t i = 0; i < n; i++) {
        if (s[i].heading) bprintf(&r->out, "<h2>%h</h2>", T(r, s[i].heading));
        for (int k = 0; k < 6 && s[i].paras[k]; k++) {
            if (s[i].paras[k] == CONTACT) contact_block(r);
            else bprintf(&r->out, "<p>%h</p>", T(r, s[i].paras[k]));
        }
    }
    info_nav(r, here);
    buf_puts(&r->out, "</div>");
    page_end(r);
}

/* who runs the service and how to reach them: a paragraph every page here ends with */
static void contact_block(req_t *r) {
    const char *op = operator_name(), *mail = contact_address();
    if (op) bprintf(&r->out, "<p>%h <strong>%h</strong>.</p>", T(r, "This installation of Gränslös is run by"), op);
    else bprintf(&r->out, "<p>%h</p>", T(r, "This installation has not named who runs it yet (the setting GRANSLOS_OPERATOR)."));
    if (mail) bprintf(&r->out, "<p>%h <a href=\"mailto:%h\">%h</a></p>", T(r, "Contact:"), mail, mail);
    else bprintf(&r->out, "<p>%h</p>", T(r, "No contact address has been set for this installation (the setting GRANSLOS_CONTACT); an organisation's profile has its own way to make contact."));
}

static void info_nav(req_t *r, const char *here) {
    static const char *const links[][2] = {{"/about", N_("About the service")}, {"/privacy", N_("Privacy")},
                                           {"/cookies", N_("Cookies")}, {"/accessibility", N_("Accessibility")},
                                           {"/about/data", N_("About the data")}};
    bprintf(&r->out, "<nav class=\"info-pages\" aria-label=\"%h\"><ul>", T(r, "About the service"));
    for (size_t i = 0; i < sizeof links / sizeof *links; i++) {
        if (!strcmp(links[i][0], here)) bprintf(&r->out, "<li><span aria-current=\"page\">%h</span></li>", T(r, links[i][1]));
        else bprintf(&r->out, "<li><a href=\"%h\">%h</a></li>", links[i][0], T(r, links[i][1]));
    }
    buf_puts(&r->out, "</ul></nav>");
}

void site_about(req_t *r) {
    static const info_section_t s[] = {
        {NULL, {N_("Gränslös is a meeting place for organisations on both sides of the border between Sweden and Norway: clusters, companies, municipalities, regions and research. Here they find partners on the other side, plan activities together without planning the same thing at the same time, follow up what their conferences decide and report the border obstacles that stand in the way."),
                N_("It grew out of the conference Mötesplats Vision in Karlstad in 2022, whose tables asked for one common platform over the border.")}},
        {N_("Who runs it"),
         {CONTACT, N_("Each organisation's record belongs to the organisation: its administrators keep it up to date, and every change is kept in its history.")}},
    };
    info_page(r, T(r, "About the service"), "/about", s, sizeof s / sizeof *s);
}

void site_privacy(req_t *r) {
    static const info_section_t s[] = {
        {NULL, {N_("This notice says which personal data Gränslös keeps, why, for how long, and what you can do about it. It follows the EU General Data Protection Regulation (GDPR), which applies in Sweden and, through the EEA Agreement, in Norway.")}},
        {N_("What we keep"),
         {N_("For an account: your e-mail address, your name, a one-way hash of your password (never the password itself), your language and the organisations you belong to."),
          N_("While you use the service: a session, for as long as you stay logged in, and the address your requests come from, briefly, to stop attempts to guess passwords."),
          N_("What you write yourself: records of organisations, events, border obstacles, answers at roundtables and their history of changes, with your name as the one who made each change."),
          N_("Organisations' records describe organisations, not people. A contact person is shown only with that person's consent.")}},
        {N_("Why"),
         {N_("To give you the account you asked for (GDPR article 6(1)(b)), and to keep the service safe and its records trustworthy, which is a legitimate interest (article 6(1)(f)). Nothing is sold, and nothing is used for advertising.")}},
        {N_("How long"),
         {N_("Your account is kept until you delete it. Sessions end when you log out or after a period without use. When you delete your account, your e-mail address, your name and the addresses your requests came from are removed; what you changed in organisations' records stays, without your name.")}},
        {N_("Your rights"),
         {N_("You can download everything the service holds about you from your account page (a JSON file), correct your name and e-mail there, and delete your account. You can also ask us for access, correction, restriction or erasure, or object to the processing, through the contact below."),
          N_("You may complain to the data protection authority: Integritetsskyddsmyndigheten (IMY) in Sweden, Datatilsynet in Norway.")}},
        {N_("Who is responsible"), {N_("The controller of the personal data is whoever runs this installation:"), CONTACT}},
    };
    info_page(r, T(r, "Privacy"), "/privacy", s, sizeof s / sizeof *s);
}

void site_cookies(req_t *r) {
    static const info_section_t s[] = {
        {NULL, {N_("Gränslös uses only the cookies the service needs to work. There are no cookies for statistics, advertising or tracking, and none from anyone else, which is why we do not ask you to accept cookies.")}},
        {N_("The cookies"),
         {N_("sid: keeps you logged in; set when you log in, removed when you log out or the session ends."),
          N_("csrf: a random token that makes sure a form you send was sent from this site; kept for a day."),
          N_("lang: the language you chose, Swedish, Norwegian or English; kept for a year."),
          N_("flash: a short message after an action, such as \"saved\"; removed as soon as it has been shown, at the latest after a minute.")}},
        {N_("Your choice"),
         {N_("You can block or delete cookies in your browser. The directory, the calendar, the obstacles and the reports still work without them; logging in does not.")}},
    };
    info_page(r, T(r, "Cookies"), "/cookies", s, sizeof s / sizeof *s);
}

void site_accessibility(req_t *r) {
    static const info_section_t s[] = {
        {NULL, {N_("We want as many people as possible to be able to use Gränslös, on a computer and on a phone, with a keyboard, a screen reader or magnification. This statement describes how Gränslös meets the requirements of the Web Accessibility Directive (EU 2016/2102), as it applies in Sweden (lagen om tillgänglighet till digital offentlig service) and in Norway (forskrift om universell utforming av IKT-løsninger), which refer to the standard EN 301 549 and WCAG 2.1 level AA.")}},
        {N_("How accessible the service is"),
         {N_("Gränslös partially meets WCAG 2.1 level AA. The parts that do not yet comply are listed below.")}},
        {N_("What is not accessible yet"),
         {N_("Some text shown in another language than the page, such as a Norwegian organisation's description on a Swedish page, is not yet always marked with its language, so a screen reader may read it with the wrong pronunciation (WCAG 3.1.2)."),
          N_("The map of organisations is a picture; what it shows is also given as text and as a table."),
          N_("Where an organisation is asked for by its number (inviting an organisation, naming co-organisers or table hosts), a choice by name is still being built.")}},
        {N_("How we test"),
         {N_("Every page the automated browser tests visit is checked against WCAG 2.1 A and AA with axe-core, on a desktop and on a phone, in Swedish, Norwegian and English, together with tests of keyboard use and a check that no page scrolls sideways on a 320 pixel wide screen. The statement was made by our own assessment and was last reviewed on 1 December 2026.")}},
        {N_("Tell us about a problem"),
         {N_("If something in Gränslös does not work for you, or you need content in another format, tell us through the contact below, and say which page it is.")}},
        {N_("Enforcement"),
         {N_("If you are not satisfied with our answer, you can tell the supervisory authority: in Sweden Myndigheten för digital förvaltning (DIGG), in Norway Tilsynet for universell utforming av ikt (Uutilsynet) at Digitaliseringsdirektoratet.")}},
        {N_("Contact"), {CONTACT}},
    };
    info_page(r, T(r, "Accessibility statement"), "/accessibility", s, sizeof s / sizeof *s);
}
