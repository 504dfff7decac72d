/* tasks.c: loads ARC tasks (see tasks.h) from task files, directories of them,
 * re-arc example lists and Kaggle challenge/solution pairs, parsing with cJSON
 * and building every grid as the tuple of tuples pyref.py builds.
 *
 * Before cJSON sees the text, mask_values overwrites two kinds of token in
 * place with strings of the same length, so that offsets of parse errors stay
 * right:
 *   - float literals (cJSON reads every number as a double, and a float cell
 *     must be rejected): they become "___", rejected like any non-integer;
 *   - lists of integers inside lists (grid rows): they become strings of their
 *     own text, which row_from_json reads directly. cJSON then makes one node
 *     per row instead of one per cell, and loading takes a third of the
 *     time. This is skipped for a file holding any string that could be
 *     taken for a masked row (digits, '-', ',', ' ' only), so a masked row is
 *     never confused with a string the file really holds.
 * It also poisons what strict JSON (Python's json) rejects but cJSON accepts:
 * numbers such as 01 or 1., raw control characters and bad escapes in
 * strings, NUL bytes. */
#include "tasks.h"
#include "xalloc.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ctx.h"

#define KAGGLE_CHAL "_challenges.json"
#define KAGGLE_SOL "_solutions.json"
#define MAX_EXACT_INT 9007199254740992.0 /* 2^53: doubles are exact up to here */

typedef struct Loader {
    TaskSet *ts;
    Ctx ctx;
    char *err;
    size_t errlen;
    const char *file; /* the file being read, for messages */
    bool rows;        /* its rows were masked (see mask_values) */
    size_t cap;       /* tasks allocated in ts->tasks */
} Loader;

/* Where in a task a grid or example sits, for messages. */
typedef struct Where {
    const char *key, *split, *field;
    size_t index;
} Where;

/* ---- memory outside the arena (file buffers, name lists) ---- */


/* ---- messages ---- */

__attribute__((format(printf, 2, 3)))
static int fail(Loader *L, const char *fmt, ...)
{
    int k = snprintf(L->err, L->errlen, "%s: ", L->file);
    if (k >= 0 && (size_t)k < L->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(L->err + k, L->errlen - (size_t)k, fmt, ap);
        va_end(ap);
    }
    return 2;
}

static int fail_at(Loader *L, const Where *w, const char *detail)
{
    if (w->field)
        return fail(L, "task '%s': %s[%zu].%s: %s", w->key, w->split, w->index, w->field, detail);
    return fail(L, "task '%s': %s[%zu]: %s", w->key, w->split, w->index, detail);
}

static int fail_errno(Loader *L, const char *what)
{
    return fail(L, "%s: %s", what, strerror(errno));
}

/* ---- reading files ---- */

static int read_file(Loader *L, const char *path, char **buf, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return fail_errno(L, "cannot open");
    size_t cap = 1 << 16, n = 0;
    char *b = xrealloc(NULL, cap);
    for (;;) {
        n += fread(b + n, 1, cap - n - 1, f);
        if (n < cap - 1)
            break;
        cap *= 2;
        b = xrealloc(b, cap);
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(b);
        return fail_errno(L, "cannot read");
    }
    b[n] = '\0';
    *buf = b;
    *len = n;
    return 0;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static bool is_number_char(char c)
{
    return is_digit(c) || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

static size_t digits(const char *s, size_t i, size_t n)
{
    size_t k = i;
    while (k < n && is_digit(s[k]))
        k++;
    return k - i;
}

/* Length of the strict JSON integer at s[i..n), or 0. */
static size_t int_len(const char *s, size_t i, size_t n)
{
    size_t k = i + (i < n && s[i] == '-');
    size_t d = digits(s, k, n);
    if (d == 0 || (d > 1 && s[k] == '0'))
        return 0;
    return k + d - i;
}

/* Length of the strict JSON number at s[0..n), or 0; *is_float when it has a
 * fraction or an exponent. */
static size_t number_len(const char *s, size_t n, bool *is_float)
{
    size_t i = int_len(s, 0, n), d;
    *is_float = false;
    if (i == 0)
        return 0;
    if (i < n && s[i] == '.') {
        if ((d = digits(s, i + 1, n)) == 0)
            return 0;
        i += 1 + d;
        *is_float = true;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i += 1 + (i + 1 < n && (s[i + 1] == '+' || s[i + 1] == '-'));
        if ((d = digits(s, i, n)) == 0)
            return 0;
        i += d;
        *is_float = true;
    }
    return i;
}

static bool is_hex(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Is the escape at s[i] (a backslash) valid JSON? cJSON lets bad ones by. */
static bool good_escape(const char *s, size_t i, size_t n)
{
    if (i + 1 >= n)
        return false;
    if (s[i + 1] != 'u')
        return strchr("\"\\/bfnrt", s[i + 1]) != NULL && s[i + 1] != '\0';
    for (size_t k = 2; k < 6; k++)
        if (i + k >= n || !is_hex(s[i + k]))
            return false;
    return true;
}

/* Index of the quote closing the string opened at s[i], or n; *bad when a raw
 * control character or a bad escape sits inside (strict JSON rejects both,
 * cJSON does not). */
static size_t string_end(const char *s, size_t i, size_t n, bool *bad)
{
    for (i++; i < n; i++) {
        if (s[i] == '\\')
            *bad |= !good_escape(s, i++, n);
        else if (s[i] == '"')
            return i;
        else if ((unsigned char)s[i] < ' ')
            *bad = true;
    }
    return n;
}

/* Could the string body s[0..n) be a masked row (digits, '-', ',', ' ')? */
static bool rowlike(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i]) && s[i] != '-' && s[i] != ',' && s[i] != ' ')
            return false;
    return true;
}

/* Does the text hold a string that a masked row could be taken for? */
static bool has_rowlike_string(const char *s, size_t n)
{
    bool bad = false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '"')
            continue;
        size_t end = string_end(s, i, n, &bad);
        if (end < n && rowlike(s + i + 1, end - i - 1))
            return true;
        i = end;
    }
    return false;
}

static size_t skip_spaces(const char *s, size_t i, size_t n)
{
    while (i < n && s[i] == ' ')
        i++;
    return i;
}

/* Length of the non-empty list of integers at s[0..n) (s[0] is '['), with
 * only spaces between tokens; 0 otherwise. */
static size_t row_len(const char *s, size_t n)
{
    for (size_t i = 1;; i++) {
        i = skip_spaces(s, i, n);
        size_t k = int_len(s, i, n);
        if (!k)
            return 0;
        i = skip_spaces(s, i + k, n);
        if (i < n && s[i] == ']')
            return i + 1;
        if (i >= n || s[i] != ',')
            return 0;
    }
}

/* The state of mask_values: which containers are open, the last token char. */
typedef struct Masker {
    char *s;
    size_t n, depth;
    bool rows;
    char prev; /* 0 at the start */
    char stack[CJSON_NESTING_LIMIT + 1];
} Masker;

static char open_top(const Masker *m) { return m->depth ? m->stack[m->depth - 1] : 0; }

/* A byte no JSON value starts with: cJSON stops there, as Python would. */
#define POISON '#'

/* The number-like run at s[i]: a float in a value position becomes "___",
 * anything that is not a strict JSON number (01, 1., -, 1.5.2) is poisoned,
 * since cJSON would read it. Returns the run's length. */
static size_t mask_number(Masker *m, size_t i)
{
    char *s = m->s + i, p = m->prev;
    size_t r = 0;
    bool is_float;
    while (i + r < m->n && is_number_char(s[r]))
        r++;
    if (number_len(s, r, &is_float) != r) {
        s[0] = POISON;
    } else if (is_float && (p == 0 || p == '[' || p == ':' || (p == ',' && open_top(m) == '['))) {
        memset(s, '_', r);
        s[0] = s[r - 1] = '"';
    }
    return r;
}

/* A list of integers inside a list becomes a string of its own text.
 * Returns its length, or 0 when s[i] does not start one. */
static size_t mask_row(Masker *m, size_t i)
{
    if (!m->rows || open_top(m) != '[' || (m->prev != '[' && m->prev != ','))
        return 0;
    size_t len = row_len(m->s + i, m->n - i);
    if (len)
        m->s[i] = m->s[i + len - 1] = '"';
    return len;
}

/* Prepare the text for cJSON, in place and keeping every offset: floats and
 * (with rows) grid rows become strings (see the top of this file); number
 * tokens and strings that strict JSON rejects but cJSON accepts are poisoned.
 * Only tokens valid as they stand are swapped for other valid tokens, so a
 * valid document stays valid and an invalid one fails where it did. */
static void mask_values(char *s, size_t n, bool rows)
{
    Masker m = {.s = s, .n = n, .rows = rows};
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        size_t len;
        bool bad = false;
        if (c == '\0')
            s[i] = POISON; /* cJSON would end the text here */
        if ((unsigned char)c <= ' ')
            continue;
        if (c == '"') {
            size_t end = string_end(s, i, n, &bad);
            if (bad)
                s[i] = POISON;
            i = end;
        } else if (c == '-' || is_digit(c)) {
            i += mask_number(&m, i) - 1;
        } else if (c == '[' && (len = mask_row(&m, i))) {
            i += len - 1;
        } else if (c == '[' || c == '{') {
            if (m.depth == sizeof m.stack)
                return; /* cJSON rejects this nesting anyway */
            m.stack[m.depth++] = c;
        } else if (c == ']' || c == '}') {
            m.depth -= m.depth > 0;
        }
        if (i < n)
            m.prev = s[i];
    }
}

/* 1-based line and column (in characters) of byte offset pos. */
static void line_col(const char *s, size_t pos, size_t *line, size_t *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < pos; i++) {
        if (s[i] == '\n') {
            (*line)++;
            *col = 1;
        } else if (((unsigned char)s[i] & 0xC0) != 0x80) {
            (*col)++;
        }
    }
}

static size_t bom_len(const char *s, size_t n)
{
    return n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

/* `file:line:col: message` for a parse error at s[pos] (s: the text after any
 * byte-order mark, as written: masking changes no newline or column). */
static int fail_parse(Loader *L, const char *s, size_t n, size_t pos)
{
    size_t line, col, k = pos, m = 0;
    line_col(s, pos, &line, &col);
    while (k < n && strchr(" \t\n\r", s[k]) && s[k])
        k++;
    while (pos + m < n && m < 16 && (unsigned char)s[pos + m] >= ' ')
        m++;
    int w = snprintf(L->err, L->errlen, "%s:%zu:%zu: malformed JSON", L->file, line, col);
    size_t at = w < 0 ? 0 : (size_t)w < L->errlen ? (size_t)w : L->errlen - 1;
    if (k >= n)
        snprintf(L->err + at, L->errlen - at, ": unexpected end of input");
    else if ((unsigned char)s[k] < ' ')
        snprintf(L->err + at, L->errlen - at, ": unexpected byte 0x%02x", (unsigned char)s[k]);
    else
        snprintf(L->err + at, L->errlen - at, " near '%.*s'", (int)m, s + pos);
    return 2;
}

/* Read the file again to report the parse error at pos with its own text. */
static int parse_error(Loader *L, const char *path, size_t pos)
{
    char *buf = NULL;
    size_t n = 0;
    if (read_file(L, path, &buf, &n))
        return 2;
    size_t bom = bom_len(buf, n);
    fail_parse(L, buf + bom, n - bom, pos > n - bom ? n - bom : pos);
    free(buf);
    return 2;
}

/* Parse the file at path; *out is NULL and 0 returned when it is absent and
 * absent_ok. Sets L->rows when its rows were masked. */
static int read_json(Loader *L, const char *path, bool absent_ok, cJSON **out)
{
    char *buf = NULL;
    size_t n = 0;
    *out = NULL;
    L->file = path;
    struct stat st;
    if (absent_ok && stat(path, &st) != 0 && errno == ENOENT)
        return 0;
    if (read_file(L, path, &buf, &n))
        return 2;
    size_t bom = bom_len(buf, n);
    char *text = buf + bom;
    n -= bom;
    L->rows = !has_rowlike_string(text, n);
    mask_values(text, n, L->rows);
    const char *end = NULL;
    /* the length counts the final NUL, which require_null_terminated looks for */
    *out = cJSON_ParseWithLengthOpts(text, n + 1, &end, 1);
    size_t pos = end && end >= text ? (size_t)(end - text) : 0;
    free(buf);
    return *out ? 0 : parse_error(L, path, pos);
}

/* ---- grids and examples ---- */

/* The last member called name (json.load keeps the last of duplicates). */
static const cJSON *member(const cJSON *obj, const char *name)
{
    const cJSON *hit = NULL;
    for (const cJSON *c = obj->child; c; c = c->next)
        if (c->string && strcmp(c->string, name) == 0)
            hit = c;
    return hit;
}

static size_t count(const cJSON *arr)
{
    size_t n = 0;
    for (const cJSON *c = arr->child; c; c = c->next)
        n++;
    return n;
}

static const char *cell_problem(const cJSON *c, int64_t *out)
{
    if (!cJSON_IsNumber(c))
        return "is not an integer";
    double d = c->valuedouble;
    if (!(d >= -MAX_EXACT_INT && d <= MAX_EXACT_INT))
        return "is out of range";
    *out = (int64_t)d;
    return (double)*out == d ? NULL : "is not an integer";
}

static int grid_problem(Loader *L, const Where *w, const char *detail)
{
    char msg[160];
    snprintf(msg, sizeof msg, "expected a list of lists of integers%s%s%s",
             *detail ? " (" : "", detail, *detail ? ")" : "");
    return fail_at(L, w, msg);
}

static int cell_error(Loader *L, const Where *w, size_t ri, size_t j, const char *why)
{
    char detail[96];
    snprintf(detail, sizeof detail, "row %zu, column %zu %s", ri, j, why);
    return grid_problem(L, w, detail);
}

/* Items in a row masked by mask_values (a string such as "0, 7, -1"), or 0
 * when r is not one. */
static size_t masked_items(const Loader *L, const cJSON *r)
{
    if (!L->rows || !cJSON_IsString(r) || !r->valuestring[0])
        return 0;
    size_t n = 1;
    for (const char *p = r->valuestring; *p; p++) {
        if (*p == ',')
            n++;
        else if (!is_digit(*p) && *p != '-' && *p != ' ')
            return 0;
    }
    return n;
}

/* The integer at *p (validated by mask_values), moving p past it and its comma. */
static const char *read_int(const char *p, int64_t *out, bool *big)
{
    while (*p == ' ')
        p++;
    bool neg = *p == '-';
    uint64_t x = 0;
    for (p += neg; is_digit(*p); p++) {
        x = x * 10 + (uint64_t)(*p - '0');
        *big |= x > (uint64_t)MAX_EXACT_INT;
    }
    *out = neg ? -(int64_t)x : (int64_t)x;
    while (*p == ' ')
        p++;
    return p + (*p == ',');
}

static int masked_row(Loader *L, const Where *w, const char *text, size_t n, size_t ri,
                      Value *out)
{
    Seq *s = seq_alloc(&L->ctx, n);
    if (!s)
        return grid_problem(L, w, "too large");
    const char *p = text;
    for (size_t j = 0; j < n; j++) {
        bool big = false;
        int64_t x;
        p = read_int(p, &x, &big);
        if (big)
            return cell_error(L, w, ri, j, "is out of range");
        s->items[j] = v_int(x);
    }
    *out = seq_finish_tuple(s);
    return 0;
}

static int row_from_json(Loader *L, const Where *w, const cJSON *r, size_t ri, Value *out)
{
    size_t n = masked_items(L, r);
    if (n)
        return masked_row(L, w, r->valuestring, n, ri, out);
    if (!cJSON_IsArray(r)) {
        char detail[64];
        snprintf(detail, sizeof detail, "row %zu is not a list", ri);
        return grid_problem(L, w, detail);
    }
    Seq *s = seq_alloc(&L->ctx, count(r));
    if (!s)
        return grid_problem(L, w, "too large");
    size_t j = 0;
    for (const cJSON *c = r->child; c; c = c->next, j++) {
        int64_t x;
        const char *why = cell_problem(c, &x);
        if (why)
            return cell_error(L, w, ri, j, why);
        s->items[j] = v_int(x);
    }
    *out = seq_finish_tuple(s);
    return 0;
}

static int grid_from_json(Loader *L, const Where *w, const cJSON *g, Value *out)
{
    if (masked_items(L, g)) /* a list of integers where a grid belongs */
        return grid_problem(L, w, "row 0 is not a list");
    if (!cJSON_IsArray(g))
        return grid_problem(L, w, "");
    Seq *s = seq_alloc(&L->ctx, count(g));
    if (!s)
        return grid_problem(L, w, "too large");
    size_t i = 0;
    for (const cJSON *r = g->child; r; r = r->next, i++)
        if (row_from_json(L, w, r, i, &s->items[i]))
            return 2;
    *out = seq_finish_tuple(s);
    return 0;
}

static int sample_from_json(Loader *L, Where w, const cJSON *ex, Sample *s)
{
    if (!cJSON_IsObject(ex))
        return fail_at(L, &w, "expected an object with \"input\" and \"output\"");
    const cJSON *in = member(ex, "input"), *o = member(ex, "output");
    if (!in)
        return fail_at(L, &w, "missing \"input\"");
    w.field = "input";
    if (grid_from_json(L, &w, in, &s->input))
        return 2;
    s->has_output = o != NULL;
    s->output = v_none();
    w.field = "output";
    return o ? grid_from_json(L, &w, o, &s->output) : 0;
}

/* The examples of one split; arr may be NULL (no examples). */
static int samples_from_json(Loader *L, const char *key, Split sp, const cJSON *arr,
                             Sample **out, size_t *n)
{
    Where w = {key, split_name(sp), NULL, 0};
    *out = NULL;
    *n = 0;
    if (!arr)
        return 0;
    if (!cJSON_IsArray(arr))
        return fail(L, "task '%s': \"%s\" is not a list of examples", key, w.split);
    *n = count(arr);
    *out = arena_alloc(&L->ts->arena, (*n ? *n : 1) * sizeof(Sample));
    for (const cJSON *e = arr->child; e; e = e->next, w.index++)
        if (sample_from_json(L, w, e, &(*out)[w.index]))
            return 2;
    return 0;
}

/* S: the tuple of (input, output) train pairs. */
static int build_S(Loader *L, Task *t)
{
    Seq *s = seq_alloc(&L->ctx, t->ntrain);
    if (!s)
        return fail(L, "task '%s': too many train examples", t->key);
    for (size_t i = 0; i < t->ntrain; i++) {
        Value pair[2] = {t->train[i].input, t->train[i].output};
        if (mk_tuple(&L->ctx, 2, pair, &s->items[i]))
            return fail(L, "task '%s': out of memory", t->key);
    }
    t->S = seq_finish_tuple(s);
    return 0;
}

/* ---- tasks ---- */

static Task *new_task(Loader *L, const char *key)
{
    TaskSet *ts = L->ts;
    if (ts->ntasks == L->cap) {
        L->cap = L->cap ? 2 * L->cap : 64;
        Task *grown = arena_alloc(&ts->arena, L->cap * sizeof(Task));
        if (ts->ntasks)
            memcpy(grown, ts->tasks, ts->ntasks * sizeof(Task));
        ts->tasks = grown;
    }
    Task *t = &ts->tasks[ts->ntasks++];
    memset(t, 0, sizeof *t);
    t->key = arena_strdup(&ts->arena, key);
    t->S = v_empty_tuple();
    return t;
}

/* {"train": [...], "test": [...]}: "test" may be absent. */
static int task_from_object(Loader *L, const char *key, const cJSON *obj)
{
    if (!cJSON_IsObject(obj))
        return fail(L, "task '%s': expected an object with \"train\" and \"test\"", key);
    const cJSON *train = member(obj, "train");
    if (!train)
        return fail(L, "task '%s': missing \"train\"", key);
    Task *t = new_task(L, key);
    if (samples_from_json(L, t->key, SPLIT_TRAIN, train, &t->train, &t->ntrain) ||
        samples_from_json(L, t->key, SPLIT_TEST, member(obj, "test"), &t->test, &t->ntest))
        return 2;
    return 0;
}

/* re-arc: a list of examples, all train. */
static int task_from_list(Loader *L, const char *key, const cJSON *arr)
{
    Task *t = new_task(L, key);
    return samples_from_json(L, t->key, SPLIT_TRAIN, arr, &t->train, &t->ntrain);
}

/* The file name without .json, in the arena. */
static char *key_of(Arena *a, const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (n >= 5 && strcmp(base + n - 5, ".json") == 0)
        n -= 5;
    char *key = arena_alloc(a, n + 1);
    memcpy(key, base, n);
    key[n] = '\0';
    return key;
}

static int load_task_file(Loader *L, const char *path)
{
    cJSON *j;
    if (read_json(L, path, false, &j))
        return 2;
    const char *key = key_of(&L->ts->arena, path);
    int rc;
    if (cJSON_IsArray(j))
        rc = task_from_list(L, key, j);
    else if (cJSON_IsObject(j))
        rc = task_from_object(L, key, j);
    else
        rc = fail(L, "expected a task object or a list of examples");
    cJSON_Delete(j);
    return rc;
}

/* ---- the Kaggle pair ---- */

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* path with its suffix `from` replaced by `to` (malloc'd). */
static char *swap_suffix(const char *path, const char *from, const char *to)
{
    size_t stem = strlen(path) - strlen(from);
    char *p = xrealloc(NULL, stem + strlen(to) + 1);
    memcpy(p, path, stem);
    strcpy(p + stem, to);
    return p;
}

/* Attach the solutions for task t: a list with one grid per test input. */
static int apply_solutions(Loader *L, Task *t, const cJSON *sols)
{
    const cJSON *sol = member(sols, t->key);
    if (!sol)
        return 0;
    if (!cJSON_IsArray(sol) || count(sol) != t->ntest)
        return fail(L, "task '%s': expected a list of %zu test output grids", t->key, t->ntest);
    Where w = {t->key, "test", "output", 0};
    for (const cJSON *g = sol->child; g; g = g->next, w.index++) {
        Sample *s = &t->test[w.index];
        if (grid_from_json(L, &w, g, &s->output))
            return 2;
        s->has_output = 1;
    }
    return 0;
}

static int kaggle_tasks(Loader *L, const cJSON *chal)
{
    if (!cJSON_IsObject(chal))
        return fail(L, "expected an object of tasks by id");
    for (const cJSON *c = chal->child; c; c = c->next)
        if (task_from_object(L, c->string, c))
            return 2;
    return 0;
}

static int kaggle_solutions(Loader *L, const cJSON *sols)
{
    if (!cJSON_IsObject(sols))
        return fail(L, "expected an object of test output lists by task id");
    for (size_t i = 0; i < L->ts->ntasks; i++)
        if (apply_solutions(L, &L->ts->tasks[i], sols))
            return 2;
    return 0;
}

static int load_kaggle(Loader *L, const char *chal_path, const char *sol_path)
{
    cJSON *chal, *sols = NULL;
    int rc = read_json(L, chal_path, false, &chal);
    if (!rc)
        rc = kaggle_tasks(L, chal);
    if (!rc)
        rc = read_json(L, sol_path, true, &sols);
    if (!rc && sols)
        rc = kaggle_solutions(L, sols);
    cJSON_Delete(chal);
    cJSON_Delete(sols);
    L->file = chal_path;
    return rc;
}

static int load_kaggle_named(Loader *L, const char *path, const char *suffix)
{
    bool is_chal = strcmp(suffix, KAGGLE_CHAL) == 0;
    char *other = swap_suffix(path, suffix, is_chal ? KAGGLE_SOL : KAGGLE_CHAL);
    int rc = is_chal ? load_kaggle(L, path, other) : load_kaggle(L, other, path);
    free(other);
    return rc;
}

/* ---- directories ---- */

typedef struct Names {
    char **v;
    size_t n, cap;
} Names;

static void names_free(Names *ns)
{
    for (size_t i = 0; i < ns->n; i++)
        free(ns->v[i]);
    free(ns->v);
}

static void names_push(Names *ns, const char *dir, const char *name)
{
    if (ns->n == ns->cap) {
        ns->cap = ns->cap ? 2 * ns->cap : 64;
        ns->v = xrealloc(ns->v, ns->cap * sizeof *ns->v);
    }
    size_t n = strlen(dir) + strlen(name) + 2;
    ns->v[ns->n] = xrealloc(NULL, n);
    snprintf(ns->v[ns->n++], n, "%s/%s", dir, name);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.json files of dir, sorted. */
static int list_json(Loader *L, const char *dir, Names *ns)
{
    DIR *d = opendir(dir);
    if (!d)
        return fail_errno(L, "cannot open");
    for (struct dirent *e; (e = readdir(d));)
        if (ends_with(e->d_name, ".json"))
            names_push(ns, dir, e->d_name);
    closedir(d);
    if (ns->n)
        qsort(ns->v, ns->n, sizeof *ns->v, cmp_str);
    return 0;
}

/* The one *_challenges.json in ns, NULL when none; error when several. */
static int find_challenges(Loader *L, const Names *ns, const char **out)
{
    *out = NULL;
    for (size_t i = 0; i < ns->n; i++) {
        if (!ends_with(ns->v[i], KAGGLE_CHAL))
            continue;
        if (*out)
            return fail(L, "holds several Kaggle challenge files (%s, %s): name one of them",
                        *out, ns->v[i]);
        *out = ns->v[i];
    }
    return 0;
}

static int load_dir(Loader *L, const char *dir)
{
    Names ns = {0};
    const char *chal = NULL;
    int rc = list_json(L, dir, &ns);
    if (!rc)
        rc = find_challenges(L, &ns, &chal);
    if (!rc && chal)
        rc = load_kaggle_named(L, chal, KAGGLE_CHAL);
    for (size_t i = 0; !rc && !chal && i < ns.n; i++)
        rc = load_task_file(L, ns.v[i]);
    names_free(&ns);
    return rc;
}

/* ---- the entry points ---- */

static int cmp_task(const void *a, const void *b)
{
    return strcmp(((const Task *)a)->key, ((const Task *)b)->key);
}

/* Sort by key, reject duplicate ids, build each S. */
static int finish(Loader *L)
{
    TaskSet *ts = L->ts;
    if (ts->ntasks)
        qsort(ts->tasks, ts->ntasks, sizeof(Task), cmp_task);
    for (size_t i = 0; i < ts->ntasks; i++) {
        if (i && strcmp(ts->tasks[i - 1].key, ts->tasks[i].key) == 0)
            return fail(L, "duplicate task id '%s'", ts->tasks[i].key);
        if (build_S(L, &ts->tasks[i]))
            return 2;
    }
    return 0;
}

static int load_path(Loader *L, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return fail_errno(L, "cannot open");
    if (S_ISDIR(st.st_mode))
        return load_dir(L, path);
    if (ends_with(path, KAGGLE_CHAL))
        return load_kaggle_named(L, path, KAGGLE_CHAL);
    if (ends_with(path, KAGGLE_SOL))
        return load_kaggle_named(L, path, KAGGLE_SOL);
    return load_task_file(L, path);
}

int taskset_load(const char *path, TaskSet *out, char *err, size_t errlen)
{
    char scratch[8]; /* for a NULL err */
    memset(out, 0, sizeof *out);
    arena_init(&out->arena);
    Loader L = {.ts = out, .err = err && errlen ? err : scratch,
                .errlen = err && errlen ? errlen : sizeof scratch, .file = path};
    ctx_init(&L.ctx, &out->arena);
    L.ctx.mem_limit = SIZE_MAX;
    L.err[0] = '\0';
    int rc = load_path(&L, path);
    L.file = path;
    if (!rc)
        rc = finish(&L);
    if (rc)
        taskset_free(out);
    return rc;
}

void taskset_free(TaskSet *ts)
{
    arena_free(&ts->arena);
    memset(ts, 0, sizeof *ts);
}

long taskset_find(const TaskSet *ts, const char *key)
{
    size_t lo = 0, hi = ts->ntasks;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(ts->tasks[mid].key, key);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}
