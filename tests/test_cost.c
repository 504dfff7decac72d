/* test_cost.c: the GPU backend's cost model (cuda/cost.h): which launches it
 * gives the kernels under the default device constants, how a profile feeds
 * it per-call CPU times, and the profile files it refuses. The expectations
 * follow from the model's formulas (cost.h), not from measurements. */
#include "support.h"

#include <stdio.h>
#include <unistd.h>

#include "../cuda/cost.h"

static GpuLaunchEst launch(const char *prim, uint64_t nodes, uint64_t cells_each)
{
    GpuLaunchEst e = {.prim = prim_lookup(prim), .nodes = nodes, .cells = nodes * cells_each};
    e.up_bytes = 4 * e.cells;
    return e;
}

Test(cost, narrow_launches_stay_on_the_cpu_wide_ones_take_the_kernels)
{
    GpuCost c;
    gpu_cost_defaults(&c);
    /* one small application: a launch and three transfers (microseconds)
     * against a few hundred ns of CPU op */
    GpuLaunchEst one = launch("rot90", 1, 100);
    cr_assert(!gpu_cost_prefers_gpu(&c, &one));
    /* ten thousand 30x30 grids: the fixed costs are shared */
    GpuLaunchEst wide = launch("rot90", 10000, 900);
    cr_assert(gpu_cost_prefers_gpu(&c, &wide), "cpu %.0f ns, gpu %.0f ns", gpu_cost_cpu_ns(&c, &wide),
              gpu_cost_gpu_ns(&c, &wide));
    GpuLaunchEst none = launch("rot90", 0, 0);
    cr_assert(!gpu_cost_prefers_gpu(&c, &none), "no nodes: nothing to launch");
    /* the model grows with width on both sides */
    GpuLaunchEst more = launch("rot90", 20000, 900);
    cr_assert_gt(gpu_cost_cpu_ns(&c, &more), gpu_cost_cpu_ns(&c, &wide));
    cr_assert_gt(gpu_cost_gpu_ns(&c, &more), gpu_cost_gpu_ns(&c, &wide));
}

Test(cost, a_profile_sets_per_call_times_and_moves_the_choice)
{
    GpuCost c;
    gpu_cost_defaults(&c);
    GpuLaunchEst e = launch("objects", 200, 100);
    /* objects at 1 ms a call on the CPU: the kernels win at any width */
    const char *p = t_write_temp("slow.json", "{\"primitives\": [{\"name\": \"objects\", \"calls\": 10, "
                                            "\"self_ns\": 10000000}, {\"name\": \"no_such_primitive\", "
                                            "\"calls\": 1, \"self_ns\": 5}]}");
    char err[256];
    cr_assert_eq(gpu_cost_load_profile(&c, p, err, sizeof err), 0, "%s", err);
    unlink(p);
    cr_assert_float_eq(c.cpu_ns[prim_lookup("objects") - prim_table], 1e6, 1e-6);
    cr_assert_float_eq(gpu_cost_cpu_ns(&c, &e), 200 * 1e6, 1e-3);
    cr_assert(gpu_cost_prefers_gpu(&c, &e));
    /* 1 ns a call: the CPU wins at this width */
    p = t_write_temp("fast.json", "{\"primitives\": [{\"name\": \"objects\", \"calls\": 1000, \"self_ns\": 1000}]}");
    cr_assert_eq(gpu_cost_load_profile(&c, p, err, sizeof err), 0, "%s", err);
    cr_assert(!gpu_cost_prefers_gpu(&c, &e));
    unlink(p);
}

Test(cost, bad_profiles_are_refused_with_a_message)
{
    GpuCost c;
    gpu_cost_defaults(&c);
    char err[256] = "";
    cr_assert_eq(gpu_cost_load_profile(&c, "/nonexistent/profile.json", err, sizeof err), -1);
    cr_assert(strstr(err, "/nonexistent/profile.json"), "%s", err);
    const char *p = t_write_temp("bad.json", "{\"rows\": []}");
    cr_assert_eq(gpu_cost_load_profile(&c, p, err, sizeof err), -1);
    unlink(p);
    cr_assert(strstr(err, "primitives"), "%s", err);
    p = t_write_temp("broken.json", "{\"primitives\": [");
    cr_assert_eq(gpu_cost_load_profile(&c, p, err, sizeof err), -1);
    unlink(p);
}
