/* trace_write.c: the streaming trace writer (docs/trace-format.md).
 *
 * tw_open writes a placeholder header and the sections known up front
 * (SOURCE, PROGRAMS, SAMPLES) and opens UNITS; tw_unit appends one unit at a
 * time through a 1 MiB buffer; tw_close patches the UNITS length, appends
 * VALUES and META, computes the body's CRC by reading the file back, writes
 * the header, fsyncs and renames TRACE.tmp.<pid> into place. On any I/O
 * error the temporary file is removed and the target is left untouched. */
#include "trace.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crc.h"
#include "varint.h"

#define TW_BUFFER (1u << 20)
#define TW_SECTIONS 6

struct TraceWriter {
    int fd;
    char *path, *tmp;
    ByteBuf buf;          /* bytes not yet written */
    ByteBuf nodes;        /* a unit's nodes, encoded before their length is written */
    uint64_t flushed;     /* bytes written to fd */
    uint64_t units_at;    /* file offset of the UNITS section's length field */
    /* the body's CRC-32C as it is written, in two parts around the UNITS
     * length field, which is patched last (crc32c_combine joins them) */
    uint32_t crc_before, crc_after;
    uint64_t len_after;
    uint64_t synced;      /* bytes before this offset were handed to writeback */
    int failed;
    char msg[512];
};

static void tw_fail(TraceWriter *w, const char *fmt, ...)
{
    if (w->failed)
        return;
    w->failed = 1;
    int n = snprintf(w->msg, sizeof w->msg, "%s: ", w->path);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->msg + n, sizeof w->msg - (size_t)n, fmt, ap);
    va_end(ap);
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
    while (n) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

static int pwrite_all(int fd, const uint8_t *p, size_t n, uint64_t at)
{
    while (n) {
        ssize_t k = pwrite(fd, p, n, (off_t)at);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        p += k;
        n -= (size_t)k;
        at += (uint64_t)k;
    }
    return 0;
}

/* Checksum n bytes written at file offset `at`: the header (before the
 * body) and the UNITS length field are left out. */
static void checksum(TraceWriter *w, const uint8_t *p, size_t n, uint64_t at)
{
    uint64_t field = w->units_at ? w->units_at : UINT64_MAX;
    while (n) {
        size_t k = n;
        if (at < TRACE_HEADER_SIZE) {
            k = (size_t)(TRACE_HEADER_SIZE - at) < n ? (size_t)(TRACE_HEADER_SIZE - at) : n;
        } else if (at < field) {
            if (field - at < k)
                k = (size_t)(field - at);
            w->crc_before = crc32c_update(w->crc_before, p, k);
        } else if (at < field + 8) {
            k = (size_t)(field + 8 - at) < n ? (size_t)(field + 8 - at) : n;
        } else {
            w->crc_after = crc32c_update(w->crc_after, p, k);
            w->len_after += k;
        }
        p += k;
        n -= k;
        at += k;
    }
}

static uint32_t body_crc(const TraceWriter *w, const uint8_t len8[8])
{
    if (!w->units_at)
        return w->crc_before;
    uint32_t c = crc32c_combine(w->crc_before, crc32c_update(0, len8, 8), 8);
    return crc32c_combine(c, w->crc_after, w->len_after);
}

/* Start writing back what was written so far, every TW_WRITEBACK bytes,
 * without waiting: the fsync that makes the trace durable before its rename
 * then has little left to do (it was a tenth of a second at the end of a
 * 150 MB recording). Linux only; elsewhere the fsync does it all. */
#define TW_WRITEBACK (16u << 20)
static void start_writeback(TraceWriter *w)
{
#ifdef SYNC_FILE_RANGE_WRITE
    if (w->flushed - w->synced >= TW_WRITEBACK) {
        sync_file_range(w->fd, (off_t)w->synced, (off_t)(w->flushed - w->synced), SYNC_FILE_RANGE_WRITE);
        w->synced = w->flushed;
    }
#else
    (void)w;
#endif
}

static void tw_flush(TraceWriter *w)
{
    if (w->failed || !w->buf.len)
        return;
    checksum(w, w->buf.p, w->buf.len, w->flushed);
    if (write_all(w->fd, w->buf.p, w->buf.len))
        tw_fail(w, "cannot write %s: %s", w->tmp, strerror(errno));
    w->flushed += w->buf.len;
    w->buf.len = 0;
    start_writeback(w);
}

static void tw_maybe_flush(TraceWriter *w)
{
    if (w->buf.len >= TW_BUFFER)
        tw_flush(w);
}

/* Large payloads bypass the buffer. */
static void tw_raw(TraceWriter *w, const void *p, size_t n)
{
    if (n < TW_BUFFER / 4) {
        bb_bytes(&w->buf, p, n);
        tw_maybe_flush(w);
        return;
    }
    tw_flush(w);
    checksum(w, p, n, w->flushed);
    if (!w->failed && write_all(w->fd, p, n))
        tw_fail(w, "cannot write %s: %s", w->tmp, strerror(errno));
    w->flushed += n;
    start_writeback(w);
}

static void section_head(TraceWriter *w, uint32_t kind, uint64_t len)
{
    bb_u32le(&w->buf, kind);
    bb_u32le(&w->buf, 0);
    bb_u64le(&w->buf, len);
}

static void section(TraceWriter *w, uint32_t kind, const void *p, size_t n)
{
    section_head(w, kind, n);
    tw_raw(w, p, n);
}

static void enc_programs(ByteBuf *b, const Trace *t)
{
    bb_varint(b, t->nprograms);
    for (uint32_t k = 0; k < t->nprograms; k++) {
        size_t n = strlen(t->programs[k]);
        bb_varint(b, n);
        bb_bytes(b, t->programs[k], n);
    }
}

static void enc_samples(ByteBuf *b, const Trace *t)
{
    bb_varint(b, t->nsamples);
    for (uint32_t k = 0; k < t->nsamples; k++) {
        const TraceSample *s = &t->samples[k];
        size_t n = strlen(s->key);
        bb_varint(b, n);
        bb_bytes(b, s->key, n);
        bb_u8(b, s->split);
        bb_varint(b, s->index);
        bb_varint(b, s->input);
        bb_u8(b, s->has_output ? 1 : 0);
        if (s->has_output)
            bb_varint(b, s->output);
        bb_varint(b, s->S);
    }
}

/* A section encoded into a scratch buffer first. */
static void section_enc(TraceWriter *w, uint32_t kind, const Trace *t,
                        void (*enc)(ByteBuf *, const Trace *))
{
    ByteBuf b = {0};
    enc(&b, t);
    section(w, kind, b.p, b.len);
    bb_free(&b);
}

/* ---- a temporary file removed on Ctrl-C ---- */

/* The temporary file of the writer opened after tw_remove_on_signal: an
 * interrupted recording would leave up to gigabytes of half-written trace
 * beside TRACE. The handler only unlinks it (async-signal-safe), then lets
 * the signal end the process as it would have (status 128 + signal). */
static char signal_tmp[4096];
static bool remove_next_on_signal;
static const int remove_signals[] = {SIGINT, SIGTERM, SIGHUP};

static void remove_and_reraise(int sig)
{
    if (signal_tmp[0])
        unlink(signal_tmp);
    signal(sig, SIG_DFL);
    raise(sig);
}

void tw_remove_on_signal(void) { remove_next_on_signal = true; }

/* Armed before the file is created: a signal in tw_open's writing of the
 * samples (a fraction of a second on 400 tasks) found the file there and
 * no handler yet, and left it. */
static void arm_on_signal(const char *tmp)
{
    if (strlen(tmp) >= sizeof signal_tmp)
        return;
    memcpy(signal_tmp, tmp, strlen(tmp) + 1);
    struct sigaction sa = {0}, was;
    sa.sa_handler = remove_and_reraise;
    sigemptyset(&sa.sa_mask);
    /* a signal ignored from the start stays ignored (nohup; a shell's
     * background job ignores SIGINT) */
    for (size_t k = 0; k < sizeof remove_signals / sizeof *remove_signals; k++)
        if (sigaction(remove_signals[k], NULL, &was) == 0 && was.sa_handler != SIG_IGN)
            sigaction(remove_signals[k], &sa, NULL);
}

/* Called when w's temporary file is gone (renamed or removed). */
static void forget_on_signal(const TraceWriter *w)
{
    if (!signal_tmp[0] || strcmp(signal_tmp, w->tmp) != 0)
        return;
    struct sigaction was;
    for (size_t k = 0; k < sizeof remove_signals / sizeof *remove_signals; k++)
        if (sigaction(remove_signals[k], NULL, &was) == 0 && was.sa_handler == remove_and_reraise)
            signal(remove_signals[k], SIG_DFL);
    signal_tmp[0] = 0;
}

static void tw_free(TraceWriter *w)
{
    if (w->tmp)
        forget_on_signal(w);
    if (w->fd >= 0)
        close(w->fd);
    bb_free(&w->buf);
    bb_free(&w->nodes);
    free(w->path);
    free(w->tmp);
    free(w);
}

static void copy_msg(char *err, size_t errlen, const char *msg)
{
    if (err && errlen)
        snprintf(err, errlen, "%s", msg);
}

/* A trace is written beside path and renamed over it at the end: where path
 * names something other than a file (a directory, a device such as
 * /dev/null, a pipe), the rename would fail after the whole recording, or
 * replace the device node with a file. Refused before anything is run. */
static int not_a_file(const char *path, char *err, size_t errlen)
{
    struct stat st;
    if (stat(path, &st) != 0 || S_ISREG(st.st_mode))
        return 0;
    if (err && errlen)
        snprintf(err, errlen, "%s: %s (a trace is written beside it, then renamed into place)", path,
                 S_ISDIR(st.st_mode) ? "a directory" : "not a regular file");
    return 1;
}

TraceWriter *tw_open(const char *path, const Trace *t, char *err, size_t errlen)
{
    bool arm = remove_next_on_signal; /* this writer's, whether it opens or not */
    remove_next_on_signal = false;
    if (not_a_file(path, err, errlen))
        return NULL;
    TraceWriter *w = calloc(1, sizeof *w);
    size_t n = strlen(path) + 32;
    if (w)
        w->path = strdup(path), w->tmp = malloc(n);
    if (!w || !w->path || !w->tmp) {
        copy_msg(err, errlen, "out of memory");
        if (w)
            w->fd = -1, tw_free(w);
        return NULL;
    }
    snprintf(w->tmp, n, "%s.tmp.%ld", path, (long)getpid());
    if (arm)
        arm_on_signal(w->tmp);
    w->fd = open(w->tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (w->fd < 0) {
        snprintf(w->msg, sizeof w->msg, "%s: cannot create %s: %s", path, w->tmp, strerror(errno));
        copy_msg(err, errlen, w->msg);
        tw_free(w);
        return NULL;
    }
    bb_reserve(&w->buf, TW_BUFFER + 64);
    uint8_t zero[TRACE_HEADER_SIZE] = {0};
    bb_bytes(&w->buf, zero, sizeof zero);
    section(w, SEC_SOURCE, t->source, t->source ? t->source_len : 0);
    section_enc(w, SEC_PROGRAMS, t, enc_programs);
    section_enc(w, SEC_SAMPLES, t, enc_samples);
    w->units_at = w->flushed + w->buf.len + 8;
    section_head(w, SEC_UNITS, 0);
    if (w->failed) {
        copy_msg(err, errlen, w->msg);
        tw_abort(w);
        return NULL;
    }
    return w;
}

static void enc_call(ByteBuf *b, const TraceCall *c)
{
    bb_u8(b, c->err);
    bb_varint(b, c->done);
    bb_varint(b, c->out);
    bb_varint(b, c->nbind);
    for (uint32_t k = 0; k < c->nbind; k++)
        bb_varint(b, c->bind[k]);
}

/* The most bytes a node's encoding takes: op, err, nargs, parent, stmt,
 * result and self_ns, then 10 a ref. */
#define NODE_MAX_BYTES(nargs) (40u + 10u * (size_t)(nargs))

/* A node's encoding at p (room for NODE_MAX_BYTES); returns its end. Through
 * a local pointer, not ByteBuf's helpers: every byte they store may alias
 * the buffer's own len and p, so both were read back and the room checked
 * again for each field, and encoding the nodes was the writer's largest
 * cost (cachegrind, recording the bench's batt: 1.58 G instructions). */
static uint8_t *enc_node(uint8_t *p, const TraceNode *nd, const uint64_t *args)
{
    p += varint_put(p, nd->op);
    *p++ = nd->err;
    *p++ = nd->nargs;
    p += varint_put(p, nd->parent);
    p += varint_put(p, nd->stmt);
    const uint64_t *a = args + nd->args_at;
    for (unsigned k = 0; k < nd->nargs; k++)
        p += varint_put(p, a[k]);
    if (!nd->err)
        p += varint_put(p, nd->result);
    p += varint_put(p, nd->self_ns);
    return p;
}

int tw_unit(TraceWriter *w, const TraceUnit *u, const TraceNode *nodes, const uint64_t *args)
{
    if (w->failed)
        return -1;
    if (u->ncalls < 1 || u->ncalls > 2) {
        tw_fail(w, "unit with %u calls", (unsigned)u->ncalls);
        return -1;
    }
    ByteBuf *b = &w->buf;
    bb_varint(b, u->program);
    bb_varint(b, u->sample);
    bb_varint(b, u->us);
    bb_u8(b, u->ncalls);
    for (int c = 0; c < u->ncalls; c++)
        enc_call(b, &u->calls[c]);
    /* the nodes' byte length first: a reader that needs only the units'
     * bindings (replay without --verify) steps over them */
    ByteBuf *nb = &w->nodes;
    nb->len = 0;
    for (uint32_t k = 0; k < u->nnodes; k++) {
        bb_reserve(nb, NODE_MAX_BYTES(nodes[k].nargs));
        nb->len = (size_t)(enc_node(nb->p + nb->len, &nodes[k], args) - nb->p);
    }
    bb_varint(b, u->nnodes);
    bb_varint(b, w->nodes.len);
    bb_bytes(b, w->nodes.p, w->nodes.len);
    tw_maybe_flush(w);
    return w->failed ? -1 : 0;
}

uint64_t tw_bytes(const TraceWriter *w) { return w->flushed + w->buf.len; }

const char *tw_error(const TraceWriter *w) { return w->failed ? w->msg : ""; }

void tw_abort(TraceWriter *w)
{
    if (!w)
        return;
    if (w->fd >= 0) {
        close(w->fd);
        w->fd = -1;
        unlink(w->tmp);
    }
    tw_free(w);
}

static void header(uint8_t *h, uint64_t body, uint32_t crc)
{
    memset(h, 0, TRACE_HEADER_SIZE);
    memcpy(h, "BATTRACE", 8);
    wr_u32le(h + 8, TRACE_VERSION);
    wr_u32le(h + 12, TRACE_HEADER_SIZE);
    wr_u64le(h + 16, body);
    wr_u32le(h + 24, crc);
    wr_u32le(h + 28, TW_SECTIONS);
}

/* The directory entry of the rename, made durable (best effort). */
static void sync_dir(const char *path)
{
    char *dir = strdup(path);
    if (!dir)
        return;
    char *slash = strrchr(dir, '/');
    if (slash)
        slash[slash == dir ? 1 : 0] = 0;
    int fd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    free(dir);
}

/* Write the header, sync, close and rename; returns the failing step's
 * name, or NULL. */
static const char *tw_finish(TraceWriter *w, const uint8_t units_len[8])
{
    uint8_t h[TRACE_HEADER_SIZE];
    uint64_t body = w->flushed - TRACE_HEADER_SIZE;
    header(h, body, body_crc(w, units_len));
    if (pwrite_all(w->fd, h, sizeof h, 0))
        return "write";
    if (fsync(w->fd))
        return "sync";
    int rc = close(w->fd);
    w->fd = -1;
    if (rc)
        return "close";
    if (rename(w->tmp, w->path))
        return "rename";
    sync_dir(w->path);
    return NULL;
}

int tw_close(TraceWriter *w, const Trace *t, const char *meta_json, char *err, size_t errlen)
{
    tw_flush(w);
    uint64_t units_len = w->flushed - (w->units_at + 8);
    uint8_t len8[8];
    wr_u64le(len8, units_len);
    if (!w->failed && pwrite_all(w->fd, len8, 8, w->units_at))
        tw_fail(w, "cannot write %s: %s", w->tmp, strerror(errno));
    const ValueTable *vt = &t->values;
    uint8_t count[10];
    size_t nc = varint_put(count, vt->count);
    section_head(w, SEC_VALUES, nc + vt->len);
    bb_bytes(&w->buf, count, nc);
    tw_raw(w, vt->bytes, vt->len);
    section(w, SEC_META, meta_json, meta_json ? strlen(meta_json) : 0);
    tw_flush(w);
    const char *step = w->failed ? NULL : tw_finish(w, len8);
    if (step)
        tw_fail(w, "cannot %s %s: %s", step, w->tmp, strerror(errno));
    int rc = w->failed ? -1 : 0;
    if (rc) {
        copy_msg(err, errlen, w->msg);
        if (w->fd >= 0)
            close(w->fd);
        w->fd = -1;
        unlink(w->tmp);
    }
    tw_free(w);
    return rc;
}
