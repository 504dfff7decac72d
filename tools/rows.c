/* rows.c: pyref.py's JSON rows (see rows.h). */
#include "rows.h"

static void row_head(StrBuf *b, const char *program, const char *task, Split split, size_t index)
{
    sb_puts(b, "{\"program\":");
    sb_json_str(b, program);
    sb_puts(b, ",\"task\":");
    sb_json_str(b, task);
    sb_printf(b, ",\"split\":\"%s\",\"index\":%zu", split_name(split), index);
}

static void put_us(StrBuf *b, uint64_t us) { sb_printf(b, ",\"us\":%llu", (unsigned long long)us); }

void row_solver(StrBuf *b, const char *program, const char *task, Split split, size_t index,
                uint64_t us, Err err, Value output, int match)
{
    row_head(b, program, task, split, index);
    put_us(b, us);
    if (err) {
        sb_puts(b, ",\"ok\":false,\"match\":false,\"error\":");
        sb_json_str(b, err_name(err));
    } else {
        sb_printf(b, ",\"ok\":true,\"match\":%s,\"output\":", match ? "true" : "false");
        sb_json_value(b, output);
    }
    sb_puts(b, "}\n");
}

static void put_list_or_null(StrBuf *b, const char *key, Err e, Value v)
{
    sb_printf(b, ",\"%s\":", key);
    if (e)
        sb_puts(b, "null");
    else
        sb_json_value(b, v);
}

void row_batt(StrBuf *b, const char *task, Split split, size_t index, uint64_t us, Err err,
              Value o, Value s, Err err_c, Value s_c)
{
    row_head(b, "batt", task, split, index);
    if (err) {
        sb_puts(b, ",\"error\":");
        sb_json_str(b, err_name(err));
    }
    if (err_c) {
        sb_puts(b, ",\"error_c\":");
        sb_json_str(b, err_name(err_c));
    }
    put_us(b, us);
    put_list_or_null(b, "o", err, o);
    put_list_or_null(b, "s", err, s);
    put_list_or_null(b, "s_c", err_c, s_c);
    sb_puts(b, "}\n");
}

size_t batt_matches(Value o, Value expected)
{
    if (!v_is_container(o))
        return 0;
    size_t n = 0;
    for (size_t k = 0; k < v_len(o); k++) {
        Value item = v_item(o, k);
        n += v_is_container(item) && v_len(item) > 3 && v_eq(v_item(item, 3), expected);
    }
    return n;
}
