/* granslos: the command line. serve, demo, user, token, backup.
 * Every subcommand that touches the store takes --db PATH (or GRANSLOS_DB) in any position. */
#include <errno.h>
#include <getopt.h>
#include <sodium.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "account/account.h"
#include "account/auth.h"
#include "html/html.h"
#include "http/csrf.h"
#include "core/util.h"
#include "db/db.h"
#include "db/feed.h"
#include "events/events.h"
#include "http/http.h"
#include "http/proxy.h"
#include "importers/bolagsverket.h"
#include "importers/brreg.h"
#include "importers/demo.h"
#include "roundtables/roundtables.h"
#include "org/match.h"
#include "org/org.h"
#include "projects/projects.h"
#include "ref/ref.h"
#include "notify/notify.h"
#include "search/bench.h"
#include "translate/translate.h"

static const char *usage_main =
    "Usage: granslos COMMAND [OPTIONS]\n\n"
    "Gränslös, the cross-border innovation platform for Sweden and Norway.\n\n"
    "Commands:\n"
    "  serve [--listen HOST:PORT] [--threads N]   serve the platform (default 127.0.0.1:8080)\n"
    "  demo                                       load the demo data (idempotent)\n"
    "  migrate                                    apply the store's migrations and exit\n"
    "  user add EMAIL --name NAME [--admin]       create a user; password from stdin, or generated\n"
    "  token add EMAIL [--name NAME] [--days N]   print a new API bearer token for that user (expires in N days, default 90)\n"
    "  token list EMAIL                           list the user's tokens: id, state, created, expires, last used, name\n"
    "  token revoke ID... | --all EMAIL           revoke tokens by id, or every token of a user\n"
    "  backup DEST                                copy the store (SQLite's online backup, or pg_dump)\n"
    "  migrate-store SQLITE_PATH postgres://…     move a SQLite store into an empty PostgreSQL store, compared\n"
    "  checksum                                   print every table's row count and checksum\n"
    "  import brreg FILE                          import Enhetsregisteret (CSV or JSON, plain or gzip)\n"
    "  import bolagsverket FILE                   import Bolagsverket's bulk file (plain or gzip)\n"
    "  import ics FILE --org ID                   import an iCalendar file into an organisation's events\n"
    "  import report FILE [--event ID|--org ID]   import a conference report into an event's roundtables\n"
    "  bench search [--orgs N] [--queries N] [--seed S]   the search engine against SQLite FTS5\n"
    "  digest [--dry-run] [--at UTC]              make the daily and weekly digests due now (--dry-run: print them)\n"
    "  bench digest [--orgs N]                    the weekly digests with their matching for N generated organisations\n"
    "  bench events                               clash detection and meeting scheduling benchmarks\n"
    "  bench match [--needs FILE] [--part P]      matchmaking and search on the judged needs (data/bench/needs.tsv)\n"
    "  routes                                     print the route table (method, path, policy flags) as TSV\n\n"
    "Options for every command that uses the store:\n"
    "  --db PATH     the SQLite database (default var/granslos.db; env GRANSLOS_DB), or a\n"
    "                PostgreSQL store: postgres://USER@HOST:PORT/DBNAME (docs/operations.md)\n"
    "  --help        describe the command\n\n"
    "Environment: GRANSLOS_DB, GRANSLOS_LISTEN.\n";

static const struct { const char *cmd, *help; } helps[] = {
    {"serve", "Usage: granslos serve [--db PATH] [--listen HOST:PORT] [--threads N] [--smtp URL [--mail-from ADDR]] [LIMITS]\n\n"
              "Serve the web pages and the JSON API. Creates and migrates the database if needed.\n"
              "  --listen HOST:PORT  address to listen on (default 127.0.0.1:8080; env GRANSLOS_LISTEN)\n"
              "  --threads N         worker threads (default: the number of cores)\n"
              "  --smtp URL          deliver notifications by e-mail (smtp:// or smtps://user:password@host:port);\n"
              "                      off by default: notifications are then only listed in the app\n"
              "  --mail-from ADDR    the sender address of those e-mails (default granslos@localhost)\n"
              "  --db PATH           database file (default var/granslos.db; env GRANSLOS_DB)\n"
              "LIMITS and deployment (docs/operations.md):\n"
              "  --header-timeout S  seconds a request's line and headers may take in all (default 10)\n"
              "  --body-timeout S    seconds its body may take after the headers (default 60)\n"
              "  --max-connections N open connections in all (default 16384, at most the open-file limit)\n"
              "  --max-per-ip N      open connections from one address (default 2048)\n"
              "  --secure-cookies    the site is served over HTTPS: cookies get Secure, links https\n"
              "                      (env GRANSLOS_SECURE_COOKIES=1)\n"
              "  --metrics-token T   GET /metrics wants T as its HTTP Basic password (env GRANSLOS_METRICS_TOKEN);\n"
              "                      without it /metrics answers only on loopback, not through a proxy\n"
              "  --trust-proxy ADDR[,ADDR...]  reverse proxies whose X-Forwarded-For / Forwarded header names the\n"
              "                      client (the right-most address not in this list); that address then counts\n"
              "                      for rate limits, logs and the per-address limit. From anyone else the headers\n"
              "                      are ignored\n"
              "SIGINT or SIGTERM stop it cleanly: requests in flight finish, the database is closed.\n"},
    {"demo", "Usage: granslos demo [--db PATH]\n\nLoad the demo organisations. Running it again adds nothing twice.\n"},
    {"migrate", "Usage: granslos migrate [--db PATH]\n\nApply the migrations the store has not had yet, and exit (serve does it too).\n"},
    {"user", "Usage: granslos user add EMAIL --name NAME [--admin] [--db PATH]\n\n"
             "Create a user. The password is read from the first line of standard input; when standard\n"
             "input is a terminal or empty, a random password is generated and printed.\n"
             "  --admin   make the user a platform administrator\n"},
    {"token", "Usage: granslos token add EMAIL [--name NAME] [--days N] [--db PATH]\n"
              "       granslos token list EMAIL [--db PATH]\n"
              "       granslos token revoke ID... [--db PATH]\n"
              "       granslos token revoke --all EMAIL [--db PATH]\n\n"
              "add: print a new API bearer token for the user; only its hash is stored. It expires after N\n"
              "days (default 90, at most 3650). Users can also make, list and revoke tokens on their account\n"
              "page; changing or resetting the password revokes them unless the user chooses otherwise.\n"
              "list: the user's tokens with their ids. revoke: end tokens at once.\n"},
    {"bench", "Usage: granslos bench events\n"
              "       granslos bench projects\n"
              "       granslos bench search [--orgs N] [--queries N] [--seed S] [--no-fts5] [--keep-db PATH] [--show-slow MS]\n\n"
              "events: clash detection over 100 000 events (on a temporary database) and the 1:1 meeting\n"
              "scheduler (2 000 meetings, 500 participants, 10 slots x 50 tables).\n"
              "search: the search engine against SQLite FTS5 on a generated directory (default 2.5 million\n"
              "organisations, 700 queries), with the exhaustive scorer's top 20 as the check.\n"
              "projects: the budget totals and the eligibility checklist of a project with 50 partners and\n"
              "300 budget lines each, recomputed; the median in ms (fails above 20 ms).\n"
              "See docs/performance.md.\n"},
    {"routes", "Usage: granslos routes\n\nPrint the route table, one route a line: METHOD TAB PATH TAB FLAGS (login, admin, csrf,\n"
               "api, cache joined by commas, or -). tests/http/authz.test.mjs checks that every route has its rows\n"
               "in tests/http/authz-matrix.tsv.\n"},
    {"backup", "Usage: granslos backup DEST [--db PATH]\n\nCopy the database to DEST with SQLite's online backup API; safe while the server runs.\nOn PostgreSQL: pg_dump --format=custom (restore with pg_restore).\n"},
    {"migrate-store", "Usage: granslos migrate-store SQLITE_PATH postgres://USER@HOST:PORT/DBNAME\n\n"
                      "Move an installation from SQLite to PostgreSQL. The target is migrated first, then every table\n"
                      "is copied in one transaction (ids, versions and rowids kept; sequences continue after the\n"
                      "largest id), and the row counts and checksums of every table are compared and printed. Only\n"
                      "when all match is the copy committed. The source is read in one snapshot: stop the server\n"
                      "(or its writes) first, or what is written meanwhile stays behind.\n"
                      "Exit status: 0 moved and compared; 1 failed or differed (nothing copied); 2 wrong arguments;\n"
                      "3 the target is not empty (nothing copied). See docs/operations.md.\n"},
    {"checksum", "Usage: granslos checksum [--db PATH]\n\n"
                 "Print every table's row count and checksum (SHA-256 of each row's canonical text, summed;\n"
                 "independent of row order), from one snapshot: two stores with the same data print the same\n"
                 "lines (PostgreSQL's rowid columns aside). Compare a restored backup with its original.\n"},
    {"import", "Usage: granslos import brreg FILE [--db PATH]\n"
               "       granslos import rates FILE [YYYY-MM] [--db PATH]\n"
               "       granslos import keep FILE [--db PATH]\n"
               "       granslos import bolagsverket FILE [--db PATH]\n\n"
               "brreg: Brønnøysundregistrene's Enhetsregisteret, the CSV or the JSON array as published by\n"
               "data.brreg.no, plain or gzip.\n"
               "bolagsverket: Bolagsverket's bulk file of Swedish organisations (the text file inside the\n"
               "published zip, plain or gzip). Sole traders are not imported; the kommun is the postal code's.\n\n"
               "Organisations are matched by organisation number; for those whose members have taken the\n"
               "record in hand only the register's facts are refreshed (name, municipality, industry codes,\n"
               "employees, deregistration). Bad rows are reported and skipped.\n\n"
               "Usage: granslos import ics FILE --org ID [--db PATH]\n\n"
               "Import the events of an iCalendar file (RFC 5545) into organisation ID's events. Events are\n"
               "matched by UID: importing the same feed again updates them. All or nothing: a file over 4 MiB,\n"
               "with more than 2000 events, invalid UTF-8, nesting deeper than 8 levels, an event without UID\n"
               "or with invalid times is refused with the reason, and nothing is saved.\n\n"
               "Usage: granslos import report FILE [--event ID | --org ID] [--db PATH]\n\n"
               "Import a conference report in the shape of Mötesplats Vision's (an introduction, then for\n"
               "each table a line \"Värd: <hosts>\", question lines and bullet lines \" • text\"; or the\n"
               "Markdown /events/ID/report.md gives) into an event's roundtables, its bullets approved, and\n"
               "print the event's id. With --event ID the tables are added to that event; without it a new\n"
               "past event is created, organised by --org ID or else by the hosts the report names that are\n"
               "organisations of the directory (by exact name; none found is refused: name one with --org),\n"
               "in the first organiser's municipality, titled by the first\n"
               "heading-like paragraph, on the first date the introduction names (\"15 mars 2022\"), else\n"
               "on the day before the import (09:00-16:00). All or nothing: a file that does not parse is\n"
               "refused with the line and the reason, and nothing is saved.\n\n"
               "rates: the Commission's monthly exchange rates for SEK and NOK, from the ECB monthly CSV\n"
               "(month,eur_sek_avg,eur_nok_avg,eur_sek_penultimate_prev_month,eur_nok_penultimate_prev_month,...;\n"
               "a month's rate is the ECB rate of the penultimate working day of the month before) or the\n"
               "InforEuro JSON ([{\"isoA3Code\": \"SEK\", \"value\": 11.1}, ...]) of the month given. All or nothing.\n\n"
               "keep: keep.eu's export of Interreg 2014-20 projects (Programme,Acronym,Project Name,...) or of\n"
               "their partners (Programme,Acronym,Project Partner,Lead Partner,...): the track record shown on\n"
               "/organisations/ID/projects, matched by the organisation's name. Replaces the previous import of\n"
               "that kind; all or nothing.\n"},
};

static int usage_error(const char *fmt, const char *arg) {
    fprintf(stderr, "granslos: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'granslos --help'.\n");
    return 2;
}

static int print_help(const char *cmd) {
    for (size_t i = 0; cmd && i < sizeof helps / sizeof *helps; i++)
        if (!strcmp(cmd, helps[i].cmd)) { fputs(helps[i].help, stdout); return 0; }
    fputs(usage_main, stdout);
    return 0;
}

/* print_routes: granslos routes, the route table as TSV (see its help text) */
static int print_routes(int npos) {
    if (npos != 1) return usage_error("%s", "routes takes no argument");
    static const struct { int flag; const char *name; } names[] = {
        {R_LOGIN, "login"}, {R_ADMIN, "admin"}, {R_CSRF, "csrf"}, {R_API, "api"}, {R_CACHE, "cache"}};
    for (const route_t *rt = routes; rt->method; rt++) {
        printf("%s\t%s\t", rt->method, rt->pattern);
        int k = 0;
        for (size_t i = 0; i < sizeof names / sizeof *names; i++)
            if (rt->flags & names[i].flag) printf("%s%s", k++ ? "," : "", names[i].name);
        puts(k ? "" : "-");
    }
    return 0;
}

/* import_ics: granslos import ics FILE --org ID (see the help text) */
static int import_ics(db_t *db, const char *path, long long org) {
    if (!org) return usage_error("%s", "import ics needs --org ID");
    if (!org_exists(db, org)) { fprintf(stderr, "granslos: there is no organisation %lld\n", org); return 1; }
    FILE *f = fopen(path, "rb");
    if (!f) { fprintf(stderr, "granslos: cannot open %s: %s\n", path, strerror(errno)); return 1; }
    struct stat sb;
    if (fstat(fileno(f), &sb) || sb.st_size > ICS_MAX_BYTES) {
        fclose(f);
        fprintf(stderr, "granslos: %s: the file is larger than 4 MiB; nothing imported\n", path);
        return 1;
    }
    char *text = xmalloc((size_t)sb.st_size + 1);
    size_t n = fread(text, 1, (size_t)sb.st_size, f);
    fclose(f);
    text[n] = 0;
    ics_stats_t st;
    char err[600];
    bool ok = event_import_ics(db, text, n, org, 0, &st, err, sizeof err, "en");
    free(text);
    if (!ok) { fprintf(stderr, "granslos: %s: %s; nothing imported\n", path, err); return 1; }
    printf("%d events: %d created, %d updated, %d unchanged, %d skipped\n", st.events, st.created, st.updated, st.unchanged, st.skipped);
    return 0;
}

static bool ensure_parent(const char *path) {
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path) return true;
    char dir[4096];
    snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    if (mkdir(dir, 0755) && errno != EEXIST) { fprintf(stderr, "granslos: cannot create %s: %s\n", dir, strerror(errno)); return false; }
    return true;
}

/* bell_count: html's hook for the unread count of the page header's bell */
static int bell_count(int64_t user_id) { return notify_unread(db_get(), user_id); }

int main(int argc, char **argv) {
    setenv("TZ", "Europe/Stockholm", 1);
    tzset();
    if (sodium_init() < 0) { fprintf(stderr, "granslos: libsodium failed to start\n"); return 1; }
    /* the search benchmark takes its own options */
    if (argc >= 3 && !strcmp(argv[1], "bench") && !strcmp(argv[2], "search")) return search_bench_main(argc - 3, argv + 3);
    if (argc >= 3 && !strcmp(argv[1], "bench") && !strcmp(argv[2], "match")) return org_match_bench_main(argc - 3, argv + 3);
    if (argc >= 3 && !strcmp(argv[1], "bench") && !strcmp(argv[2], "digest")) { ref_init(); return notify_bench_main(argc - 3, argv + 3); }
    if (argc >= 2 && !strcmp(argv[1], "digest")) { ref_init(); notify_init(); proj_notices_init(); return notify_digest_main(argc - 1, argv + 1); }
    /* pull out the options every command shares */
    const char *db_path = getenv("GRANSLOS_DB");
    const char *listen = getenv("GRANSLOS_LISTEN");
    const char *name = NULL;
    long long org_opt = 0, event_opt = 0;
    const char *smtp = NULL, *mail_from = NULL;
    bool help = false, admin = false, all_opt = false;
    long long days_opt = 0;
    long long threads = 0;
    /* serve's limits and deployment settings (http/http.h server_opts_t) */
    long long header_timeout = 0, body_timeout = 0, max_conns = 0, max_per_ip = 0;
    const char *metrics_token = getenv("GRANSLOS_METRICS_TOKEN");
    const char *secure_env = getenv("GRANSLOS_SECURE_COOKIES");
    bool secure_cookies = secure_env && !strcmp(secure_env, "1"), serve_only = false;
    char *pos[8];
    int npos = 0;
    enum { O_DB = 256, O_LISTEN, O_NAME, O_SMTP, O_MAIL_FROM, O_ORG, O_EVENT, O_THREADS, O_ADMIN, O_ALL, O_DAYS,
           O_SECURE, O_METRICS_TOKEN, O_HEADER_TIMEOUT, O_BODY_TIMEOUT, O_MAX_CONNS, O_MAX_PER_IP, O_TRUST_PROXY };
    static const struct option longopts[] = {
        {"help", no_argument, NULL, 'h'},          {"admin", no_argument, NULL, O_ADMIN},
        {"db", required_argument, NULL, O_DB},     {"listen", required_argument, NULL, O_LISTEN},
        {"name", required_argument, NULL, O_NAME}, {"smtp", required_argument, NULL, O_SMTP},
        {"mail-from", required_argument, NULL, O_MAIL_FROM}, {"org", required_argument, NULL, O_ORG},
        {"event", required_argument, NULL, O_EVENT}, {"threads", required_argument, NULL, O_THREADS},
        {"all", no_argument, NULL, O_ALL},         {"days", required_argument, NULL, O_DAYS},
        {"secure-cookies", no_argument, NULL, O_SECURE}, {"metrics-token", required_argument, NULL, O_METRICS_TOKEN},
        {"header-timeout", required_argument, NULL, O_HEADER_TIMEOUT}, {"body-timeout", required_argument, NULL, O_BODY_TIMEOUT},
        {"max-connections", required_argument, NULL, O_MAX_CONNS}, {"max-per-ip", required_argument, NULL, O_MAX_PER_IP},
        {"trust-proxy", required_argument, NULL, O_TRUST_PROXY},
        {NULL, 0, NULL, 0},
    };
    /* serve's numeric limits, in the order of their O_ values from O_HEADER_TIMEOUT */
    const struct limit { long long min, max, *v; const char *name, *msg; } limits[] = {
        {1, 600, &header_timeout, "--header-timeout", "%s needs a number from 1 to 600"},
        {1, 3600, &body_timeout, "--body-timeout", "%s needs a number from 1 to 3600"},
        {16, 1000000, &max_conns, "--max-connections", "%s needs a number from 16 to 1000000"},
        {1, 1000000, &max_per_ip, "--max-per-ip", "%s needs a number from 1 to 1000000"},
    };
    opterr = 0;  /* our own messages; options may stand anywhere (GNU getopt permutes) */
    for (int c; (c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1;) {
        const char *opt = argv[optind - 1];
        switch (c) {
        case 'h': help = true; break;
        case O_ADMIN: admin = true; break;
        case O_ALL: all_opt = true; break;
        case O_DAYS:
            if (!parse_int(optarg, 1, 3650, &days_opt)) return usage_error("%s needs a number of days from 1 to 3650", "--days");
            break;
        case O_DB: db_path = optarg; break;
        case O_LISTEN: listen = optarg; break;
        case O_NAME: name = optarg; break;
        case O_SMTP: smtp = optarg; break;
        case O_MAIL_FROM: mail_from = optarg; break;
        case O_ORG:
            if (!parse_int(optarg, 1, INT64_MAX, &org_opt)) return usage_error("%s needs an organisation id", "--org");
            break;
        case O_EVENT:
            if (!parse_int(optarg, 1, INT64_MAX, &event_opt)) return usage_error("%s needs an event id", "--event");
            break;
        case O_THREADS:
            if (!parse_int(optarg, 1, 256, &threads)) return usage_error("%s needs a number from 1 to 256", "--threads");
            break;
        case O_SECURE: secure_cookies = serve_only = true; break;
        case O_METRICS_TOKEN:
            if (!*optarg) return usage_error("%s needs a value", "--metrics-token");
            metrics_token = optarg;
            serve_only = true;
            break;
        case O_HEADER_TIMEOUT: case O_BODY_TIMEOUT: case O_MAX_CONNS: case O_MAX_PER_IP: {
            const struct limit *l = &limits[c - O_HEADER_TIMEOUT];
            if (!parse_int(optarg, l->min, l->max, l->v)) return usage_error(l->msg, l->name);
            serve_only = true;
            break;
        }
        case O_TRUST_PROXY: {
            char bad[80];
            if (!*optarg) return usage_error("%s needs ADDR[,ADDR...]", "--trust-proxy");
            if (!proxy_init(optarg, bad, sizeof bad)) {
                fprintf(stderr, "granslos: --trust-proxy: not an IPv4 or IPv6 address: %s\n", bad);
                return 2;
            }
            serve_only = true;
            break;
        }
        case ':': return usage_error("%s needs a value", opt);
        default: return usage_error("unknown option %s", opt);
        }
    }
    for (int i = optind; i < argc; i++) {
        if (npos == 8) return usage_error("too many arguments (%s)", argv[i]);
        pos[npos++] = argv[i];
    }
    const char *cmd = npos ? pos[0] : NULL;
    if (help || !cmd) {
        print_help(cmd);
        return cmd || help ? 0 : 2;
    }
    if (!strcmp(cmd, "routes")) return print_routes(npos);
    if (!db_path || !*db_path) db_path = "var/granslos.db";
    if (!listen || !*listen) listen = "127.0.0.1:8080";
    bool known = false;
    for (size_t i = 0; i < sizeof helps / sizeof *helps; i++) if (!strcmp(cmd, helps[i].cmd)) known = true;
    if (!known) return usage_error("unknown command %s", cmd);
    if (!strcmp(cmd, "serve") && npos != 1) return usage_error("serve takes no argument (%s)", pos[1]);
    if (org_opt && strcmp(cmd, "import")) return usage_error("that option does not belong to %s", cmd);
    if (event_opt && (strcmp(cmd, "import") || npos < 2 || strcmp(pos[1], "report"))) return usage_error("that option does not belong to %s", cmd);
    if ((smtp || mail_from || serve_only) && strcmp(cmd, "serve")) return usage_error("that option does not belong to %s", cmd);
    if (smtp && strncmp(smtp, "smtp://", 7) && strncmp(smtp, "smtps://", 8)) return usage_error("--smtp wants smtp:// or smtps:// (%s)", smtp);
    if ((days_opt || all_opt) && strcmp(cmd, "token")) return usage_error("that option does not belong to %s", cmd);
    if (strcmp(cmd, "serve") && (name || threads || admin) && strcmp(cmd, "user") && !(strcmp(cmd, "token") == 0 && name && !threads && !admin))
        return usage_error("that option does not belong to %s", cmd);
    if (!strcmp(cmd, "bench")) {
        if (npos != 2 || (strcmp(pos[1], "events") && strcmp(pos[1], "projects")))
            return usage_error("%s", "usage: granslos bench events | bench projects | bench search [OPTIONS]");
        ref_init();
        return !strcmp(pos[1], "projects") ? proj_bench(stdout) : event_bench(stdout);
    }
    if (!strcmp(cmd, "migrate-store")) {
        if (npos != 3) return usage_error("%s", "usage: granslos migrate-store SQLITE_PATH postgres://…");
        return db_migrate_store(pos[1], pos[2], stdout, stderr);
    }
    if (!db_is_url(db_path) && !ensure_parent(db_path)) return 1;
    ref_init();
    if (!strcmp(cmd, "serve")) {
        /* the stop signals are the main thread's (server_run's sigwait): block them before any
         * thread starts (the Apertium loader, the index helper, the translator), so that every
         * thread inherits the mask and a SIGTERM during start-up still ends the server cleanly */
        sigset_t stop_signals;
        sigemptyset(&stop_signals);
        sigaddset(&stop_signals, SIGINT);
        sigaddset(&stop_signals, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
        if (!db_global_init(db_path)) return 1;
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        int n = org_index_all(db_get());
        notify_init();                        /* followers hear of saves (after the index: saved searches ask it) */
        proj_notices_init();                  /* projects tell invitations, statuses, deadlines (through notify) */
        clock_gettime(CLOCK_MONOTONIC, &t1);
        /* machine translations of members' texts (translate/): its worker re-indexes what it
         * translates, so it starts only once the bulk build (single-threaded) is done */
        translate_start();
        log_msg("search index: %d organisations in %.0f ms", n,
                (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
        long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
        server_opts_t o = {listen, threads ? (int)threads : (ncpu > 0 ? (int)ncpu : 2), (int)header_timeout, (int)body_timeout,
                           (int)max_conns, (int)max_per_ip, secure_cookies, metrics_token};
        if (smtp && !event_mailer_start(db_path, smtp, mail_from)) { fprintf(stderr, "granslos: cannot start the mail sender\n"); return 1; }
        http_who = auth_resolve;              /* the transport's hooks (http/csrf.h) */
        http_error_page = html_error_page;
        html_unread = bell_count;             /* the page header's bell (html/html.h) */
        /* the change feed: what other nodes (or processes on this SQLite file) change reaches
         * this node's index and page cache (db/feed.h) */
        if (!feed_start()) { fprintf(stderr, "granslos: cannot start the change feed\n"); return 1; }
        int src = server_run(&o);
        feed_stop();
        if (smtp) event_mailer_stop();
        translate_stop();
        return src;
    }
    db_t *db = db_open(db_path);
    if (!db) return 1;
    int rc = 0;
    if (!strcmp(cmd, "migrate")) {
        if (npos != 1) rc = usage_error("migrate takes no argument (%s)", pos[1]); /* db_open migrated */
    } else if (!strcmp(cmd, "demo")) {
        if (npos != 1) { db_close(db); return usage_error("demo takes no argument (%s)", pos[1]); }
        int n = demo_load(db);
        int ne = n < 0 ? -1 : event_demo_load(db);
        int nr = ne < 0 ? -1 : rt_demo_load(db); /* roundtables: the seed report in the demo Mötesplats Vision 2022 */
        int np = nr < 0 ? -1 : proj_demo_load(db);
        if (n < 0 || ne < 0 || nr < 0 || np < 0) rc = 1;
        else printf("demo data: %d organisations added, %d events added\n", n, ne);
    } else if (!strcmp(cmd, "user")) {
        if (npos != 3 || strcmp(pos[1], "add")) rc = usage_error("%s", "usage: granslos user add EMAIL --name NAME [--admin]");
        else if (!name || !*name) rc = usage_error("%s", "user add needs --name NAME");
        else if (!email_valid(pos[2])) { fprintf(stderr, "granslos: not a valid e-mail address: %s\n", pos[2]); rc = 1; }
        else if (user_by_email(db, pos[2])) { fprintf(stderr, "granslos: a user with that e-mail exists already\n"); rc = 1; }
        else {
            arena_t *a = arena_new();
            char line[1100] = "";
            bool generated = false;
            if (isatty(0) || !fgets(line, sizeof line, stdin)) line[0] = 0;
            line[strcspn(line, "\r\n")] = 0;
            if (!line[0]) { snprintf(line, sizeof line, "%s", random_token(a)); generated = true; }
            const char *pp = generated ? NULL : password_problem(line, pos[2], name);
            if (name_problem(name)) { fprintf(stderr, "granslos: %s\n", name_problem(name)); rc = 1; }
            else if (pp) { fprintf(stderr, "granslos: %s\n", pp); rc = 1; }
            else {
                int64_t id = user_create(db, a, pos[2], name, line, admin);
                if (!id) rc = 1;
                else if (generated) printf("user %lld created; password: %s\n", (long long)id, line);
                else printf("user %lld created\n", (long long)id);
            }
            sodium_memzero(line, sizeof line);
            arena_free(a);
        }
    } else if (!strcmp(cmd, "token")) {
        rc = account_token_cli(db, npos, pos, name, days_opt, all_opt, stdout, stderr);
    } else if (!strcmp(cmd, "import")) {
        if (npos == 3 && !strcmp(pos[1], "keep")) {
            rc = proj_import_keep(db, pos[2], stdout, stderr);
        } else if ((npos == 3 || npos == 4) && !strcmp(pos[1], "rates")) {
            rc = proj_import_rates(db, pos[2], npos == 4 ? pos[3] : NULL, stdout, stderr);
        } else if (npos == 3 && !strcmp(pos[1], "ics")) {
            rc = import_ics(db, pos[2], org_opt);
        } else if (npos == 3 && !strcmp(pos[1], "report")) {
            rc = rt_import_file(db, pos[2], event_opt, org_opt, stdout, stderr);
        } else if (npos != 3 || (strcmp(pos[1], "brreg") && strcmp(pos[1], "bolagsverket")))
            rc = usage_error("%s", "usage: granslos import brreg|bolagsverket FILE | import ics FILE --org ID | import report FILE [--event ID|--org ID]");
        else {
            import_stats_t st;
            rc = !strcmp(pos[1], "brreg") ? import_brreg(db, pos[2], stderr, &st) : import_bolagsverket(db, pos[2], stderr, &st);
            printf("%lld rows: %lld inserted, %lld updated, %lld unchanged, %lld skipped\n", st.rows, st.inserted, st.updated,
                   st.unchanged, st.skipped);
        }
    } else if (!strcmp(cmd, "checksum")) {
        if (npos != 1) rc = usage_error("checksum takes no argument (%s)", pos[1]);
        else if (!db_checksums(db, stdout, stderr)) rc = 1;
    } else if (!strcmp(cmd, "backup")) {
        if (npos != 2) rc = usage_error("%s", "usage: granslos backup DEST");
        else if (!db_backup(db, pos[1])) rc = 1;
        else printf("backup written to %s\n", pos[1]);
    }
    db_close(db);
    return rc;
}
