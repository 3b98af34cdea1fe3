/* The command line's token commands: granslos token add|list|revoke (see main.c's help). */
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include "account/account.h"
#include "account/auth.h"
#include "core/util.h"

static int usage(FILE *err) {
    fprintf(err, "granslos: usage: granslos token add EMAIL [--name NAME] [--days N] | token list EMAIL | token revoke ID... | token revoke --all EMAIL\n"
                 "Try 'granslos --help'.\n");
    return 2;
}

static int64_t user_of(db_t *db, const char *email, FILE *err) {
    int64_t uid = user_by_email(db, email);
    if (!uid) fprintf(err, "granslos: no user with e-mail %s\n", email);
    return uid;
}

int account_token_cli(db_t *db, int npos, char **pos, const char *name, long long days, bool all, FILE *out, FILE *err) {
    if (npos < 2) return usage(err);
    const char *sub = pos[1];
    if ((days || name) && strcmp(sub, "add")) return usage(err);
    if (all && strcmp(sub, "revoke")) return usage(err);
    arena_t *a = arena_new();
    int rc = 0;
    if (!strcmp(sub, "add") && npos == 3) {
        int64_t uid = user_of(db, pos[2], err);
        char *tok = uid ? api_token_create(db, a, uid, name, (int)days) : NULL;
        if (tok) fprintf(out, "%s\n", tok);
        else rc = 1;
    } else if (!strcmp(sub, "list") && npos == 3) {
        int64_t uid = user_of(db, pos[2], err);
        if (!uid) rc = 1;
        else {
            json_t *l = api_tokens_list(db, a, uid);
            size_t i;
            json_t *t;
            fprintf(out, "%-6s %-8s %-20s %-20s %-20s %s\n", "ID", "STATE", "CREATED", "EXPIRES", "LAST USED", "NAME");
            json_array_foreach(l, i, t) {
                const char *exp = json_string_value(json_object_get(t, "expires_at"));
                const char *used = json_string_value(json_object_get(t, "last_used"));
                const char *nm = json_string_value(json_object_get(t, "name"));
                fprintf(out, "%-6lld %-8s %-20s %-20s %-20s %s\n", (long long)json_integer_value(json_object_get(t, "id")),
                        json_string_value(json_object_get(t, "state")), json_string_value(json_object_get(t, "created_at")),
                        exp ? exp : "never", used ? used : "-", nm ? nm : "");
            }
            json_decref(l);
        }
    } else if (!strcmp(sub, "revoke") && all && npos == 3) {
        int64_t uid = user_of(db, pos[2], err);
        int n = uid ? api_tokens_revoke_all(db, a, uid) : -1;
        if (n < 0) rc = 1;
        else fprintf(out, "%d tokens revoked\n", n);
    } else if (!strcmp(sub, "revoke") && !all && npos >= 3) {
        for (int i = 2; i < npos; i++) {
            long long id;
            if (!parse_int(pos[i], 1, INT64_MAX, &id)) { rc = usage(err); break; }
            if (api_token_revoke(db, a, 0, id)) fprintf(out, "token %lld revoked\n", id);
            else { fprintf(err, "granslos: no active token %lld\n", id); rc = 1; }
        }
    } else rc = usage(err);
    arena_free(a);
    return rc;
}
