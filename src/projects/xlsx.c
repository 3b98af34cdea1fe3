/* The budget as an .xlsx workbook (libxlsxwriter): a summary sheet, one sheet per side and one
 * per partner, every figure a visible formula over the lines (ROUND(units × price, 2), SUMIF per
 * category, ROUND(base × flat rate), ROUND(total / rate, 2)) with our exact result cached in
 * the cell. A spreadsheet stores numbers as binary floating point by design: the exact figures
 * are the API's decimal strings; the workbook's cached values are those, converted for display. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include "core/util.h"
#include "http/api.h"
#include "i18n/i18n.h"
#include "projects/projects.h"

static double num(const char *dec) {
    int64_t v = 0;
    dec_parse(dec, 2, INT64_MAX / 4, &v);
    return (double)v / 100.0;
}

/* sheet_name: at most 31 characters (bytes, on a UTF-8 boundary) without []:*?/\, unique by a number */
static const char *sheet_name(arena_t *a, const char *name, int k) {
    char buf[64];
    size_t o = 0;
    for (const char *p = name ? name : ""; *p && o < 24; p++) {
        if (strchr("[]:*?/\\'", *p)) continue;
        if (((unsigned char)*p & 0xC0) != 0x80 && o > 20) break;   /* stop on a character boundary */
        buf[o++] = *p;
    }
    while (o && ((unsigned char)buf[o - 1] & 0xC0) == 0xC0) o--;      /* no cut lead byte */
    buf[o] = 0;
    return aprintf_text(a, "%d %s", k + 1, buf);
}

void proj_budget_xlsx(req_t *r) {
    json_t *d;
    json_t *t = proj_export_totals(r, &d);
    if (!t) return;
    char path[] = "/tmp/granslos-budget-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) { resp_error(r, 500, "tmp", T(r, "The workbook could not be made.")); return; }
    close(fd);
    lxw_workbook_options opt = {.constant_memory = 0, .tmpdir = NULL};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    if (!wb) { unlink(path); resp_error(r, 500, "tmp", T(r, "The workbook could not be made.")); return; }
    lxw_format *bold = workbook_add_format(wb), *money = workbook_add_format(wb), *rate = workbook_add_format(wb);
    format_set_bold(bold);
    format_set_num_format(money, "#,##0.00");
    format_set_num_format(rate, "0.0000");
    lxw_worksheet *sum = workbook_add_worksheet(wb, T(r, "Summary"));
    worksheet_set_column(sum, 0, 0, 34, NULL);
    worksheet_set_column(sum, 1, 3, 16, NULL);
    worksheet_write_string(sum, 0, 0, json_string_value(json_object_get(d, "acronym")), bold);
    json_t *budget = json_object_get(d, "budget"), *fr = json_object_get(budget, "flat_rates");
    /* the side sheets first (after the summary), then a sheet per partner */
    lxw_worksheet *side_ws[2];
    size_t s, i;
    json_t *side, *x;
    json_array_foreach(json_object_get(t, "sides"), s, side) {
        bool no = streq(json_string_value(json_object_get(side, "side")), "no");
        side_ws[s] = workbook_add_worksheet(wb, no ? T(r, "Norwegian side") : T(r, "Swedish side"));
        worksheet_set_column(side_ws[s], 0, 0, 34, NULL);
        worksheet_set_column(side_ws[s], 1, 4, 16, NULL);
    }
    int k = 0, sum_row = 2;
    worksheet_write_string(sum, sum_row, 0, T(r, "Side"), bold);
    worksheet_write_string(sum, sum_row, 1, T(r, "Total"), bold);
    worksheet_write_string(sum, sum_row, 2, T(r, "Total in EUR"), bold);
    worksheet_write_string(sum, sum_row, 3, T(r, "Funding"), bold);
    json_array_foreach(json_object_get(t, "sides"), s, side) {
        bool no = streq(json_string_value(json_object_get(side, "side")), "no");
        lxw_worksheet *sw = side_ws[s];
        const char *swname = no ? T(r, "Norwegian side") : T(r, "Swedish side");
        const char *hdr[5] = {T(r, "Partner"), T(r, "Currency"), T(r, "Total"), T(r, "Rate"), T(r, "Total in EUR")};
        for (int c = 0; c < 5; c++) worksheet_write_string(sw, 0, (lxw_col_t)c, hdr[c], bold);
        int row = 1;
        json_array_foreach(json_object_get(side, "partners"), i, x) {
            int64_t org = json_integer_value(json_object_get(x, "partner"));
            const char *name = sheet_name(r->arena, json_string_value(json_object_get(x, "name")), k++);
            lxw_worksheet *pw = workbook_add_worksheet(wb, name);
            if (!pw) { name = aprintf(r->arena, "%d", k); pw = workbook_add_worksheet(wb, name); }   /* a name the format refuses */
            if (!pw) { workbook_close(wb); unlink(path); resp_error(r, 500, "xlsx", T(r, "The workbook could not be made.")); return; }
            worksheet_set_column(pw, 0, 0, 34, NULL);
            worksheet_set_column(pw, 1, 5, 14, NULL);
            worksheet_write_string(pw, 0, 0, T(r, "Partner"), bold);
            worksheet_write_string(pw, 0, 1, json_string_value(json_object_get(x, "name")), NULL);
            worksheet_write_string(pw, 1, 0, T(r, "Currency"), bold);
            worksheet_write_string(pw, 1, 1, json_string_value(json_object_get(x, "currency")), NULL);
            worksheet_write_string(pw, 2, 0, T(r, "Rate"), bold);
            int64_t rv = 0;
            dec_parse(json_string_value(json_object_get(x, "rate")), 4, INT64_MAX / 4, &rv);
            worksheet_write_number(pw, 2, 1, (double)rv / 10000.0, rate);
            const char *src = json_string_value(json_object_get(x, "rate_source")), *mon = json_string_value(json_object_get(x, "rate_month"));
            if (src) worksheet_write_string(pw, 2, 2, mon ? aprintf_text(r->arena, "%s %s", src, mon) : src, NULL);
            const char *lh[6] = {T(r, "Category"), T(r, "Period"), T(r, "Description"), T(r, "Units"), T(r, "Unit price"), T(r, "Amount")};
            for (int c = 0; c < 6; c++) worksheet_write_string(pw, 4, (lxw_col_t)c, lh[c], bold);
            int lr = 5;
            size_t j;
            json_t *l;
            json_array_foreach(json_object_get(budget, "lines"), j, l) {
                if (json_integer_value(json_object_get(l, "partner")) != org) continue;
                int64_t u = 0, p = 0;
                dec_parse(json_string_value(json_object_get(l, "units")), 2, INT64_MAX / 4, &u);
                dec_parse(json_string_value(json_object_get(l, "unit_price")), 2, INT64_MAX / 4, &p);
                worksheet_write_string(pw, (lxw_row_t)lr, 0, json_string_value(json_object_get(l, "category")), NULL);
                worksheet_write_number(pw, (lxw_row_t)lr, 1, (double)json_integer_value(json_object_get(l, "period")), NULL);
                worksheet_write_string(pw, (lxw_row_t)lr, 2, json_string_value(json_object_get(l, "description")), NULL);
                worksheet_write_number(pw, (lxw_row_t)lr, 3, (double)u / 100.0, money);
                worksheet_write_number(pw, (lxw_row_t)lr, 4, (double)p / 100.0, money);
                worksheet_write_formula_num(pw, (lxw_row_t)lr, 5, aprintf(r->arena, "=ROUND(D%d*E%d,2)", lr + 1, lr + 1), money,
                                            (double)money_mul(u, p) / 100.0);
                lr++;
            }
            /* the lump sums as lines of one unit, so the same SUMIF adds them up */
            json_array_foreach(json_object_get(budget, "lump_sums"), j, l) {
                if (json_integer_value(json_object_get(l, "partner")) != org) continue;
                int64_t amount = 0;
                dec_parse(json_string_value(json_object_get(l, "amount")), 2, INT64_MAX / 4, &amount);
                worksheet_write_string(pw, (lxw_row_t)lr, 0, proj_categories[CAT_LUMP], NULL);
                json_t *per = json_object_get(l, "period");   /* a period, or "preparation" / "closure" */
                if (json_is_string(per)) worksheet_write_string(pw, (lxw_row_t)lr, 1, json_string_value(per), NULL);
                else worksheet_write_number(pw, (lxw_row_t)lr, 1, (double)json_integer_value(per), NULL);
                worksheet_write_string(pw, (lxw_row_t)lr, 2, json_string_value(json_object_get(l, "description")), NULL);
                worksheet_write_number(pw, (lxw_row_t)lr, 3, 1.0, money);
                worksheet_write_number(pw, (lxw_row_t)lr, 4, (double)amount / 100.0, money);
                worksheet_write_formula_num(pw, (lxw_row_t)lr, 5, aprintf(r->arena, "=ROUND(D%d*E%d,2)", lr + 1, lr + 1), money, (double)amount / 100.0);
                lr++;
            }
            /* per category: SUMIF over the lines, or the flat rate (its percent in C, its base named in
             * D) on the rows of its base: staff; the direct costs (staff, travel, external, equipment,
             * infrastructure); the other direct costs (travel, external, equipment, infrastructure) */
            int first = 6, last = lr, cs = lr + 1;   /* 1-based rows of the lines; the category block from row cs (0-based) */
            json_t *cats = json_object_get(x, "categories");
            /* the six line categories, then the lump sums' row when the budget has lump sums, the other costs' when that rate is used */
            int shown[CAT_N], ncat = 0, row_of[CAT_N];
            for (int c = 0; c < CAT_LINES; c++) shown[ncat++] = c;
            if (json_array_size(json_object_get(budget, "lump_sums"))) shown[ncat++] = CAT_LUMP;
            if (json_object_get(fr, "other")) shown[ncat++] = CAT_OTHER;
            for (int q = 0; q < ncat; q++) row_of[shown[q]] = cs + q + 1;   /* 1-based, for formulas */
            for (int q = 0; q < ncat; q++) {
                int c = shown[q];
                worksheet_write_string(pw, (lxw_row_t)(cs + q), 0, T(r, proj_category_labels[c]), NULL);
                json_t *flat = NULL, *fx;
                size_t fi;
                json_array_foreach(json_object_get(x, "flat_rates"), fi, fx) if (!flat && streq(json_string_value(json_object_get(fx, "category")), proj_categories[c])) flat = fx;
                const char *f;
                if (flat) {
                    const char *fb = json_string_value(json_object_get(flat, "base"));
                    worksheet_write_number(pw, (lxw_row_t)(cs + q), 2, num(json_string_value(json_object_get(flat, "percent"))), NULL);
                    worksheet_write_string(pw, (lxw_row_t)(cs + q), 3, streq(fb, "staff") ? T(r, "% of staff costs")
                                           : streq(fb, "direct-costs") ? T(r, "% of direct costs") : T(r, "% of the other direct costs"), NULL);
                    const char *others = aprintf_text(r->arena, "B%d+B%d+B%d+B%d", row_of[CAT_TRAVEL], row_of[CAT_EXTERNAL], row_of[CAT_EQUIPMENT], row_of[CAT_INFRA]);
                    const char *on = streq(fb, "staff") ? aprintf_text(r->arena, "B%d", row_of[CAT_STAFF])
                                     : streq(fb, "direct-costs") ? aprintf_text(r->arena, "(B%d+%s)", row_of[CAT_STAFF], others) : aprintf_text(r->arena, "(%s)", others);
                    f = aprintf_text(r->arena, "=ROUND(%s*C%d/100,2)", on, cs + q + 1);
                } else if (last >= first) {
                    f = aprintf_text(r->arena, "=SUMIF($A$%d:$A$%d,\"%s\",$F$%d:$F$%d)", first, last, proj_categories[c], first, last);
                } else {
                    f = "=0";
                }
                worksheet_write_formula_num(pw, (lxw_row_t)(cs + q), 1, f, money, num(json_string_value(json_object_get(cats, proj_categories[c]))));
            }
            int tot = cs + ncat, eur = tot + 1;
            worksheet_write_string(pw, (lxw_row_t)tot, 0, T(r, "Total"), bold);
            worksheet_write_formula_num(pw, (lxw_row_t)tot, 1, aprintf(r->arena, "=SUM(B%d:B%d)", cs + 1, cs + ncat), money,
                                        num(json_string_value(json_object_get(x, "total"))));
            worksheet_write_string(pw, (lxw_row_t)eur, 0, T(r, "Total in EUR"), bold);
            worksheet_write_formula_num(pw, (lxw_row_t)eur, 1, aprintf(r->arena, "=ROUND(B%d/B3,2)", tot + 1), money,
                                        num(json_string_value(json_object_get(x, "total_eur"))));
            /* the partner's row on its side's sheet */
            worksheet_write_string(sw, (lxw_row_t)row, 0, json_string_value(json_object_get(x, "name")), NULL);
            worksheet_write_string(sw, (lxw_row_t)row, 1, json_string_value(json_object_get(x, "currency")), NULL);
            worksheet_write_formula_num(sw, (lxw_row_t)row, 2, aprintf_text(r->arena, "='%s'!B%d", name, tot + 1), money, num(json_string_value(json_object_get(x, "total"))));
            worksheet_write_formula_num(sw, (lxw_row_t)row, 3, aprintf_text(r->arena, "='%s'!B3", name), rate, (double)rv / 10000.0);
            worksheet_write_formula_num(sw, (lxw_row_t)row, 4, aprintf_text(r->arena, "='%s'!B%d", name, eur + 1), money, num(json_string_value(json_object_get(x, "total_eur"))));
            row++;
        }
        /* the side's totals: NOK on the Norwegian side, EUR on the Swedish one, and its funding */
        int trow = row + 1;
        worksheet_write_string(sw, (lxw_row_t)trow, 0, T(r, "Total"), bold);
        worksheet_write_string(sw, (lxw_row_t)trow, 1, no ? "NOK" : "EUR", NULL);
        const char *col = no ? "C" : "E";
        worksheet_write_formula_num(sw, (lxw_row_t)trow, 2, row > 1 ? aprintf_text(r->arena, "=SUM(%s2:%s%d)", col, col, row) : "=0", money,
                                    num(json_string_value(json_object_get(side, "total"))));
        worksheet_write_formula_num(sw, (lxw_row_t)trow, 4, row > 1 ? aprintf(r->arena, "=SUM(E2:E%d)", row) : "=0", money,
                                    num(json_string_value(json_object_get(side, "total_eur"))));
        worksheet_write_string(sw, (lxw_row_t)(trow + 1), 0, no ? T(r, "IR funding") : T(r, "ERDF funding"), bold);
        worksheet_write_number(sw, (lxw_row_t)(trow + 1), 1, num(json_string_value(json_object_get(side, "funding_percent"))), NULL);
        worksheet_write_formula_num(sw, (lxw_row_t)(trow + 1), 2, aprintf(r->arena, "=ROUND(C%d*B%d/100,2)", trow + 1, trow + 2), money,
                                    num(json_string_value(json_object_get(side, "funding"))));
        /* the summary's row */
        sum_row++;
        worksheet_write_string(sum, (lxw_row_t)sum_row, 0, swname, NULL);
        worksheet_write_formula_num(sum, (lxw_row_t)sum_row, 1, aprintf_text(r->arena, "='%s'!C%d", swname, trow + 1), money, num(json_string_value(json_object_get(side, "total"))));
        worksheet_write_formula_num(sum, (lxw_row_t)sum_row, 2, aprintf_text(r->arena, "='%s'!E%d", swname, trow + 1), money, num(json_string_value(json_object_get(side, "total_eur"))));
        worksheet_write_formula_num(sum, (lxw_row_t)sum_row, 3, aprintf_text(r->arena, "='%s'!C%d", swname, trow + 2), money, num(json_string_value(json_object_get(side, "funding"))));
    }
    worksheet_write_string(sum, (lxw_row_t)(sum_row + 1), 0, T(r, "Project total in EUR"), bold);
    worksheet_write_formula_num(sum, (lxw_row_t)(sum_row + 1), 2, aprintf(r->arena, "=SUM(C4:C%d)", sum_row + 1), money, num(json_string_value(json_object_get(t, "total_eur"))));
    /* the flat rates applied (each partner's sheet has its formula): label and percent */
    int fr_row = sum_row + 3;
    worksheet_write_string(sum, (lxw_row_t)fr_row, 0, json_array_size(json_object_get(t, "flat_rates")) ? T(r, "Flat rates applied:")
                                                      : T(r, "No flat rates: every cost is budgeted as lines."), bold);
    json_array_foreach(json_object_get(t, "flat_rates"), i, x) {
        int f = proj_flat_key(json_string_value(json_object_get(x, "rate")));
        worksheet_write_string(sum, (lxw_row_t)(fr_row + 1 + (int)i), 0, f >= 0 ? T(r, proj_flat_labels[f]) : json_string_value(json_object_get(x, "rate")), NULL);
        worksheet_write_number(sum, (lxw_row_t)(fr_row + 1 + (int)i), 1, num(json_string_value(json_object_get(x, "percent"))), NULL);
    }
    lxw_error e = workbook_close(wb);
    FILE *f = e == LXW_NO_ERROR ? fopen(path, "rb") : NULL;
    if (!f) { unlink(path); resp_error(r, 500, "xlsx", T(r, "The workbook could not be made.")); return; }
    char chunk[16384];
    for (size_t n; (n = fread(chunk, 1, sizeof chunk, f)) > 0;) buf_append(&r->out, chunk, n);
    fclose(f);
    unlink(path);
    r->ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    resp_header(r, "Content-Disposition", aprintf(r->arena, "attachment; filename=\"budget-%lld.xlsx\"", (long long)r->id[0]));
}
