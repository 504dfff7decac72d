/* cost.c: the cost model of the GPU backend (see cost.h). */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>

#include "cost.h"

#include "batch.h"

void gpu_cost_defaults(GpuCost *c)
{
    *c = (GpuCost){
        /* the CPU ops of arc-dsl on 10x10 to 30x30 grids: a few hundred ns
         * per call, about a nanosecond or two per cell (battrace profile) */
        .cpu_call_ns = 150.0,
        .cpu_cell_ns = 1.5,
        /* a device: a launch and a small pageable cudaMemcpy cost
         * microseconds; PCIe moves a few bytes per ns; the kernels' per-cell
         * work is far below a nanosecond */
        .launch_ns = 5000.0,
        .copy_ns = 8000.0,
        .h2d_bytes_per_ns = 5.0,
        .d2h_bytes_per_ns = 5.0,
        .cell_ns = 0.01,
        /* planning, packing and building results on the host */
        .node_ns = 150.0,
    };
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t n = 0, cap = 0, got;
    do {
        if (n + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 65536;
            char *q = realloc(buf, cap);
            if (!q) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = q;
        }
        got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
    } while (got > 0);
    fclose(f);
    buf[n] = 0;
    return buf;
}

int gpu_cost_load_profile(GpuCost *c, const char *path, char *err, size_t errlen)
{
    char *text = read_all(path);
    if (!text) {
        snprintf(err, errlen, "%s: cannot be read", path);
        return -1;
    }
    cJSON *root = cJSON_Parse(text);
    free(text);
    const cJSON *prims = cJSON_GetObjectItemCaseSensitive(root, "primitives");
    if (!cJSON_IsArray(prims)) {
        snprintf(err, errlen, "%s: not the JSON of `battrace profile --json` (no \"primitives\" array)", path);
        cJSON_Delete(root);
        return -1;
    }
    const cJSON *e;
    cJSON_ArrayForEach(e, prims) {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(e, "name");
        const cJSON *calls = cJSON_GetObjectItemCaseSensitive(e, "calls");
        const cJSON *self = cJSON_GetObjectItemCaseSensitive(e, "self_ns");
        const Prim *p = cJSON_IsString(name) ? prim_lookup(name->valuestring) : NULL;
        if (p && cJSON_IsNumber(calls) && cJSON_IsNumber(self) && calls->valuedouble > 0 && self->valuedouble >= 0)
            c->cpu_ns[p - prim_table] = self->valuedouble / calls->valuedouble;
    }
    cJSON_Delete(root);
    return 0;
}

double gpu_cost_cpu_ns(const GpuCost *c, const GpuLaunchEst *e)
{
    double per = e->prim ? c->cpu_ns[e->prim - prim_table] : 0.0;
    double t = per > 0 ? per * (double)e->nodes : c->cpu_call_ns * (double)e->nodes + c->cpu_cell_ns * (double)e->cells;
    if (e->down_bytes)
        t += c->copy_ns + (double)e->down_bytes / c->d2h_bytes_per_ns;
    return t;
}

double gpu_cost_gpu_ns(const GpuCost *c, const GpuLaunchEst *e)
{
    /* items and patch up, results down, and the uploads when there are any */
    int copies = 3 + (e->up_bytes > 0);
    return (double)gpu_launches_per_batch(e->prim) * c->launch_ns + copies * c->copy_ns +
           (double)e->nodes * c->node_ns + (double)e->up_bytes / c->h2d_bytes_per_ns +
           (double)e->cells * c->cell_ns;
}

bool gpu_cost_prefers_gpu(const GpuCost *c, const GpuLaunchEst *e)
{
    return e->nodes && gpu_cost_gpu_ns(c, e) < gpu_cost_cpu_ns(c, e);
}
